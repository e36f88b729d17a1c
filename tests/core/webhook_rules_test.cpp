// Where webhooks may go (tests/fixtures/webhook_urls.json) and the retry schedule.
#include "api/webhook_delivery.hpp"
#include "engine_harness.hpp"
#include "validation/network_address.hpp"
#include "validation/webhook_input.hpp"

using leadline::testing::read_fixture;
using namespace leadline;

namespace {

std::string class_name(validation::AddressClass kind) {
  switch (kind) {
    case validation::AddressClass::Public: return "public";
    case validation::AddressClass::Loopback: return "loopback";
    case validation::AddressClass::Private: return "private";
    case validation::AddressClass::LinkLocal: return "link-local";
    case validation::AddressClass::Unspecified: return "unspecified";
    case validation::AddressClass::Reserved: return "reserved";
  }
  return "?";
}

}  // namespace

TEST_CASE("literal addresses are classed as the fixture says (IPv4, IPv6, mapped, NAT64)") {
  const auto fixture = read_fixture("webhook_urls.json");
  for (const auto& row : fixture["addresses"]) {
    const auto address = row["address"].get<std::string>();
    INFO(address);
    const auto kind = validation::classify_address(address);
    if (row["class"].is_null()) {
      CHECK_FALSE(kind.has_value());
    } else {
      REQUIRE(kind.has_value());
      CHECK(class_name(*kind) == row["class"].get<std::string>());
      CHECK(api::address_refusal(address, true) == std::nullopt);
      CHECK(api::address_refusal(address, false).has_value() == (*kind != validation::AddressClass::Public));
    }
  }
}

TEST_CASE("webhook URLs: https only, no private host, no credentials, unless the deployment allows private receivers") {
  const auto fixture = read_fixture("webhook_urls.json");
  for (const auto& row : fixture["urls"]) {
    const auto url = row["url"].get<std::string>();
    const bool allow_private = row["allowPrivate"].get<bool>();
    INFO(url << " allowPrivate=" << allow_private);
    std::optional<std::string> refusal;
    auto parsed = validation::parse_webhook_url(url);
    if (!parsed) refusal = parsed.error().message;
    else refusal = validation::webhook_url_refusal(*parsed, allow_private);
    CHECK(refusal.has_value() == row["refused"].get<bool>());
    if (refusal && row.contains("names")) CHECK(refusal->find(row["names"].get<std::string>()) != std::string::npos);
  }
}

TEST_CASE("retry schedules: durations with units, 1 to 20 of them, each at most 7 days") {
  auto parsed = validation::parse_retry_schedule("5s,5m, 2h,1d,250ms");
  REQUIRE(parsed);
  CHECK(*parsed == std::vector<std::int64_t>{5000, 300000, 7200000, 86400000, 250});
  for (const char* bad : {"", "5", "5x", "0s", "8d", "-1s", "5s,,5s", "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"}) {
    INFO(bad);
    CHECK_FALSE(validation::parse_retry_schedule(bad));
  }
  const auto& standard = validation::default_retry_schedule();
  REQUIRE(standard.size() == 9);
  std::int64_t window = 0;
  for (auto delay : standard) window += delay;
  CHECK(window > 3LL * 24 * 3600 * 1000);  // a receiver down for three days still gets everything
  CHECK(window < 4LL * 24 * 3600 * 1000);
  // Jitter stays within a tenth of each delay; past the schedule there is no next attempt.
  for (std::int64_t attempt = 1; attempt <= 9; ++attempt) {
    const auto delay = api::retry_delay(standard, attempt);
    REQUIRE(delay);
    const auto base = standard[static_cast<std::size_t>(attempt - 1)];
    CHECK(*delay >= base - base / 10);
    CHECK(*delay <= base + base / 10);
  }
  CHECK_FALSE(api::retry_delay(standard, 10));
}
