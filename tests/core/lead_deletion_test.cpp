// Lead deletion through Engine::handle: SendKit's `DELETE /v1/leads` (by ids / by filter,
// protection), the one-lead delete, and Lupitor's bulk delete (by identifier inside a campaign).
#include "api_helpers.hpp"

#include <set>

using leadline::testing::expand_fixture;
using leadline::testing::json;
using leadline::testing::read_fixture;
using leadline::testing::TestEngine;
using leadline::testing::create_campaign;
using leadline::testing::create_lead;
using leadline::testing::without;

namespace {

std::map<std::string, std::string> memberships(TestEngine& engine, const std::string& campaign) {
  std::map<std::string, std::string> rows;
  auto listed = engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads?limit=100");
  REQUIRE(listed.status == 200);
  for (const auto& row : listed.body["data"]["leads"]) rows[row["leadId"]] = row["status"];
  return rows;
}

bool exists(TestEngine& engine, const std::string& lead) {
  return engine.send("GET", "/api/v1/leads/" + lead).status == 200;
}

}  // namespace

TEST_CASE("refused DELETE /leads bodies delete nothing (fixture table)") {
  TestEngine engine;
  create_lead(engine, {{"email", "a@example.com"}, {"tags", {"a"}}});
  const auto cases = read_fixture("delete_leads_requests.json")["cases"];
  for (const auto& row : cases) {
    INFO("case: " << row["name"].get<std::string>());
    auto reply = engine.send("DELETE", "/api/v1/leads", row["body"]);
    CHECK(reply.status == 400);
    CHECK(reply.body["error"]["code"] == "VALIDATION_ERROR");
    CHECK(reply.body["error"]["message"] == row["message"]);
  }
  CHECK(engine.lead_count() == 1);
}

TEST_CASE("DELETE /leads selection table: ids, filters, excludes, workspace scope") {
  struct Row {
    const char* name;
    std::function<json(const std::vector<std::string>&)> body;
    std::set<int> deleted;  // indexes into the leads below
  };
  const std::vector<Row> rows{
      {"ids", [](auto& ids) { return json{{"leadIds", {ids[0], ids[2]}}}; }, {0, 2}},
      {"ids repeated", [](auto& ids) { return json{{"leadIds", {ids[1], ids[1]}}}; }, {1}},
      {"deleteAll everything", [](auto&) { return json{{"deleteAll", true}}; }, {0, 1, 2, 3}},
      {"deleteAll empty filters", [](auto&) { return json{{"deleteAll", true}, {"filters", json::object()}}; }, {0, 1, 2, 3}},
      {"tag", [](auto&) { return json{{"deleteAll", true}, {"filters", {{"tags", {"old"}}}}}; }, {0, 1}},
      {"tag minus excluded", [](auto& ids) { return json{{"deleteAll", true}, {"filters", {{"tags", "old"}}}, {"excludeIds", {ids[0]}}}; }, {1}},
      {"country and status", [](auto&) { return json{{"deleteAll", true}, {"filters", {{"country", "DE"}, {"status", {"lost"}}}}}; }, {1}},
      {"search", [](auto&) { return json{{"deleteAll", true}, {"filters", {{"search", "globex"}}}}; }, {2}},
      {"leadIds filter", [](auto& ids) { return json{{"deleteAll", true}, {"filters", {{"leadIds", {ids[3]}}}}}; }, {3}},
      {"createdAfter", [](auto&) { return json{{"deleteAll", true}, {"filters", {{"createdAfter", "2024-01-16T15:46:41.500Z"}}}}; }, {2, 3}},
      {"nothing matches", [](auto&) { return json{{"deleteAll", true}, {"filters", {{"tags", "none"}}}}; }, {}},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    TestEngine engine;
    std::vector<std::string> ids;
    ids.push_back(create_lead(engine, {{"email", "a@acme.com"}, {"tags", {"old"}}, {"country", "US"}}));
    engine.now_ms += 1000;
    ids.push_back(create_lead(engine, {{"email", "b@acme.com"}, {"tags", {"old"}}, {"country", "DE"}, {"status", "lost"}}));
    engine.now_ms += 1000;
    ids.push_back(create_lead(engine, {{"email", "c@globex.com"}, {"country", "DE"}}));
    engine.now_ms += 1000;
    ids.push_back(create_lead(engine, {{"phoneNumber", "+15551234567"}}));
    // Another workspace's lead never matches, whatever the filter.
    auto other = engine.admin({{"command", "create-workspace"}, {"name", "Other"}});
    const std::string other_key = engine.admin({{"command", "create-key"}, {"workspaceId", other.body["data"]["id"]}}).body["data"]["key"];
    auto foreign = engine.send("POST", "/api/v1/leads", {{"email", "a@acme.com"}, {"tags", {"old"}}}, {}, other_key);
    REQUIRE(foreign.status == 201);

    auto reply = engine.send("DELETE", "/api/v1/leads", row.body(ids));
    REQUIRE(reply.status == 200);
    CHECK(reply.body["data"]["deletedCount"] == row.deleted.size());
    for (int i = 0; i < 4; ++i) {
      INFO("lead " << i);
      CHECK(exists(engine, ids[static_cast<std::size_t>(i)]) == (row.deleted.count(i) == 0));
    }
    CHECK(engine.lead_count(other_key) == 1);
  }
}

TEST_CASE("ids mode reports ids it did not find, another workspace's id is not found") {
  TestEngine engine;
  const auto mine = create_lead(engine, {{"email", "a@example.com"}});
  auto reply = engine.send("DELETE", "/api/v1/leads", {{"leadIds", {mine, "lead_00000000000000ff"}}});
  CHECK(without(reply.body["data"], {"receiptId"}) == json({{"deletedCount", 1}, {"notFoundIds", {"lead_00000000000000ff"}}}));
}

TEST_CASE("active-campaign protection (SendKit): refused with SendKit's message, force removes softly") {
  TestEngine engine;
  std::vector<std::string> leads;
  for (int i = 0; i < 5; ++i) leads.push_back(create_lead(engine, {{"email", "p" + std::to_string(i) + "@example.com"}, {"tags", {"purge"}}}));
  const auto q1 = create_campaign(engine, "Q1 Outreach", {leads[0], leads[1]}, "START");
  const auto follow = create_campaign(engine, "Follow-up Campaign", {leads[1], leads[2]}, "START");
  const auto draft = create_campaign(engine, "Draft", {leads[3], leads[4]});
  const auto paused = create_campaign(engine, "Paused", {leads[0]}, "START");
  REQUIRE(engine.send("PATCH", "/api/v1/campaigns/" + paused + "/status", {{"status", "PAUSED"}}).status == 200);

  auto refused = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"purge"}}}}});
  REQUIRE(refused.status == 400);
  CHECK(refused.body["error"] ==
        json({{"code", "VALIDATION_ERROR"},
              {"message", "3 lead(s) are in active campaigns: Q1 Outreach, Follow-up Campaign. Pass \"force\": true to delete anyway."},
              {"affectedLeads", 3},
              {"campaigns", {"Q1 Outreach", "Follow-up Campaign"}}}));
  CHECK(engine.lead_count() == 5);
  CHECK(memberships(engine, q1).size() == 2);

  // Leads in no active campaign go without force, memberships in the draft with them.
  auto unprotected = engine.send("DELETE", "/api/v1/leads", {{"leadIds", {leads[3]}}});
  CHECK(unprotected.body["data"]["deletedCount"] == 1);
  CHECK(memberships(engine, draft) == std::map<std::string, std::string>{{leads[4], "pending"}});

  auto forced = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"purge"}}}}, {"force", true}});
  REQUIRE(forced.status == 200);
  CHECK(forced.body["data"]["deletedCount"] == 4);
  CHECK(engine.lead_count() == 0);
  // History stays in the active campaigns; other campaigns lose the rows.
  CHECK(memberships(engine, q1) == std::map<std::string, std::string>{{leads[0], "removed"}, {leads[1], "removed"}});
  CHECK(memberships(engine, follow) == std::map<std::string, std::string>{{leads[1], "removed"}, {leads[2], "removed"}});
  CHECK(memberships(engine, draft).empty());
  CHECK(memberships(engine, paused).empty());
  auto counted = engine.send("GET", "/api/v1/campaigns/" + q1);
  CHECK(counted.body["data"]["leadCounts"]["removed"] == 2);
  CHECK(counted.body["data"]["leadCounts"]["active"] == 0);
}

TEST_CASE("DELETE /leads/{id}: reply, 404 details, protection and force") {
  TestEngine engine;
  const auto lead = create_lead(engine, {{"email", "one@example.com"}});
  const auto busy = create_lead(engine, {{"email", "busy@example.com"}});
  create_campaign(engine, "Q1 Outreach", {busy}, "START");
  engine.now_ms = 1705419900000;  // 2024-01-16T15:45:00.000Z
  auto deleted = engine.send("DELETE", "/api/v1/leads/" + lead);
  REQUIRE(deleted.status == 200);
  // Every delete leaves an undo receipt; the rest of the reply is the documented one.
  CHECK(deleted.body["data"]["receiptId"].get<std::string>().rfind("rcp_", 0) == 0);
  deleted.body["data"].erase("receiptId");
  CHECK(deleted.body == json({{"success", true}, {"message", "Lead deleted successfully"},
                              {"data", {{"id", lead}, {"deletedAt", "2024-01-16T15:45:00.000Z"}}}}));
  auto again = engine.send("DELETE", "/api/v1/leads/" + lead);
  CHECK(again.status == 404);
  CHECK(again.body["error"] == json({{"code", "LEAD_NOT_FOUND"}, {"message", "Lead not found"},
                                     {"details", {{"leadId", lead}, {"message", "No lead found with this ID in your workspace"}}}}));
  auto refused = engine.send("DELETE", "/api/v1/leads/" + busy);
  CHECK(refused.status == 400);
  CHECK(refused.body["error"]["message"] == "1 lead(s) are in active campaigns: Q1 Outreach. Pass \"force\": true to delete anyway.");
  CHECK(engine.send("DELETE", "/api/v1/leads/" + busy + "?force=maybe").status == 400);
  CHECK(engine.send("DELETE", "/api/v1/leads/" + busy, {{"force", true}}).status == 200);
  CHECK(engine.lead_count() == 0);
}

TEST_CASE("refused bulk-delete bodies, in Lupitor's order (fixture table)") {
  TestEngine engine;
  const auto campaign = create_campaign(engine, "C", {});
  const auto cases = read_fixture("bulk_delete_requests.json")["cases"];
  for (const auto& row : cases) {
    INFO("case: " << row["name"].get<std::string>());
    auto body = expand_fixture(row["body"]);
    if (body.contains("campaignId") && body["campaignId"] == "@campaign") body["campaignId"] = campaign;
    for (const auto* path : {"/api/v1/leads/bulk-delete", "/api/v1/records/bulk-delete"}) {
      auto reply = engine.send("POST", path, body);
      CHECK(reply.status == 400);
      CHECK(reply.body["error"]["message"] == row["message"]);
    }
  }
}

TEST_CASE("bulk delete by identifier (Lupitor): lookup table, campaign scope, partial success") {
  TestEngine engine;
  const auto by_ext = create_lead(engine, {{"externalId", "crm-1"}, {"phoneNumber", "+15550000001"}});
  const auto by_phone = create_lead(engine, {{"email", "phone@example.com"}, {"phoneNumber", "+1 (555) 000-0002"}});
  const auto shared = create_lead(engine, {{"externalId", "crm-3"}});
  const auto elsewhere = create_lead(engine, {{"externalId", "crm-4"}, {"phoneNumber", "+15550000004"}});
  const auto campaign = create_campaign(engine, "Target", {by_ext, by_phone, shared});
  const auto other = create_campaign(engine, "Other", {shared, elsewhere});

  auto reply = engine.send("POST", "/api/v1/leads/bulk-delete",
                           {{"campaignId", campaign},
                            {"leads",
                             {{{"externalId", "crm-1"}},
                              {{"phoneNumber", "555.000.0002"}},           // national: cannot be normalised
                              {{"phoneNumber", "+1 555-000-0002"}},        // same number, other format
                              {{"externalId", "crm-3"}},
                              {{"externalId", "crm-4"}},                   // in another campaign only
                              {{"externalId", "missing"}, {"phoneNumber", "+15550000002"}},  // externalId wins
                              {{"externalId", "crm-1"}}}}});                // already gone
  REQUIRE(reply.status == 200);
  CHECK(reply.body["data"]["receiptId"].is_string());
  reply.body["data"].erase("receiptId");
  CHECK(reply.body["data"] == json({{"deleted", 3},
                                    {"notFound", 4},
                                    {"deletedIdentifiers", {"crm-1", "+1 555-000-0002", "crm-3"}},
                                    {"notFoundIdentifiers", {"555.000.0002", "crm-4", "missing", "crm-1"}},
                                    {"keptInOtherCampaigns", 1}}));
  CHECK_FALSE(exists(engine, by_ext));
  CHECK_FALSE(exists(engine, by_phone));
  CHECK(exists(engine, shared));  // still in "Other"
  CHECK(exists(engine, elsewhere));
  CHECK(memberships(engine, campaign).empty());
  CHECK(memberships(engine, other).size() == 2);

  auto missing = engine.send("POST", "/api/v1/records/bulk-delete", {{"campaignId", "cmp_0000000000000001"}, {"leads", {{{"externalId", "crm-4"}}}}});
  CHECK(missing.status == 404);
  auto read_only = engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}, {"scopes", {"read"}}});
  CHECK(engine.send("POST", "/api/v1/leads/bulk-delete", {{"campaignId", other}, {"leads", {{{"externalId", "crm-4"}}}}}, {},
                    read_only.body["data"]["key"]).status == 403);
  auto restricted = engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}, {"campaignIds", {campaign}}});
  auto forbidden = engine.send("POST", "/api/v1/leads/bulk-delete", {{"campaignId", other}, {"leads", {{{"externalId", "crm-4"}}}}},
                               {}, restricted.body["data"]["key"]);
  CHECK(forbidden.status == 403);
  CHECK(forbidden.body["error"]["message"] == "Forbidden");
  CHECK(exists(engine, elsewhere));
  CHECK(engine.send("POST", "/api/v1/leads/bulk-delete", {{"campaignId", other}, {"leads", {{{"externalId", "crm-4"}}}}}).body["data"]["deleted"] == 1);
}

TEST_CASE("GET /leads/export: JSON and CSV of a filter's selection, streamed") {
  TestEngine engine;
  json leads = json::array();
  for (int i = 0; i < 2500; ++i) leads.push_back({{"email", "x" + std::to_string(i) + "@example.com"}, {"tags", {i % 2 ? "odd" : "even"}}});
  REQUIRE(engine.send("POST", "/api/v1/leads", {{"leads", leads}}).status == 201);
  auto json_export = engine.send("GET", "/api/v1/leads/export?tags=odd");
  REQUIRE(json_export.status == 200);
  CHECK(json_export.chunks >= 2);
  REQUIRE(json_export.body["success"] == true);
  CHECK(json_export.body["data"]["leads"].size() == 1250);
  CHECK(json_export.body["data"]["leads"][0]["email"] == "x1@example.com");
  auto csv = engine.send("GET", "/api/v1/leads/export?format=csv&tags=even");
  CHECK(csv.headers["content-type"] == "text/csv; charset=utf-8");
  std::size_t lines = 0;
  for (std::size_t at = csv.text.find("\r\n"); at != std::string::npos; at = csv.text.find("\r\n", at + 2)) ++lines;
  CHECK(lines == 1251);
  auto none = engine.send("GET", "/api/v1/leads/export?tags=none");
  CHECK(none.body["data"]["leads"].empty());
  CHECK(engine.send("GET", "/api/v1/leads/export?format=xml").status == 400);
  CHECK(engine.send("GET", "/api/v1/leads/export?tag=odd").status == 400);
}
