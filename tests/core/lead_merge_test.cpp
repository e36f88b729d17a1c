// Merging leads through Engine::handle: fields, tags, memberships (the better status wins) and the
// duplicates' activity go to the primary, the duplicates are deleted, and the receipt un-merges —
// checked in the workspace's file beside the engine.
#include "api_helpers.hpp"


using leadline::testing::create_campaign;
using leadline::testing::beside_the_file;
using leadline::testing::count_rows;
using leadline::testing::create_lead;
using leadline::testing::json;
using leadline::testing::TestEngine;

namespace {


std::int64_t number(const std::string& id) { return std::stoll(id.substr(id.find('_') + 1), nullptr, 16); }

std::map<std::string, std::string> memberships(TestEngine& engine, const std::string& campaign) {
  std::map<std::string, std::string> statuses;
  const auto listed = engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads?limit=100");  // kept: see read_fixture
  for (const auto& row : listed.body["data"]["leads"]) statuses[row["leadId"]] = row["status"];
  return statuses;
}

}  // namespace

TEST_CASE("a merge folds duplicates into the primary and its receipt un-merges them") {
  const auto folder = leadline::testing::fresh_folder("lead-merge");
  TestEngine engine(folder, beside_the_file());
  const auto file = leadline::testing::workspace_database(folder, engine.workspace_id);
  const auto primary = create_lead(engine, {{"email", "ana@merge.example"}, {"companyName", "Primary Co"}, {"tags", {"a"}},
                                            {"customFields", {{"tier", "gold"}}}});
  const auto first = create_lead(engine, {{"email", "ana.old@merge.example"}, {"firstName", "Ana"}, {"companyName", "Old Co"},
                                          {"jobTitle", "CTO"}, {"tags", {"b", "a"}}, {"customFields", {{"tier", "silver"}, {"seat", 2}}}});
  const auto second = create_lead(engine, {{"phoneNumber", "+15551234567"}, {"lastName", "Vance"}, {"tags", {"c"}}});
  const auto both = create_campaign(engine, "Both", {primary, first});
  const auto only_duplicate = create_campaign(engine, "Only the duplicate", {first});
  REQUIRE(engine.admin({{"command", "seed-campaign-activity"}, {"workspaceId", engine.workspace_id}, {"campaignId", only_duplicate}})
              .status == 201);
  // The duplicate replied in the campaign both are in: that status stays with the merged lead.
  REQUIRE(engine.send("PATCH", "/api/v1/campaigns/" + both + "/status", {{"status", "active"}}).status == 200);
  const auto activity_of = [&](const std::string& lead) {
    return count_rows(file, "SELECT (SELECT count(*) FROM email_statistics WHERE lead_id = " + std::to_string(number(lead)) +
                                ") + (SELECT count(*) FROM conversation_messages WHERE lead_id = " + std::to_string(number(lead)) +
                                ") + (SELECT count(*) FROM scheduled_emails WHERE lead_id = " + std::to_string(number(lead)) + ")");
  };
  const auto activity = activity_of(first);
  REQUIRE(activity > 0);

  auto preview = engine.send("POST", "/api/v1/leads/merge",
                             {{"primaryId", primary}, {"duplicateIds", {first, second}}, {"fields", {"companyName"}}, {"dryRun", true}});
  INFO(preview.text);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["data"]["lead"]["companyName"] == "Old Co");
  CHECK(engine.send("GET", "/api/v1/leads/" + first).status == 200);  // the preview changed nothing

  auto merged = engine.send("POST", "/api/v1/leads/merge",
                            {{"primaryId", primary}, {"duplicateIds", {first, second}}, {"fields", {"companyName"}}, {"expectedCount", 2}});
  INFO(merged.text);
  REQUIRE(merged.status == 200);
  const auto& lead = merged.body["data"]["lead"];
  CHECK(lead["id"] == primary);
  CHECK(lead["email"] == "ana@merge.example");       // identifiers stay the primary's
  CHECK(lead["companyName"] == "Old Co");            // named in fields: the duplicate's
  CHECK(lead["firstName"] == "Ana");                 // empty on the primary: filled
  CHECK(lead["lastName"] == "Vance");
  CHECK(lead["phoneNumber"] == "+15551234567");
  CHECK(lead["tags"] == json::array({"a", "b", "c"}));
  CHECK(lead["customFields"] == json{{"tier", "gold"}, {"seat", 2}});  // the primary's keys win
  CHECK(merged.body["data"]["merged"] == json::array({first, second}));
  CHECK(engine.send("GET", "/api/v1/leads/" + first).status == 404);
  CHECK(engine.send("GET", "/api/v1/leads/" + second).status == 404);
  CHECK(count_rows(file, "SELECT count(*) FROM campaign_leads WHERE lead_id = " + std::to_string(number(primary))) == 2);
  CHECK(count_rows(file, "SELECT count(*) FROM campaign_leads") == 2);
  const auto moved = memberships(engine, only_duplicate);
  CHECK(moved.size() == 1);
  CHECK(moved.count(primary) == 1);
  const auto shared = memberships(engine, both);
  CHECK(shared.size() == 1);
  CHECK(shared.count(primary) == 1);
  CHECK(activity_of(primary) == activity);
  CHECK(activity_of(first) == 0);

  auto restored = engine.send("POST", "/api/v1/receipts/" + merged.body["data"]["receiptId"].get<std::string>() + "/restore");
  INFO(restored.text);
  REQUIRE(restored.status == 200);
  CHECK(restored.body["data"]["restored"]["leads"] == 2);
  CHECK(engine.send("GET", "/api/v1/leads/" + first).body["data"]["companyName"] == "Old Co");
  const auto back = engine.send("GET", "/api/v1/leads/" + primary).body["data"];
  CHECK(back["companyName"] == "Primary Co");
  CHECK(back["tags"] == json::array({"a"}));
  CHECK(back["firstName"].is_null());
  CHECK(memberships(engine, both).size() == 2);
  CHECK(memberships(engine, only_duplicate).count(first) == 1);
  CHECK(memberships(engine, only_duplicate).count(primary) == 0);
  CHECK(activity_of(first) == activity);
  CHECK(activity_of(primary) == 0);
  CHECK(engine.send("GET", "/api/v1/leads?tags=b").body["data"]["leads"].size() == 1);
}

TEST_CASE("in a campaign both are in, the better membership status stays, and an unsubscribe is never lost") {
  TestEngine engine;
  const auto primary = create_lead(engine, {{"email", "p@merge.example"}});
  const auto duplicate = create_lead(engine, {{"email", "d@merge.example"}, {"status", "unsubscribed"}});
  const auto campaign = create_campaign(engine, "Shared", {primary}, "active");
  REQUIRE(engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"leads", {{{"leadId", duplicate}}}}}).status == 200);
  auto merged = engine.send("POST", "/api/v1/leads/merge", {{"primaryId", primary}, {"duplicateIds", {duplicate}}});
  INFO(merged.text);
  REQUIRE(merged.status == 200);
  CHECK(merged.body["data"]["lead"]["status"] == "unsubscribed");
  CHECK(engine.send("GET", "/api/v1/suppressions/check?email=p@merge.example").body["data"]["suppressed"] == true);
}

TEST_CASE("merge refusals name their field or lead, and change nothing") {
  TestEngine engine;
  const auto primary = create_lead(engine, {{"email", "p@merge.example"}});
  const auto duplicate = create_lead(engine, {{"email", "d@merge.example"}});
  const std::vector<std::pair<json, std::string>> refused{
      {{{"duplicateIds", {duplicate}}}, "primaryId"},
      {{{"primaryId", primary}}, "duplicateIds"},
      {{{"primaryId", primary}, {"duplicateIds", {primary}}}, "duplicateIds[0]"},
      {{{"primaryId", primary}, {"duplicateIds", {duplicate, duplicate}}}, "duplicateIds[1]"},
      {{{"primaryId", primary}, {"duplicateIds", {duplicate}}, {"fields", {"email"}}}, "fields[0]"},
      {{{"primaryId", primary}, {"duplicateIds", {duplicate}}, {"keep", true}}, "keep"},
  };
  for (const auto& [body, field] : refused) {
    auto reply = engine.send("POST", "/api/v1/leads/merge", body);
    INFO(reply.text);
    CHECK(reply.status == 400);
    CHECK(reply.body["error"]["field"] == field);
  }
  auto missing = engine.send("POST", "/api/v1/leads/merge", {{"primaryId", primary}, {"duplicateIds", {"lead_00000000000000ff"}}});
  CHECK(missing.status == 404);
  CHECK(missing.body["error"]["details"]["leadId"] == "lead_00000000000000ff");
  CHECK(engine.send("GET", "/api/v1/leads/" + duplicate).status == 200);
}
