// Previews, count guards, receipts and restore, the audit trail and idempotent retries,
// through Engine::handle.
#include "api_helpers.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <random>

using leadline::testing::json;
using leadline::testing::read_fixture;
using leadline::testing::TestEngine;
using leadline::testing::create_campaign;
using leadline::testing::create_lead;
using leadline::testing::without;

namespace {

// Everything a delete or restore could change, as the API shows it: every lead in full, and
// every campaign with its memberships and owned-row counts.
json snapshot(TestEngine& engine, const std::vector<std::string>& campaigns) {
  json state{{"leads", engine.send("GET", "/api/v1/leads/export").body}, {"campaigns", json::object()}};
  for (const auto& campaign : campaigns) {
    auto one = engine.send("GET", "/api/v1/campaigns/" + campaign);
    json members = json::object();
    if (one.status == 200) {
      auto listed = engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads?limit=100");
      for (const auto& row : listed.body["data"]["leads"]) members[row["leadId"].get<std::string>()] = row["status"];
    }
    state["campaigns"][campaign] = {{"status", one.status}, {"campaign", one.body["data"]}, {"members", members}};
  }
  return state;
}

// A workspace of 48 leads with random tags and countries, two campaigns (one active) with
// random members, and demo activity in both.
struct World {
  std::vector<std::string> leads;
  std::vector<std::string> campaigns;
};

World build_world(TestEngine& engine, std::mt19937& random) {
  World world;
  const std::vector<std::string> tags{"red", "green", "blue"};
  const std::vector<std::string> countries{"US", "DE", "FR"};
  for (int i = 0; i < 48; ++i) {
    world.leads.push_back(create_lead(engine, {{"email", "lead" + std::to_string(i) + "@example.com"},
                                              {"externalId", "crm-" + std::to_string(i)},
                                              {"tags", {tags[random() % 3]}},
                                              {"country", countries[random() % 3]}}));
  }
  std::vector<std::string> first, second;
  for (const auto& lead : world.leads) {
    if (random() % 3 == 0) first.push_back(lead);
    if (random() % 3 == 0) second.push_back(lead);
  }
  world.campaigns.push_back(create_campaign(engine, "Active one", first, "START"));
  world.campaigns.push_back(create_campaign(engine, "Draft one", second));
  for (const auto& campaign : world.campaigns) {
    REQUIRE(engine.admin({{"command", "seed-campaign-activity"}, {"workspaceId", engine.workspace_id},
                          {"campaignId", campaign}}).status == 201);
  }
  return world;
}

}  // namespace

TEST_CASE("dry run = effect, changes nothing, restore gives the same rows back (random selections)") {
  TestEngine engine;
  std::mt19937 random(20261122);
  const auto world = build_world(engine, random);
  const std::vector<std::string> tags{"red", "green", "blue"};
  const std::vector<std::string> countries{"US", "DE", "FR"};

  for (int round = 0; round < 12; ++round) {
    json body;
    switch (round % 3) {
      case 0:
        body = {{"deleteAll", true}, {"filters", {{"tags", {tags[random() % 3]}}, {"country", countries[random() % 3]}}},
                {"force", true}};
        break;
      case 1: {
        json ids = json::array();
        for (int i = 0; i < 5; ++i) ids.push_back(world.leads[random() % world.leads.size()]);
        body = {{"leadIds", ids}, {"force", true}};
        break;
      }
      default:
        body = {{"deleteAll", true}, {"filters", {{"campaignId", world.campaigns[random() % 2]}}}, {"force", true}};
    }
    INFO("round " << round << ": " << body.dump());
    const auto before = snapshot(engine, world.campaigns);
    auto preview_body = body;
    preview_body["dryRun"] = true;
    auto preview = engine.send("DELETE", "/api/v1/leads", preview_body);
    REQUIRE(preview.status == 200);
    CHECK(preview.body["data"]["dryRun"] == true);
    CHECK(preview.body["data"]["preview"]["sample"].size() <=
          std::min<std::size_t>(10, preview.body["data"]["deletedCount"].get<std::size_t>()));
    CHECK(snapshot(engine, world.campaigns) == before);

    auto real = engine.send("DELETE", "/api/v1/leads", body);
    REQUIRE(real.status == 200);
    CHECK(without(preview.body["data"], {"dryRun", "preview"}) == without(real.body["data"], {"receiptId"}));
    if (real.body["data"]["deletedCount"] == 0) continue;
    CHECK(snapshot(engine, world.campaigns) != before);

    auto restored = engine.send("POST", "/api/v1/receipts/" + real.body["data"]["receiptId"].get<std::string>() + "/restore");
    REQUIRE(restored.status == 200);
    CHECK(restored.body["data"]["conflicts"].empty());
    CHECK(restored.body["data"]["restored"]["leads"] == real.body["data"]["deletedCount"]);
    CHECK(snapshot(engine, world.campaigns) == before);
  }
}

TEST_CASE("dry run of every previewable request changes nothing and matches the real reply") {
  TestEngine engine;
  std::mt19937 random(7);
  const auto world = build_world(engine, random);
  const auto& active = world.campaigns[0];
  const auto& draft = world.campaigns[1];
  struct Case {
    std::string method, target;
    json body;
  };
  const std::vector<Case> cases{
      {"DELETE", "/api/v1/leads/" + world.leads[3] + "?force=true", nullptr},
      {"POST", "/api/v1/leads/bulk-delete", {{"campaignId", active}, {"leads", {{{"externalId", "crm-1"}}, {{"externalId", "crm-2"}}, {{"externalId", "nope"}}}}}},
      {"POST", "/api/v1/campaigns/" + draft + "/leads", {{"filters", {{"tags", {"red"}}}}}},
      {"POST", "/api/v1/campaigns/" + draft + "/leads", {{"leads", {{{"email", "new@example.com"}}, {{"leadId", world.leads[0]}}}}}},
      {"PATCH", "/api/v1/campaigns/" + active + "/status", {{"status", "PAUSED"}}},
      {"DELETE", "/api/v1/campaigns/" + active + "?force=true", nullptr},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.target);
    const auto before = snapshot(engine, world.campaigns);
    const auto separator = c.target.find('?') == std::string::npos ? "?" : "&";
    auto preview = engine.send(c.method, c.target + separator + "dryRun=true", c.body);
    REQUIRE(preview.status == 200);
    CHECK(preview.body["message"] == "Dry run: nothing was changed");
    CHECK(snapshot(engine, world.campaigns) == before);
    auto real = engine.send(c.method, c.target, c.body);
    REQUIRE(real.status == 200);
    // Timestamps and ids minted during the run differ only by the clock, which is fixed here.
    CHECK(without(preview.body["data"], {"dryRun", "preview"}) == without(real.body["data"], {"receiptId"}));
  }
}

TEST_CASE("a refused request previews as the same refusal") {
  TestEngine engine;
  const auto lead = create_lead(engine, {{"email", "busy@example.com"}});
  create_campaign(engine, "Q1 Outreach", {lead}, "START");
  auto preview = engine.send("DELETE", "/api/v1/leads", {{"leadIds", {lead}}, {"dryRun", true}});
  auto real = engine.send("DELETE", "/api/v1/leads", {{"leadIds", {lead}}});
  CHECK(preview.status == 400);
  CHECK(preview.body == real.body);
  CHECK(engine.lead_count() == 1);
}

TEST_CASE("expectedCount: a different count is 409 with the actual count, and nothing changes") {
  TestEngine engine;
  for (int i = 0; i < 5; ++i) create_lead(engine, {{"email", "e" + std::to_string(i) + "@example.com"}, {"tags", {"old"}}});
  create_lead(engine, {{"email", "keep@example.com"}});
  auto wrong = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"old"}}}}, {"expectedCount", 4}});
  CHECK(wrong.status == 409);
  CHECK(wrong.body["error"]["code"] == "COUNT_MISMATCH");
  CHECK(wrong.body["error"]["expectedCount"] == 4);
  CHECK(wrong.body["error"]["actualCount"] == 5);
  CHECK(engine.lead_count() == 6);
  auto query_form = engine.send("DELETE", "/api/v1/leads?expectedCount=5", {{"deleteAll", true}, {"filters", {{"tags", {"old"}}}}});
  CHECK(query_form.status == 200);
  CHECK(engine.lead_count() == 1);

  const auto campaign = create_campaign(engine, "C", {});
  auto add = engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"selectAll", true}, {"expectedCount", 2}});
  CHECK(add.status == 409);
  CHECK(add.body["error"]["actualCount"] == 1);
}

TEST_CASE("controls are refused where they are not supported, never ignored (fixture table)") {
  TestEngine engine;
  create_lead(engine, {{"email", "stays@example.com"}});
  const auto campaign = create_campaign(engine, "C", {});
  auto step = engine.send("POST", "/api/v1/campaigns/" + campaign + "/sequences", {{"body", "Hi"}, {"delayDays", 0}});
  REQUIRE(step.status == 201);
  const std::string step_id = step.body["data"]["id"];
  const auto cases = read_fixture("request_controls.json")["cases"];
  for (const auto& row : cases) {
    INFO("case: " << row["name"].get<std::string>());
    std::string target = row["target"];
    for (const auto& [placeholder, value] : {std::pair<std::string, std::string>{"{campaign}", campaign}, {"{sequence}", step_id}}) {
      if (auto at = target.find(placeholder); at != std::string::npos) target.replace(at, placeholder.size(), value);
    }
    auto reply = engine.send(row["method"], target, row["body"]);
    CHECK(reply.status == 400);
    CHECK(reply.body["error"]["message"] == row["message"]);
  }
  CHECK(engine.lead_count() == 1);
  auto shown = engine.send("GET", "/api/v1/campaigns/" + campaign).body["data"];
  CHECK(shown["status"] == "draft");
  CHECK(shown["name"] == "C");
  CHECK(engine.send("GET", "/api/v1/campaigns/" + campaign + "/sequences").body["data"]["sequences"].size() == 1);
}

TEST_CASE("restore into a changed world: taken emails are reported, not merged") {
  TestEngine engine;
  const auto a = create_lead(engine, {{"email", "a@example.com"}, {"firstName", "Ann"}});
  const auto b = create_lead(engine, {{"email", "b@example.com"}});
  const auto campaign = create_campaign(engine, "C", {a, b}, "START");
  auto deleted = engine.send("DELETE", "/api/v1/leads", {{"leadIds", {a, b}}, {"force", true}});
  REQUIRE(deleted.status == 200);
  const std::string receipt = deleted.body["data"]["receiptId"];
  const auto newcomer = create_lead(engine, {{"email", "a@example.com"}, {"firstName", "Someone else"}});

  auto restored = engine.send("POST", "/api/v1/receipts/" + receipt + "/restore");
  REQUIRE(restored.status == 200);
  CHECK(restored.body["data"]["restored"]["leads"] == 1);
  CHECK(restored.body["data"]["skipped"]["leads"] == 1);
  REQUIRE(restored.body["data"]["conflicts"].size() == 1);
  const auto& conflict = restored.body["data"]["conflicts"][0];
  CHECK(conflict["leadId"] == a);
  CHECK(conflict["field"] == "email");
  CHECK(conflict["existingLeadId"] == newcomer);
  CHECK(engine.send("GET", "/api/v1/leads/" + newcomer).body["data"]["firstName"] == "Someone else");
  CHECK(engine.send("GET", "/api/v1/leads/" + b).status == 200);
  // b's membership came back active; a's stays the `removed` history row.
  auto members = engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads").body["data"]["leads"];
  std::map<std::string, std::string> statuses;
  for (const auto& row : members) statuses[row["leadId"]] = row["status"];
  CHECK(statuses[b] == "active");
  CHECK(statuses[a] == "removed");

  auto again = engine.send("POST", "/api/v1/receipts/" + receipt + "/restore");
  CHECK(again.status == 409);
  CHECK(engine.send("GET", "/api/v1/receipts/" + receipt).body["data"]["restorable"] == false);
}

TEST_CASE("campaign, sequence and webhook deletes restore with everything they owned") {
  TestEngine engine;
  std::mt19937 random(11);
  const auto world = build_world(engine, random);
  const auto& campaign = world.campaigns[1];
  REQUIRE(engine.send("POST", "/api/v1/campaigns/" + campaign + "/sequences", {{"body", "Hi"}, {"delayDays", 0}}).status == 201);
  auto hook = engine.send("POST", "/api/v1/campaigns/" + campaign + "/webhooks", {{"url", "https://example.com/h"}, {"events", {"email.sent"}}});
  REQUIRE(hook.status == 201);
  const auto before = snapshot(engine, world.campaigns);
  auto deleted = engine.send("DELETE", "/api/v1/campaigns/" + campaign);
  REQUIRE(deleted.status == 200);
  CHECK(engine.send("GET", "/api/v1/campaigns/" + campaign).status == 404);
  auto restored = engine.send("POST", "/api/v1/receipts/" + deleted.body["data"]["receiptId"].get<std::string>() + "/restore");
  REQUIRE(restored.status == 200);
  CHECK(restored.body["data"]["restored"]["campaigns"] == 1);
  CHECK(restored.body["data"]["restored"]["sequences"] == 1);
  CHECK(snapshot(engine, world.campaigns) == before);

  const std::string hook_id = hook.body["data"]["id"];
  auto hook_deleted = engine.send("DELETE", "/api/v1/campaigns/" + campaign + "/webhooks/" + hook_id);
  REQUIRE(hook_deleted.status == 200);
  REQUIRE(engine.send("POST", "/api/v1/receipts/" + hook_deleted.body["data"]["receiptId"].get<std::string>() + "/restore").status == 200);
  CHECK(snapshot(engine, world.campaigns) == before);
}

TEST_CASE("purge: deleted at once, no restore, no personal data in receipt or audit") {
  TestEngine engine;
  const auto lead = create_lead(engine, {{"email", "erase-me@example.com"}});
  auto purged = engine.send("DELETE", "/api/v1/leads", {{"leadIds", {lead}}, {"purge", true}});
  REQUIRE(purged.status == 200);
  const std::string receipt = purged.body["data"]["receiptId"];
  auto shown = engine.send("GET", "/api/v1/receipts/" + receipt);
  CHECK(shown.body["data"]["purged"] == true);
  CHECK(shown.body["data"]["restorable"] == false);
  CHECK(shown.text.find("erase-me") == std::string::npos);
  auto restore = engine.send("POST", "/api/v1/receipts/" + receipt + "/restore");
  CHECK(restore.status == 409);
  auto audit = engine.send("GET", "/api/v1/audit?route=DELETE%20/leads");
  REQUIRE(audit.body["data"]["entries"].size() == 1);
  CHECK(audit.text.find("erase-me") == std::string::npos);
  CHECK(audit.text.find(lead) == std::string::npos);
}

TEST_CASE("receipts expire after the retention window and are purged") {
  TestEngine engine;
  const auto lead = create_lead(engine, {{"email", "old@example.com"}});
  auto deleted = engine.send("DELETE", "/api/v1/leads/" + lead);
  const std::string receipt = deleted.body["data"]["receiptId"];
  auto listed = engine.send("GET", "/api/v1/receipts");
  REQUIRE(listed.body["data"]["receipts"].size() == 1);
  CHECK(listed.body["data"]["receipts"][0]["expiresAt"] == "2024-01-23T15:46:40.000Z");
  engine.now_ms += 7LL * 24 * 60 * 60 * 1000 + 1;
  create_lead(engine, {{"email", "later@example.com"}});  // any write sweeps expired receipts
  CHECK(engine.send("GET", "/api/v1/receipts/" + receipt).status == 404);
  CHECK(engine.send("POST", "/api/v1/receipts/" + receipt + "/restore").status == 404);
  CHECK(engine.send("GET", "/api/v1/receipts").body["data"]["receipts"].empty());
}

TEST_CASE("audit trail: every committed write, key prefix only, filters and pages") {
  TestEngine engine;
  const auto lead = create_lead(engine, {{"email", "a@example.com"}, {"tags", {"x"}}});
  REQUIRE(engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"x"}}}}}).status == 200);
  REQUIRE(engine.send("DELETE", "/api/v1/leads", {{"leadIds", {lead}}, {"dryRun", true}}).status == 200);  // not a write
  REQUIRE(engine.send("DELETE", "/api/v1/leads", {{"deleteAll", "yes"}}).status == 400);                    // refused: not a write

  auto audit = engine.send("GET", "/api/v1/audit");
  REQUIRE(audit.status == 200);
  const auto& entries = audit.body["data"]["entries"];
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]["route"] == "DELETE /leads");
  CHECK(entries[0]["request"]["body"]["filters"]["tags"] == json({"x"}));
  CHECK(entries[0]["counts"]["deletedCount"] == 1);
  CHECK(entries[0]["receiptId"].is_string());
  CHECK(entries[1]["route"] == "POST /leads");
  CHECK(entries[0]["keyPrefix"] == engine.workspace_key.substr(0, 7));
  CHECK(audit.text.find(engine.workspace_key) == std::string::npos);

  auto by_receipt = engine.send("GET", "/api/v1/audit?receiptId=" + entries[0]["receiptId"].get<std::string>());
  CHECK(by_receipt.body["data"]["entries"].size() == 1);
  auto page = engine.send("GET", "/api/v1/audit?limit=1");
  CHECK(page.body["data"]["hasMore"] == true);
  auto next = engine.send("GET", "/api/v1/audit?limit=1&cursor=" + page.body["data"]["nextCursor"].get<std::string>());
  CHECK(next.body["data"]["entries"][0]["route"] == "POST /leads");
  CHECK(engine.send("GET", "/api/v1/audit?method=GET").status == 400);
  CHECK(engine.send("GET", "/api/v1/audit?since=yesterday").status == 400);
}

TEST_CASE("audit_log refuses updates and deletes (append-only in the schema)") {
  const std::string folder = leadline::testing::fresh_folder("audit-append-only-test");
  std::string path;
  {
    TestEngine engine(folder);
    create_lead(engine, {{"email", "a@example.com"}});
    path = engine.workspace_file();
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "SELECT count(*) FROM audit_log", nullptr, nullptr, nullptr) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "UPDATE audit_log SET status = 500", nullptr, nullptr, nullptr) != SQLITE_OK);
  CHECK(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr) != SQLITE_OK);
  sqlite3_close(db);
  std::filesystem::remove_all(folder);
}

TEST_CASE("Idempotency-Key: replay byte for byte, 422 on another body, 409 in flight, scoped per key") {
  TestEngine engine;
  const std::map<std::string, std::string> keyed{{"idempotency-key", "create-1"}};
  const json body{{"email", "once@example.com"}};
  auto first = engine.send("POST", "/api/v1/leads", body, keyed);
  REQUIRE(first.status == 201);
  engine.now_ms += 60'000;
  auto retry = engine.send("POST", "/api/v1/leads", body, keyed);
  CHECK(retry.status == 201);
  CHECK(retry.text == first.text);
  CHECK(retry.headers["idempotent-replayed"] == "true");
  CHECK(engine.lead_count() == 1);

  auto other = engine.send("POST", "/api/v1/leads", {{"email", "other@example.com"}}, keyed);
  CHECK(other.status == 422);
  CHECK(other.body["error"]["code"] == "IDEMPOTENCY_KEY_REUSED");

  // The host says a copy is still in flight in the request itself; a header saying so is ignored.
  leadline::Request copy;
  copy.method = "POST";
  copy.path = "/api/v1/leads";
  copy.headers = {{"x-api-key", engine.workspace_key}, {"content-type", "application/json"}, {"idempotency-key", "k2"}};
  copy.body = R"({"email": "x@example.com"})";
  copy.idempotency_key_in_flight = true;
  auto in_flight = engine.engine->handle(copy);
  CHECK(in_flight.status == 409);
  CHECK(json::parse(in_flight.body)["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE");
  auto forged = engine.send("POST", "/api/v1/leads", {{"email", "x@example.com"}},
                            {{"idempotency-key", "k3"}, {"x-leadline-idempotency-in-flight", "1"}});
  CHECK(forged.status == 201);

  // A dry run is not remembered: the real request with the same key then runs.
  const auto lead = create_lead(engine, {{"email", "del@example.com"}});
  auto preview = engine.send("DELETE", "/api/v1/leads/" + lead + "?dryRun=true", nullptr, {{"idempotency-key", "d1"}});
  CHECK(preview.status == 200);
  auto real = engine.send("DELETE", "/api/v1/leads/" + lead, nullptr, {{"idempotency-key", "d1"}});
  CHECK(real.status == 200);
  CHECK(real.headers.count("idempotent-replayed") == 0);

  // Another API key of the same workspace has its own keys.
  auto created = engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}, {"scopes", {"read", "write"}}});
  REQUIRE(created.status == 201);
  auto second_key = engine.send("POST", "/api/v1/leads", {{"email", "twice@example.com"}}, keyed, created.body["data"]["key"]);
  CHECK(second_key.status == 201);
  CHECK(second_key.headers.count("idempotent-replayed") == 0);

  // After 24 hours the key is free again.
  engine.now_ms += 24LL * 60 * 60 * 1000 + 1;
  auto later = engine.send("POST", "/api/v1/leads", {{"email", "fresh@example.com"}}, keyed);
  CHECK(later.status == 201);
  CHECK(engine.send("POST", "/api/v1/leads", body, {{"idempotency-key", std::string(256, 'k')}}).status == 400);
}
