#include "engine_harness.hpp"
#include "guards/sha256.hpp"
#include "leadline/ids.hpp"
#include "leadline/time_format.hpp"
#include "validation/strict_json.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace leadline;

TEST_CASE("ids are a prefix and 16 hex digits, and parse back") {
  CHECK(format_id(kLeadIdPrefix, 0x1234567890abcdef) == "lead_1234567890abcdef");
  CHECK(parse_id(kLeadIdPrefix, "lead_1234567890abcdef") == 0x1234567890abcdef);
  CHECK_FALSE(parse_id(kLeadIdPrefix, "lead_1234567890ABCDEF").has_value());
  CHECK_FALSE(parse_id(kLeadIdPrefix, "cmp_1234567890abcdef").has_value());
  CHECK_FALSE(parse_id(kLeadIdPrefix, "lead_123").has_value());
  CHECK_FALSE(parse_id(kLeadIdPrefix, "lead_ffffffffffffffff").has_value());  // beyond int64
  CHECK_FALSE(parse_id(kLeadIdPrefix, "665d4e5f6a7b8c9d0e1f2a3b").has_value());
}

TEST_CASE("id generator is time-ordered and strictly increasing within a millisecond") {
  IdGenerator ids;
  const auto a = ids.next(1000);
  const auto b = ids.next(1000);
  const auto c = ids.next(999);  // clock stepped back: still increasing
  const auto d = ids.next(2000);
  CHECK(a >> 16 == 1000);
  CHECK(b == a + 1);
  CHECK(c == b + 1);
  CHECK(d >> 16 == 2000);
  ids.observe(d + 50);
  CHECK(ids.next(2000) == d + 51);
}

TEST_CASE("ids carry their origin, vary in their low bits, and never cross into another origin") {
  IdGenerator first(1);
  IdGenerator second(2);
  std::set<std::int64_t> low_bits;
  std::set<std::int64_t> seen;
  for (std::int64_t ms = 5000; ms < 5100; ++ms) {
    const auto id = first.next(ms);
    CHECK(((id >> 12) & 0xF) == 1);
    low_bits.insert(id & 0xFFF);
    seen.insert(id);
    seen.insert(second.next(ms));
  }
  CHECK(low_bits.size() > 90);  // one id per millisecond, yet hardly two alike in the low bits
  CHECK(seen.size() == 200);
  // 10,000 ids in one millisecond: still increasing, still origin 1, spilling into later milliseconds.
  std::int64_t previous = 0;
  for (int i = 0; i < 10000; ++i) {
    const auto id = first.next(6000);
    REQUIRE(id > previous);
    REQUIRE(((id >> 12) & 0xF) == 1);
    previous = id;
  }
  CHECK(previous >> 16 > 6000);
}

TEST_CASE("timestamps format and parse as ISO 8601 UTC with milliseconds") {
  CHECK(format_timestamp(1705419900000) == "2024-01-16T15:45:00.000Z");
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(parse_timestamp("2024-01-16T15:45:00.000Z") == 1705419900000);
  CHECK(parse_timestamp("2024-01-16T15:45:00Z") == 1705419900000);
  CHECK(parse_timestamp("2024-01-16T17:45:00+02:00") == 1705419900000);
  CHECK(parse_timestamp("2024-01-16") == 1705363200000);
  CHECK_FALSE(parse_timestamp("2024-02-30").has_value());
  CHECK_FALSE(parse_timestamp("2024-01-16T15:45:00").has_value());  // no zone: refused
  CHECK_FALSE(parse_timestamp("yesterday").has_value());
}

TEST_CASE("sha256 matches the FIPS 180-4 test vectors") {
  using guards::sha256;
  using guards::to_hex;
  CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(to_hex(sha256(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("constant_time_equal compares every byte of a digest") {
  const auto digest = guards::sha256("key");
  const std::string same(digest.begin(), digest.end());
  CHECK(guards::constant_time_equal(digest, same));
  for (const std::size_t position : {std::size_t{0}, std::size_t{15}, std::size_t{31}}) {
    auto changed = same;
    changed[position] = static_cast<char>(changed[position] ^ 0x01);
    CHECK_FALSE(guards::constant_time_equal(digest, changed));
  }
  CHECK_FALSE(guards::constant_time_equal(digest, same.substr(0, 31)));
  CHECK_FALSE(guards::constant_time_equal(digest, ""));
}

TEST_CASE("strict JSON refuses duplicates, depth, NUL, non-finite numbers and bad UTF-8") {
  using validation::parse_strict_json;
  CHECK(parse_strict_json(R"({"a":1,"b":[1,2,{"c":null}]})").ok());
  CHECK(parse_strict_json(R"({"a":1,"a":2})").error().message.find("duplicate key") != std::string::npos);
  CHECK(parse_strict_json(std::string(64, '[') + std::string(64, ']')).ok());
  CHECK_FALSE(parse_strict_json(std::string(65, '[') + std::string(65, ']')).ok());
  CHECK_FALSE(parse_strict_json(R"({"a":"x\u0000y"})").ok());
  CHECK_FALSE(parse_strict_json(R"({"a":1e999})").ok());
  CHECK_FALSE(parse_strict_json("{\"a\":\"\xC3\"}").ok());
  CHECK_FALSE(parse_strict_json(R"({"a":1,})").ok());
  CHECK(parse_strict_json("{").error().extra["field"] == "body");
}

// GET /meta is the vocabulary the rest of the core enforces: every value it lists is accepted
// where that list is used, and a value it does not list is refused there.
TEST_CASE("GET /meta lists exactly the values the API accepts") {
  leadline::testing::TestEngine engine;
  auto meta = engine.send("GET", "/api/v1/meta", nullptr, {{"x-api-key", ""}});
  REQUIRE(meta.status == 200);
  const auto vocabulary = meta.body["data"];
  int n = 0;
  for (const auto& status : vocabulary["leadStatuses"]) {
    auto created = engine.send("POST", "/api/v1/leads", {{"email", "s" + std::to_string(++n) + "@example.com"}, {"status", status}});
    CHECK(created.status == 201);
  }
  CHECK(engine.send("POST", "/api/v1/leads", {{"email", "x@example.com"}, {"status", "archived"}}).status == 400);
  for (const auto& status : vocabulary["emailVerificationStatuses"]) {
    auto created = engine.send("POST", "/api/v1/leads",
                               {{"email", "v" + std::to_string(++n) + "@example.com"}, {"emailVerificationStatus", status}});
    CHECK(created.status == 201);
  }
  auto campaign = engine.send("POST", "/api/v1/campaigns", {{"name", "Vocabulary"}}).body["data"]["id"].get<std::string>();
  for (const auto& status : vocabulary["membershipStatuses"]) {
    CHECK(engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads?status=" + status.get<std::string>()).status == 200);
  }
  CHECK(engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads?status=sent").status == 400);
  for (const auto& status : vocabulary["campaignStatuses"]) {
    CHECK(engine.send("GET", "/api/v1/campaigns?status=" + status.get<std::string>()).status == 200);
  }
  for (const auto& key : vocabulary["leadFilterKeys"]) {
    CHECK(engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{key.get<std::string>(), nullptr}}}, {"dryRun", true}})
              .body["error"]["message"]
              .get<std::string>()
              .find("unknown filter") == std::string::npos);
  }
  for (const auto& event : vocabulary["campaignEvents"]) {
    CHECK(engine.send("POST", "/api/v1/campaigns/" + campaign + "/webhooks", {{"url", "https://example.com/h"}, {"events", {event}}}).status == 201);
  }
  // Each status a draft may move to, per the served transitions, is accepted from a fresh draft.
  for (const auto& target : vocabulary["campaignTransitions"]["draft"]) {
    auto fresh = engine.send("POST", "/api/v1/campaigns", {{"name", "Move " + target.get<std::string>()}}).body["data"]["id"].get<std::string>();
    CHECK(engine.send("PATCH", "/api/v1/campaigns/" + fresh + "/status", {{"status", target}}).status == 200);
  }
  for (const auto& requested : vocabulary["requestedCampaignStatuses"]) {
    INFO(requested);
    auto fresh = engine.send("POST", "/api/v1/campaigns", {{"name", "Ask " + requested.get<std::string>()}}).body["data"]["id"].get<std::string>();
    CHECK(engine.send("PATCH", "/api/v1/campaigns/" + fresh + "/status", {{"status", requested}}).status != 400);
  }
}
