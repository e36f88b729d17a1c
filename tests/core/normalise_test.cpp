#include <algorithm>
#include "engine_harness.hpp"
#include "validation/normalise.hpp"
#include "validation/suppression_match.hpp"
#include "domain/vocabulary.hpp"

using namespace leadline::validation;
using leadline::testing::read_fixture;

TEST_CASE("phone numbers normalise to E.164 (fixture table)") {
  const auto cases = read_fixture("phone_numbers.json")["cases"];
  for (const auto& row : cases) {
    const auto input = row[0].get<std::string>();
    INFO("input: " << input);
    const auto result = normalise_phone(input);
    if (row[1].is_null()) CHECK_FALSE(result.has_value());
    else CHECK(result == row[1].get<std::string>());
  }
}

TEST_CASE("emails are trimmed, lower-cased and checked (fixture table)") {
  const auto cases = read_fixture("emails.json")["cases"];
  for (const auto& row : cases) {
    const auto input = row[0].get<std::string>();
    INFO("input: " << input);
    const auto result = normalise_email(input);
    if (row[1].is_null()) CHECK_FALSE(result.has_value());
    else CHECK(result == row[1].get<std::string>());
  }
}

TEST_CASE("countries are ISO 3166-1 alpha-2, case-insensitive") {
  CHECK(normalise_country("us") == "US");
  CHECK(normalise_country(" de ") == "DE");
  CHECK_FALSE(normalise_country("XX").has_value());
  CHECK_FALSE(normalise_country("USA").has_value());
}

TEST_CASE("clean text rejects invalid UTF-8 and control characters") {
  CHECK(is_clean_text("Zoë Müller 日本"));
  CHECK_FALSE(is_clean_text(std::string("a\x01b")));
  CHECK_FALSE(is_clean_text("\xC3"));            // truncated sequence
  CHECK_FALSE(is_clean_text("\xC0\xAF"));        // overlong '/'
  CHECK_FALSE(is_clean_text("\xED\xA0\x80"));    // surrogate
  CHECK(code_point_count("Zoë") == 3);
}

TEST_CASE("suppression domain entries are normalised and cover their subdomains (fixture table)") {
  const auto fixture = read_fixture("suppression_matching.json");
  for (const auto& row : fixture["domains"]) {
    const auto input = row[0].get<std::string>();
    INFO("domain: " << input);
    const auto result = normalise_domain(input);
    if (row[1].is_null()) CHECK_FALSE(result.has_value());
    else CHECK(result == row[1].get<std::string>());
  }
  for (const auto& row : fixture["covers"]) {
    INFO("entry " << row[0] << " covers " << row[1]);
    CHECK(domain_covers(row[0].get<std::string>(), row[1].get<std::string>()) == row[2].get<bool>());
    // A lookup asks for exactly the entries that cover the domain.
    const auto asked = covering_domains(row[1].get<std::string>());
    CHECK((std::find(asked.begin(), asked.end(), row[0].get<std::string>()) != asked.end()) == row[2].get<bool>());
  }
  CHECK(email_domain("jane@mail.example.com") == "mail.example.com");
}

TEST_CASE("suppression entries from complaints and erasures cannot be lifted with an API key") {
  using leadline::domain::SuppressionSource;
  for (const auto& term : leadline::domain::kSuppressionSources) {
    INFO("source " << term.name);
    const bool protects = term.value == SuppressionSource::Complaint || term.value == SuppressionSource::Erased;
    CHECK(leadline::domain::liftable_with_api_key(term.value) == !protects);
  }
}
