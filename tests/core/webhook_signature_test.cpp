// Standard Webhooks signatures, from the shared fixture (the specification's own example first).
#include "engine_harness.hpp"
#include "guards/webhook_signature.hpp"

using leadline::testing::read_fixture;
using namespace leadline::guards;

TEST_CASE("webhook signatures follow the Standard Webhooks specification (fixture table)") {
  const auto fixture = read_fixture("webhook_signatures.json");
  for (const auto& row : fixture["cases"]) {
    INFO(row["name"].get<std::string>());
    std::vector<std::string> secrets = row["secrets"];
    CHECK(webhook_signature_header(secrets, row["id"].get<std::string>(), row["timestamp"].get<std::int64_t>(),
                                   row["body"].get<std::string>()) == row["signature"].get<std::string>());
  }
  for (const auto& secret : fixture["invalidSecrets"]) {
    INFO("secret " << secret);
    CHECK_FALSE(webhook_secret_key(secret.get<std::string>()).has_value());
  }
}

TEST_CASE("a new webhook secret is whsec_ and 32 random bytes, different each time") {
  const auto first = new_webhook_secret();
  const auto second = new_webhook_secret();
  CHECK(first.rfind("whsec_", 0) == 0);
  REQUIRE(webhook_secret_key(first).has_value());
  CHECK(webhook_secret_key(first)->size() == 32);
  CHECK(first != second);
}
