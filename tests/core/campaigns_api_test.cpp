// Campaigns through Engine::handle: CRUD, adding leads (SendKit's three modes), export and cascade delete (Smartlead's).
#include "api/csv_writer.hpp"
#include "engine_harness.hpp"

#include <sqlite3.h>

#include <cstdio>

using leadline::testing::expand_fixture;
using leadline::testing::json;
using leadline::testing::read_fixture;
using leadline::testing::TestEngine;

namespace {

std::string create_campaign(TestEngine& engine, const std::string& name, const std::string& key = "") {
  auto created = engine.send("POST", "/api/v1/campaigns", {{"name", name}}, {}, key);
  REQUIRE(created.status == 201);
  return created.body["data"]["id"];
}

std::string create_lead(TestEngine& engine, const json& body) {
  auto created = engine.send("POST", "/api/v1/leads", body);
  REQUIRE(created.status == 201);
  return created.body["data"]["id"];
}

// A campaign holding `leads` (by id).
std::string campaign_with(TestEngine& engine, const std::string& name, const std::vector<std::string>& leads) {
  const auto id = create_campaign(engine, name);
  json entries = json::array();
  for (const auto& lead : leads) entries.push_back({{"leadId", lead}});
  if (!leads.empty()) REQUIRE(engine.send("POST", "/api/v1/campaigns/" + id + "/leads", {{"leads", entries}}).status == 200);
  return id;
}

std::size_t member_count(TestEngine& engine, const std::string& campaign) {
  auto got = engine.send("GET", "/api/v1/campaigns/" + campaign);
  REQUIRE(got.status == 200);
  return got.body["data"]["leadCounts"]["total"].get<std::size_t>();
}

}  // namespace

TEST_CASE("campaign CRUD: create as draft, read, rename, list with archived hidden, pages") {
  TestEngine engine;
  auto created = engine.send("POST", "/v1/campaigns", {{"name", "  Q1 Outreach "}});
  REQUIRE(created.status == 201);
  CHECK(created.body["data"]["name"] == "Q1 Outreach");
  CHECK(created.body["data"]["status"] == "draft");
  CHECK(created.body["data"]["leadCounts"]["total"] == 0);
  const auto id = created.body["data"]["id"].get<std::string>();
  CHECK(id.rfind("cmp_", 0) == 0);

  auto got = engine.send("GET", "/api/v1/campaigns/" + id);
  CHECK(got.body["data"]["owned"]["sequences"] == 0);
  engine.now_ms += 1000;
  auto renamed = engine.send("PATCH", "/api/v1/campaigns/" + id, {{"name", "Renamed"}});
  CHECK(renamed.body["data"]["name"] == "Renamed");
  CHECK(renamed.body["data"]["updatedAt"] == "2024-01-16T15:46:41.000Z");
  CHECK(engine.send("PATCH", "/api/v1/campaigns/" + id, {{"status", "active"}}).body["error"]["field"] == "status");
  CHECK(engine.send("PATCH", "/api/v1/campaigns/" + id, {{"nam", "x"}}).status == 400);
  CHECK(engine.send("POST", "/api/v1/campaigns", {{"name", ""}}).body["error"]["message"] == "name: must not be empty");
  CHECK(engine.send("POST", "/api/v1/campaigns", json::object()).body["error"]["message"] == "name: is required");

  for (int i = 0; i < 4; ++i) create_campaign(engine, "C" + std::to_string(i));
  REQUIRE(engine.send("PATCH", "/api/v1/campaigns/" + id + "/status", {{"status", "ARCHIVED"}}).status == 200);
  CHECK(engine.send("GET", "/api/v1/campaigns").body["data"]["campaigns"].size() == 4);
  CHECK(engine.send("GET", "/api/v1/campaigns?includeArchived=true").body["data"]["campaigns"].size() == 5);
  auto archived = engine.send("GET", "/api/v1/campaigns?status=ARCHIVED");
  REQUIRE(archived.body["data"]["campaigns"].size() == 1);
  CHECK(archived.body["data"]["campaigns"][0]["statusBeforeArchive"] == "draft");
  auto first = engine.send("GET", "/api/v1/campaigns?limit=3");
  CHECK(first.body["data"]["hasMore"] == true);
  auto second = engine.send("GET", "/api/v1/campaigns?limit=3&cursor=" + first.body["data"]["nextCursor"].get<std::string>());
  CHECK(second.body["data"]["campaigns"].size() == 1);
  CHECK(second.body["data"]["hasMore"] == false);
  CHECK(engine.send("GET", "/api/v1/campaigns?state=active").status == 400);
  CHECK(engine.send("GET", "/api/v1/campaigns?status=running").status == 400);

  auto missing = engine.send("GET", "/api/v1/campaigns/cmp_0000000000000001");
  CHECK(missing.status == 404);
  CHECK(missing.body["error"]["code"] == "NOT_FOUND");
  CHECK(missing.body["error"]["message"] == "Campaign not found");
}

TEST_CASE("refused add-to-campaign bodies add nothing (fixture table)") {
  TestEngine engine;
  const auto campaign = create_campaign(engine, "Refusals");
  create_lead(engine, {{"email", "a@example.com"}, {"tags", {"vip"}}});
  const auto cases = read_fixture("campaign_add_requests.json")["cases"];
  for (const auto& row : cases) {
    INFO("case: " << row["name"].get<std::string>());
    auto reply = engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads", expand_fixture(row["body"]));
    CHECK(reply.status == 400);
    CHECK(reply.body["error"]["code"] == "VALIDATION_ERROR");
    CHECK(reply.body["error"]["message"] == row["message"]);
    if (row["field"].is_null()) CHECK_FALSE(reply.body["error"].contains("field"));
    else CHECK(reply.body["error"]["field"] == row["field"]);
  }
  CHECK(member_count(engine, campaign) == 0);
  CHECK(engine.lead_count() == 1);
}

TEST_CASE("explicit mode (SendKit): leadId or email, unknown emails create leads, bad entries reported") {
  TestEngine engine;
  const auto campaign = create_campaign(engine, "Explicit");
  const auto existing = create_lead(engine, {{"email", "jane@example.com"}, {"firstName", "Jane"}});
  const auto taken = create_lead(engine, {{"externalId", "crm-1"}});
  const auto path = "/api/v1/campaigns/" + campaign + "/leads";
  auto reply = engine.send("POST", path,
                           {{"leads",
                             {{{"email", "john@acme.com"}, {"firstName", "John"}, {"lastName", "Doe"}, {"companyName", "Acme Corp"}},
                              {{"email", "JANE@example.com"}, {"firstName", "Ignored"}},
                              {{"leadId", existing}},
                              {{"email", "invalid@"}},
                              {{"leadId", "665d4e5f6a7b8c9d0e1f2a3b"}},
                              {{"firstName", "NoId"}},
                              {{"email", "new@example.com"}, {"externalId", "crm-1"}},
                              {{"email", "bad-country@example.com"}, {"country", "XX"}},
                              {{"leadId", existing}, {"email", "jane@example.com"}},
                              "not an object"}}});
  REQUIRE(reply.status == 200);
  const auto& data = reply.body["data"];
  CHECK(data["added"] == 2);    // john (created) and jane
  CHECK(data["skipped"] == 1);  // jane named twice
  CHECK(data["created"] == 1);
  REQUIRE(data["errors"].size() == 7);
  CHECK(data["errors"][0] == json({{"index", 3}, {"entry", {{"email", "invalid@"}}}, {"message", "Either leadId or email is required"}}));
  CHECK(data["errors"][1]["message"] == "Lead not found");
  CHECK(data["errors"][2]["message"] == "Either leadId or email is required");
  CHECK(data["errors"][3]["message"] == "A lead with this externalId already exists");
  CHECK(data["errors"][4]["message"] == "country: must be an ISO 3166-1 alpha-2 country code, e.g. US");
  CHECK(data["errors"][5]["message"] == "An entry with leadId takes no other fields");
  CHECK(data["errors"][6]["index"] == 9);
  CHECK(engine.lead_count() == 3);  // jane, crm-1, john: no lead from a refused entry
  auto jane = engine.send("GET", "/api/v1/leads/" + existing);
  CHECK(jane.body["data"]["firstName"] == "Jane");  // adding never rewrites an existing lead
  (void)taken;

  auto again = engine.send("POST", path, {{"leads", {{{"leadId", existing}}, {{"email", "john@acme.com"}}}}});
  CHECK(again.body["data"] == json({{"added", 0}, {"skipped", 2}, {"suppressed", 0}, {"created", 0}, {"errors", json::array()}}));

  auto listed = engine.send("GET", path);
  REQUIRE(listed.body["data"]["leads"].size() == 2);
  CHECK(listed.body["data"]["leads"][0]["status"] == "pending");  // draft campaign
  CHECK(listed.body["data"]["leads"][0]["lead"]["email"] == "john@acme.com");
}

TEST_CASE("filters and selectAll modes: matched, added, skipped, excludeIds, status of new members") {
  TestEngine engine;
  const auto a = create_lead(engine, {{"email", "a@example.com"}, {"tags", {"vip"}}, {"country", "US"}});
  const auto b = create_lead(engine, {{"email", "b@example.com"}, {"tags", {"vip"}}, {"country", "DE"}});
  const auto c = create_lead(engine, {{"email", "c@example.com"}, {"country", "US"}});
  const auto campaign = create_campaign(engine, "Modes");
  const auto path = "/api/v1/campaigns/" + campaign + "/leads";
  REQUIRE(engine.send("PATCH", "/api/v1/campaigns/" + campaign + "/status", {{"status", "START"}}).status == 200);

  struct Row {
    json body;
    int added, skipped, matched;
  };
  const std::vector<Row> rows{
      {{{"filters", {{"tags", {"vip"}}, {"country", "US"}}}}, 1, 0, 1},
      {{{"filters", {{"tags", {"vip"}}}}}, 1, 1, 2},
      {{{"filters", {{"leadIds", {a, c}}}}, {"excludeIds", {a}}}, 1, 0, 1},
      {{{"selectAll", true}, {"excludeIds", {b}}}, 0, 2, 2},
      {{{"selectAll", true}}, 0, 3, 3},
      {{{"filters", {{"search", "nobody"}}}}, 0, 0, 0},
  };
  for (const auto& row : rows) {
    INFO(row.body.dump());
    auto reply = engine.send("POST", path, row.body);
    REQUIRE(reply.status == 200);
    CHECK(reply.body["data"] == json({{"added", row.added}, {"skipped", row.skipped}, {"suppressed", 0}, {"matched", row.matched}}));
  }
  auto listed = engine.send("GET", path + "?status=active");
  CHECK(listed.body["data"]["leads"].size() == 3);
  CHECK(engine.send("GET", path + "?status=pending").body["data"]["leads"].empty());
  CHECK(engine.send("GET", path + "?status=waiting").status == 400);

  // Memberships of a campaign are a lead filter too.
  const auto other = create_campaign(engine, "Other");
  auto copied = engine.send("POST", "/api/v1/campaigns/" + other + "/leads", {{"filters", {{"campaignId", campaign}}}});
  CHECK(copied.body["data"]["added"] == 3);
}

TEST_CASE("adding is refused for stopped, completed and archived campaigns, and for unknown ones") {
  TestEngine engine;
  create_lead(engine, {{"email", "a@example.com"}});
  for (const auto* status : {"STOPPED", "COMPLETED", "ARCHIVED"}) {
    INFO(status);
    const auto campaign = create_campaign(engine, status);
    const auto base = "/api/v1/campaigns/" + campaign;
    REQUIRE(engine.send("PATCH", base + "/status", {{"status", "START"}}).status == 200);
    REQUIRE(engine.send("PATCH", base + "/status", {{"status", status}}).status == 200);
    auto refused = engine.send("POST", base + "/leads", {{"selectAll", true}});
    CHECK(refused.status == 409);
    CHECK(refused.body["error"]["code"] == "CONFLICT");
    CHECK(member_count(engine, campaign) == 0);
  }
  auto missing = engine.send("POST", "/api/v1/campaigns/example_string/leads", {{"selectAll", true}});
  CHECK(missing.status == 404);
  CHECK(missing.body == json({{"success", false}, {"error", {{"code", "NOT_FOUND"}, {"message", "Campaign not found"}, {"details", {{"campaignId", "example_string"}}}}}}));
}

TEST_CASE("keys restricted to campaigns reach only those campaigns") {
  TestEngine engine;
  const auto mine = create_campaign(engine, "Mine");
  const auto theirs = create_campaign(engine, "Theirs");
  auto key = engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}, {"campaignIds", {mine}}});
  const auto restricted = key.body["data"]["key"].get<std::string>();

  CHECK(engine.send("GET", "/api/v1/campaigns/" + mine, nullptr, {}, restricted).status == 200);
  auto forbidden = engine.send("GET", "/api/v1/campaigns/" + theirs, nullptr, {}, restricted);
  CHECK(forbidden.status == 403);
  CHECK(forbidden.body["error"]["message"] == "Forbidden");
  CHECK(engine.send("DELETE", "/api/v1/campaigns/" + theirs, nullptr, {}, restricted).status == 403);
  CHECK(engine.send("GET", "/api/v1/campaigns/cmp_0000000000000001", nullptr, {}, restricted).status == 404);
  auto listed = engine.send("GET", "/api/v1/campaigns", nullptr, {}, restricted);
  REQUIRE(listed.body["data"]["campaigns"].size() == 1);
  CHECK(listed.body["data"]["campaigns"][0]["id"] == mine);
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {}, restricted).status == 403);
  CHECK(engine.send("POST", "/api/v1/campaigns", {{"name", "x"}}, {}, restricted).status == 403);
  auto copy = engine.send("POST", "/api/v1/campaigns/" + mine + "/leads", {{"filters", {{"campaignId", theirs}}}}, {}, restricted);
  CHECK(copy.status == 403);
  // A restricted key creates no leads: an unknown email is "not found" like any other.
  auto created = engine.send("POST", "/api/v1/campaigns/" + mine + "/leads", {{"leads", {{{"email", "x@example.com"}}}}}, {}, restricted);
  CHECK(created.body["data"]["added"] == 0);
  CHECK(created.body["data"]["created"] == 0);
  CHECK(created.body["data"]["errors"][0]["message"] == "Lead not found");
  CHECK(engine.lead_count() == 0);

  // Another workspace's campaign is indistinguishable from a missing one.
  auto other = engine.admin({{"command", "create-workspace"}, {"name", "Other"}});
  auto other_key = engine.admin({{"command", "create-key"}, {"workspaceId", other.body["data"]["id"]}});
  auto foreign = engine.send("GET", "/api/v1/campaigns/" + mine, nullptr, {}, other_key.body["data"]["key"]);
  CHECK(foreign.status == 404);
  CHECK(foreign.body["error"]["message"] == "Campaign not found");
}

// A campaign-restricted key reaches a lead only while it is in one of the key's campaigns.
// Every add mode is tried with a lead inside that reach, one in another campaign and one in
// none; only the first may ever be added, shown in a preview or counted.
TEST_CASE("a campaign-restricted key adds, previews and counts only leads already in its campaigns") {
  TestEngine engine;
  const auto inside = create_lead(engine, {{"email", "inside@example.com"}, {"tags", {"vip"}}, {"country", "DE"}});
  const auto elsewhere = create_lead(engine, {{"email", "elsewhere@example.com"}, {"tags", {"vip"}}, {"country", "DE"}});
  const auto loose = create_lead(engine, {{"email", "loose@example.com"}, {"tags", {"vip"}}, {"country", "DE"}});
  const auto home = campaign_with(engine, "Home", {inside});
  campaign_with(engine, "Theirs", {elsewhere});
  auto home_key = engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}, {"campaignIds", {home}}});
  const auto restricted = home_key.body["data"]["key"].get<std::string>();

  struct Mode {
    const char* name;
    json body;
  };
  const std::vector<Mode> modes{
      {"select all", {{"selectAll", true}}},
      {"select all except none", {{"selectAll", true}, {"excludeIds", json::array()}}},
      {"tags", {{"filters", {{"tags", {"vip"}}}}}},
      {"search", {{"filters", {{"search", "example.com"}}}}},
      {"status", {{"filters", {{"status", {"new"}}}}}},
      {"country", {{"filters", {{"country", {"DE"}}}}}},
      {"verification", {{"filters", {{"emailVerificationStatus", {"unverified"}}}}}},
      {"lead ids", {{"filters", {{"leadIds", {inside, elsewhere, loose}}}}}},
      {"created after", {{"filters", {{"createdAfter", "2000-01-01T00:00:00Z"}}}}},
      {"own campaign", {{"filters", {{"campaignId", home}}}}},
      {"explicit ids", {{"leads", {{{"leadId", inside}}, {{"leadId", elsewhere}}, {{"leadId", loose}}}}}},
      {"explicit emails",
       {{"leads", {{{"email", "inside@example.com"}}, {{"email", "elsewhere@example.com"}}, {{"email", "loose@example.com"}}}}}},
  };
  // One fresh target campaign (and a key for it and the home campaign) per mode.
  for (const auto& mode : modes) {
    INFO(mode.name);
    const auto target = create_campaign(engine, std::string("Target ") + mode.name);
    auto scoped = engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}, {"campaignIds", {home, target}}});
    const auto key = scoped.body["data"]["key"].get<std::string>();
    const auto add = "/api/v1/campaigns/" + target + "/leads";

    auto preview = mode.body;
    preview["dryRun"] = true;
    auto dry = engine.send("POST", add, preview, {}, key);
    REQUIRE(dry.status == 200);
    CHECK(dry.body["data"]["added"] == 1);
    if (dry.body["data"].contains("matched")) CHECK(dry.body["data"]["matched"] == 1);
    REQUIRE(dry.body["data"]["preview"]["sample"].size() == 1);
    CHECK(dry.body["data"]["preview"]["sample"][0]["id"] == inside);
    // Only what the caller itself sent may come back of the leads outside its reach.
    const auto sent = mode.body.dump();
    for (const auto& outside : {elsewhere, loose, std::string("elsewhere@example.com"), std::string("loose@example.com")}) {
      if (sent.find(outside) == std::string::npos) CHECK(dry.text.find(outside) == std::string::npos);
    }

    auto real = engine.send("POST", add, mode.body, {}, key);
    REQUIRE(real.status == 200);
    CHECK(real.body["data"]["added"] == 1);
    auto members = engine.send("GET", add, nullptr, {}, key);
    REQUIRE(members.body["data"]["leads"].size() == 1);
    CHECK(members.body["data"]["leads"][0]["leadId"] == inside);
  }
  CHECK(engine.lead_count() == 3);  // nothing created, nothing deleted
  // Another campaign's members stay out of reach in bulk deletes too: not found, not deleted.
  auto bulk = engine.send("POST", "/api/v1/leads/bulk-delete",
                          {{"campaignId", home}, {"leads", {{{"externalId", "absent"}}}}}, {}, restricted);
  CHECK(bulk.body["data"]["deleted"] == 0);
  CHECK(engine.send("GET", "/api/v1/leads/" + elsewhere).status == 200);
  CHECK(engine.send("GET", "/api/v1/leads/" + loose).status == 200);
}

TEST_CASE("sequences and webhooks: create, list in order, delete with renumbering, strict input") {
  TestEngine engine;
  const auto campaign = create_campaign(engine, "Owned");
  const auto base = "/api/v1/campaigns/" + campaign;
  auto first = engine.send("POST", base + "/sequences", {{"subject", "Hi"}, {"body", "Hello {{firstName}}"}});
  REQUIRE(first.status == 201);
  CHECK(first.body["data"]["stepNumber"] == 1);
  CHECK(first.body["data"]["delayDays"] == 0);
  auto second = engine.send("POST", base + "/sequences", {{"body", "Following up"}});
  CHECK(second.body["data"]["delayDays"] == 1);
  auto third = engine.send("POST", base + "/sequences", {{"body", "Last try"}, {"delayDays", 5}});
  CHECK(third.body["data"]["stepNumber"] == 3);
  CHECK(engine.send("POST", base + "/sequences", {{"body", "x"}, {"delayDays", 366}}).status == 400);
  CHECK(engine.send("POST", base + "/sequences", {{"body", "x"}, {"delay", 1}}).status == 400);
  CHECK(engine.send("POST", base + "/sequences", {{"subject", "no body"}}).body["error"]["message"] == "body: is required");

  auto deleted = engine.send("DELETE", base + "/sequences/" + second.body["data"]["id"].get<std::string>());
  CHECK(deleted.status == 200);
  auto steps = engine.send("GET", base + "/sequences").body["data"]["sequences"];
  REQUIRE(steps.size() == 2);
  CHECK(steps[0]["body"] == "Hello {{firstName}}");
  CHECK(steps[1]["stepNumber"] == 2);
  CHECK(steps[1]["body"] == "Last try");
  CHECK(engine.send("DELETE", base + "/sequences/seq_0000000000000001").status == 404);

  auto hook = engine.send("POST", base + "/webhooks", {{"url", "https://hooks.example.com/x"}, {"events", {"email.replied", "email.replied"}}});
  REQUIRE(hook.status == 201);
  CHECK(hook.body["data"]["events"] == json({"email.replied"}));
  CHECK(engine.send("POST", base + "/webhooks", {{"url", "ftp://x"}, {"events", {"email.sent"}}}).body["error"]["field"] == "url");
  CHECK(engine.send("POST", base + "/webhooks", {{"url", "https://x.example"}, {"events", {"email.exploded"}}}).body["error"]["field"] == "events[0]");
  CHECK(engine.send("GET", base + "/webhooks").body["data"]["webhooks"].size() == 1);
  CHECK(engine.send("DELETE", base + "/webhooks/" + hook.body["data"]["id"].get<std::string>()).status == 200);
  CHECK(engine.send("GET", base + "/webhooks").body["data"]["webhooks"].empty());
}

namespace {

std::int64_t count_rows(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const auto count = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return count;
}

// Rows each owned table holds for one campaign, read straight from the database file.
std::map<std::string, std::int64_t> owned_rows(const std::string& path, const std::string& campaign_id) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const auto id = std::to_string(std::stoll(campaign_id.substr(4), nullptr, 16));
  std::map<std::string, std::int64_t> counts;
  for (const auto* table : {"campaign_sequences", "campaign_leads", "email_statistics", "campaign_webhooks",
                            "scheduled_emails", "conversation_messages"}) {
    counts[table] = count_rows(db, std::string("SELECT count(*) FROM ") + table + " WHERE campaign_id = " + id);
  }
  counts["campaigns"] = count_rows(db, "SELECT count(*) FROM campaigns WHERE id = " + id);
  sqlite3_close(db);
  return counts;
}

}  // namespace

TEST_CASE("DELETE /campaigns/{id} (Smartlead): cascade of everything owned, leads stay, others untouched") {
  const std::string folder = leadline::testing::fresh_folder("leadline-cascade-test");
  {
    leadline::EngineOptions shared_file;
    shared_file.exclusive_lock = false;  // owned_rows reads the file beside the live engine
    TestEngine engine(folder, shared_file);
    const auto path = engine.workspace_file();
    for (int i = 0; i < 5; ++i) create_lead(engine, {{"email", "l" + std::to_string(i) + "@example.com"}});
    std::vector<std::string> campaigns{create_campaign(engine, "Doomed"), create_campaign(engine, "Kept")};
    for (const auto& campaign : campaigns) {
      const auto base = "/api/v1/campaigns/" + campaign;
      REQUIRE(engine.send("POST", base + "/sequences", {{"body", "one"}}).status == 201);
      REQUIRE(engine.send("POST", base + "/sequences", {{"body", "two"}}).status == 201);
      REQUIRE(engine.send("POST", base + "/webhooks", {{"url", "https://h.example"}, {"events", {"email.sent"}}}).status == 201);
      REQUIRE(engine.send("POST", base + "/leads", {{"selectAll", true}}).body["data"]["added"] == 5);
      REQUIRE(engine.admin({{"command", "seed-campaign-activity"}, {"workspaceId", engine.workspace_id}, {"campaignId", campaign}})
                  .status == 201);
      REQUIRE(engine.send("PATCH", base + "/status", {{"status", "START"}}).status == 200);
    }
    const auto kept_before = owned_rows(path, campaigns[1]);
    CHECK(kept_before.at("email_statistics") == 5);

    auto refused = engine.send("DELETE", "/api/v1/campaigns/" + campaigns[0]);
    CHECK(refused.status == 409);
    CHECK(refused.body["error"]["message"].get<std::string>().find("Stop it first") != std::string::npos);
    CHECK(owned_rows(path, campaigns[0]) == kept_before);  // nothing removed
    CHECK(engine.send("DELETE", "/api/v1/campaigns/" + campaigns[0] + "?force=yes").status == 400);
    CHECK(engine.send("DELETE", "/api/v1/campaigns/" + campaigns[0] + "?forse=true").status == 400);

    REQUIRE(engine.send("PATCH", "/api/v1/campaigns/" + campaigns[0] + "/status", {{"status", "STOPPED"}}).status == 200);
    auto deleted = engine.send("DELETE", "/api/v1/campaigns/" + campaigns[0]);
    REQUIRE(deleted.status == 200);
    CHECK(deleted.body["success"] == true);
    CHECK(deleted.body["message"] == "Campaign deleted successfully");
    CHECK(deleted.body["data"]["deleted"] == json({{"sequences", 2}, {"leadMemberships", 5}, {"statistics", 5},
                                                   {"webhooks", 1}, {"scheduledEmails", 5}, {"messages", 5}}));
    for (const auto& [table, count] : owned_rows(path, campaigns[0])) {
      INFO(table);
      CHECK(count == 0);
    }
    CHECK(owned_rows(path, campaigns[1]) == kept_before);
    CHECK(engine.lead_count() == 5);
    CHECK(engine.send("GET", "/api/v1/campaigns/" + campaigns[0]).status == 404);
    CHECK(engine.send("DELETE", "/api/v1/campaigns/" + campaigns[0]).status == 404);

    auto forced = engine.send("DELETE", "/api/v1/campaigns/" + campaigns[1] + "?force=true");
    CHECK(forced.status == 200);
    CHECK(forced.body["data"]["deleted"]["leadMemberships"] == 5);
  }
  std::filesystem::remove_all(folder);
}

TEST_CASE("CSV cells: quoting per RFC 4180 and formula neutralisation") {
  const std::vector<std::pair<std::string, std::string>> cells{
      {"plain", "plain"},          {"a,b", "\"a,b\""},         {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""}, {"=1+2", "'=1+2"},     {"+15551234567", "'+15551234567"},
      {"-5", "'-5"},               {"@SUM(A1)", "'@SUM(A1)"},  {"=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""},
      {"", ""},                    {"Zoë", "Zoë"}};
  for (const auto& [cell, expected] : cells) {
    INFO(cell);
    std::string out;
    leadline::api::append_csv_cell(out, cell);
    CHECK(out == expected);
  }
}

TEST_CASE("leads-export: CSV with BOM, header, one row per membership, in chunks") {
  TestEngine engine;
  const auto campaign = create_campaign(engine, "Export");
  // 10,500 members in three adds of 3,500: 10,000 rows per piece makes two.
  for (int batch = 0; batch < 3; ++batch) {
    json leads = json::array();
    for (int i = batch * 3500; i < (batch + 1) * 3500; ++i) leads.push_back({{"email", "e" + std::to_string(i) + "@example.com"}});
    if (batch == 0) {
      leads[0] = {{"email", "evil@example.com"}, {"firstName", "=cmd|' /C calc'!A0"}, {"companyName", "Acme, Inc."},
                  {"tags", {"a", "b"}}, {"customFields", {{"plan", "pro"}}}};
    }
    REQUIRE(engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"leads", leads}}).body["data"]["added"] == 3500);
  }

  auto exported = engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads-export");
  REQUIRE(exported.status == 200);
  CHECK(exported.headers["content-type"] == "text/csv; charset=utf-8");
  CHECK(exported.headers["content-disposition"].find("attachment") == 0);
  CHECK(exported.chunks >= 2);  // 10,000 rows per piece, then the rest and the end
  const auto& text = exported.text;
  REQUIRE(text.rfind("\xEF\xBB\xBF", 0) == 0);
  const auto header_end = text.find("\r\n");
  CHECK(text.substr(3, header_end - 3) ==
        "leadId,email,firstName,lastName,companyName,jobTitle,phoneNumber,externalId,country,leadStatus,"
        "emailVerificationStatus,tags,customFields,membershipStatus,addedAt,leadCreatedAt");
  std::size_t lines = 0;
  for (std::size_t at = text.find("\r\n"); at != std::string::npos; at = text.find("\r\n", at + 2)) ++lines;
  CHECK(lines == 10501);
  CHECK(text.find(",evil@example.com,'=cmd|' /C calc'!A0,,\"Acme, Inc.\",,,,,new,unverified,a; b,"
                  "\"{\"\"plan\"\":\"\"pro\"\"}\",pending,") != std::string::npos);

  auto pending_only = engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads-export?status=active");
  CHECK(pending_only.text.find("\r\n") == pending_only.text.size() - 2);  // header only
  CHECK(engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads-export?format=xlsx").status == 400);
  CHECK(engine.send("GET", "/api/v1/campaigns/cmp_0000000000000001/leads-export").status == 404);
}
