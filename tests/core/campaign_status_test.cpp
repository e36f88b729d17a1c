// The campaign status machine: the unit rules, and the fixture table driven through the engine.
#include "engine_harness.hpp"
#include "guards/campaign_status.hpp"
#include "validation/campaign_input.hpp"

using leadline::Campaign;
using leadline::testing::json;
using leadline::testing::read_fixture;
using leadline::testing::TestEngine;

TEST_CASE("requested statuses: any case of the statuses, plus Smartlead's START") {
  using leadline::validation::parse_requested_status;
  const std::vector<std::pair<std::string, std::string>> accepted{
      {"START", "active"},   {"start", "active"},     {"ACTIVE", "active"},   {"PAUSED", "paused"},
      {"STOPPED", "stopped"}, {"ARCHIVED", "archived"}, {"Completed", "completed"}, {"draft", "draft"}};
  for (const auto& [given, expected] : accepted) {
    INFO(given);
    CHECK(parse_requested_status(given) == expected);
  }
  for (const auto* refused : {"", "RUNNING", "paused ", "stop", "archive"}) {
    INFO(refused);
    CHECK_FALSE(parse_requested_status(refused).has_value());
  }
}

TEST_CASE("transitions: allowed lists and what memberships do") {
  using namespace leadline::guards;
  Campaign campaign;
  campaign.status = "archived";
  campaign.status_before_archive = "paused";
  CHECK(allowed_transitions(campaign) == std::vector<std::string>{"paused"});
  CHECK(check_transition(campaign, "paused").ok());
  auto refused = check_transition(campaign, "active");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == leadline::ErrorCode::InvalidTransition);
  CHECK(refused.error().message == "Cannot change a archived campaign to active; allowed: paused");

  CHECK(membership_change_for("paused")->from == std::vector<std::string>{"active"});
  CHECK(membership_change_for("active")->to == "active");
  CHECK_FALSE(membership_change_for("stopped").has_value());
  CHECK_FALSE(membership_change_for("archived").has_value());

  for (const auto& [status, accepts] : std::vector<std::pair<std::string, bool>>{
           {"draft", true}, {"active", true}, {"paused", true}, {"stopped", false}, {"completed", false},
           {"archived", false}}) {
    campaign.status = status;
    INFO(status);
    CHECK(check_accepts_leads(campaign).ok() == accepts);
    CHECK(initial_membership_status(campaign) == (status == "active" ? "active" : "pending"));
  }
}

TEST_CASE("the transition table (fixture) through PATCH /campaigns/{id}/status") {
  TestEngine engine;
  const auto cases = read_fixture("campaign_transitions.json")["cases"];
  for (const auto& row : cases) {
    INFO("path: " << row["path"].dump());
    auto created = engine.send("POST", "/api/v1/campaigns", {{"name", "Transitions"}});
    REQUIRE(created.status == 201);
    const auto path = "/api/v1/campaigns/" + created.body["data"]["id"].get<std::string>() + "/status";
    const auto& steps = row["path"];
    for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
      REQUIRE(engine.send("PATCH", path, {{"status", steps[i]}}).status == 200);
    }
    auto last = engine.send("PATCH", path, {{"status", steps.back()}});
    CHECK(last.status == row["status"].get<int>());
    if (row.contains("campaignStatus")) CHECK(last.body["data"]["status"] == row["campaignStatus"]);
    if (row.contains("allowed")) {
      CHECK(last.body["error"]["code"] == "INVALID_TRANSITION");
      CHECK(last.body["error"]["allowed"] == row["allowed"]);
    }
  }
}

TEST_CASE("memberships follow the campaign: pending→active on start, pause and resume, complete") {
  TestEngine engine;
  auto campaign = engine.send("POST", "/api/v1/campaigns", {{"name", "Follow"}}).body["data"]["id"].get<std::string>();
  const auto base = "/api/v1/campaigns/" + campaign;
  auto added = engine.send("POST", base + "/leads", {{"leads", {{{"email", "a@example.com"}}, {{"email", "b@example.com"}}}}});
  REQUIRE(added.status == 200);
  auto statuses = [&] {
    std::map<std::string, int> counts;
    auto listed = engine.send("GET", base + "/leads");
    REQUIRE(listed.status == 200);
    for (const auto& item : listed.body["data"]["leads"]) counts[item["status"].get<std::string>()]++;
    return counts;
  };
  CHECK(statuses() == std::map<std::string, int>{{"pending", 2}});
  auto started = engine.send("PATCH", base + "/status", {{"status", "START"}});
  CHECK(started.body["data"]["membershipsUpdated"] == 2);
  CHECK(started.body["data"]["previousStatus"] == "draft");
  CHECK(started.body["message"] == "Campaign status updated");
  CHECK(statuses() == std::map<std::string, int>{{"active", 2}});
  REQUIRE(engine.send("PATCH", base + "/status", {{"status", "PAUSED"}}).status == 200);
  CHECK(statuses() == std::map<std::string, int>{{"paused", 2}});
  // Added while paused: waits as pending, and starts with everyone on resume.
  REQUIRE(engine.send("POST", base + "/leads", {{"leads", {{{"email", "c@example.com"}}}}}).body["data"]["added"] == 1);
  CHECK(statuses() == std::map<std::string, int>{{"paused", 2}, {"pending", 1}});
  REQUIRE(engine.send("PATCH", base + "/status", {{"status", "ARCHIVED"}}).status == 200);
  CHECK(statuses() == std::map<std::string, int>{{"paused", 2}, {"pending", 1}});  // archiving keeps them
  REQUIRE(engine.send("PATCH", base + "/status", {{"status", "PAUSED"}}).status == 200);
  REQUIRE(engine.send("PATCH", base + "/status", {{"status", "START"}}).status == 200);
  CHECK(statuses() == std::map<std::string, int>{{"active", 3}});
  REQUIRE(engine.send("PATCH", base + "/status", {{"status", "COMPLETED"}}).status == 200);
  CHECK(statuses() == std::map<std::string, int>{{"completed", 3}});
}
