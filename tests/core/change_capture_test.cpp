// Change capture: with capture on, every committed write and job slice hands back its
// transaction's changeset; applied in order to a copy of the workspace's database taken before,
// they yield the same content, table by table, as the database the engine wrote.
#include "engine_harness.hpp"
#include "fixture_requests.hpp"
#include "store/change_capture.hpp"
#include "store/content_digest.hpp"
#include "store/database.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

using leadline::testing::json;
using leadline::testing::TestEngine;
namespace fs = std::filesystem;

namespace {

// Sends requests with the workspace key and keeps every changeset, in commit order.
struct Recorder {
  TestEngine& engine;
  std::vector<std::string> changesets;
  int refused = 0;

  json send(const std::string& method, const std::string& target, const json& body = nullptr) {
    auto request = leadline::testing::request_for(method, target, body.is_null() ? "" : body.dump());
    return send(std::move(request));
  }

  json send(leadline::Request request) {
    request.headers["x-api-key"] = engine.workspace_key;
    auto response = engine.engine->handle(request);
    if (response.stream != 0) engine.engine->close_stream(response.stream);
    if (response.committed) {
      CHECK_FALSE(response.changeset.empty());
      changesets.push_back(response.changeset);
    } else {
      CHECK(response.changeset.empty());  // a refusal or a dry run changes nothing, and says so
      ++refused;
    }
    drain_jobs();
    return response.stream != 0 ? json{} : json::parse(response.body);
  }

  void drain_jobs() {
    for (int slices = 0;; ++slices) {
      REQUIRE(slices < 1000);
      auto slice = engine.engine->work();
      if (!slice.more) break;
      REQUIRE_FALSE(slice.changeset.empty());
      changesets.push_back(std::move(slice.changeset));
    }
  }
};

std::string id_of(const json& reply, const char* field = "id") {
  REQUIRE(reply["success"] == true);
  return reply["data"][field];
}

}  // namespace

TEST_CASE("captured changesets replayed on a copy taken before reproduce the workspace, table by table") {
  const auto folder = leadline::testing::fresh_folder("capture-test");
  std::string key, workspace_id, workspace_file;
  {
    TestEngine setup(folder);
    key = setup.workspace_key;
    workspace_id = setup.workspace_id;
    workspace_file = setup.workspace_file();
  }
  // The copy, taken with the engine closed (its WAL checkpointed into the file).
  const auto copy_file = folder + "/replica.db";
  fs::copy_file(workspace_file, copy_file);

  leadline::EngineOptions options;
  options.capture_changes = true;
  TestEngine engine(folder, options);
  engine.workspace_key = key;
  engine.workspace_id = workspace_id;
  Recorder recorder{engine, {}, 0};

  // Every request of the fixture corpus (refused ones must change nothing and capture nothing).
  for (const auto& request : leadline::testing::every_fixture_request()) recorder.send(request);

  // Enough leads that a filter delete runs as a background job (more than 10,000).
  for (int batch = 0; batch < 3; ++batch) {
    json leads = json::array();
    for (int i = 0; i < 3500; ++i) {
      const auto n = std::to_string(batch * 3500 + i);
      leads.push_back({{"email", "bulk" + n + "@example.com"}, {"externalId", "x" + n}, {"tags", {"bulk", "b" + std::to_string(batch)}}});
    }
    REQUIRE(recorder.send("POST", "/api/v1/leads", {{"leads", leads}})["success"] == true);
  }

  std::mt19937 random(18);  // fixed: a failure replays the same sequence
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  std::vector<std::string> leads, campaigns, receipts;
  const auto a_lead = [&] { return leads.empty() ? std::string("lead_0000000000000001") : leads[static_cast<std::size_t>(pick(static_cast<int>(leads.size())))]; };
  const auto a_campaign = [&] { return campaigns.empty() ? std::string("cmp_0000000000000001") : campaigns[static_cast<std::size_t>(pick(static_cast<int>(campaigns.size())))]; };
  for (int step = 0; step < 400; ++step) {
    const auto n = std::to_string(step);
    switch (pick(12)) {
      case 0: {
        auto made = recorder.send("POST", "/api/v1/leads", {{"email", "r" + n + "@example.com"}, {"tags", {"t" + std::to_string(step % 4)}}, {"phoneNumber", "+1555000" + std::to_string(1000 + step)}});
        if (made["success"] == true) leads.push_back(made["data"]["id"]);
        break;
      }
      case 1: {
        json batch = json::array();
        for (int i = 0; i < 1 + pick(30); ++i) batch.push_back({{"email", "b" + n + "-" + std::to_string(i) + "@example.com"}, {"tags", {"t" + std::to_string(i % 4)}}});
        recorder.send("POST", "/api/v1/leads", {{"leads", batch}});
        break;
      }
      case 2:
        recorder.send("PATCH", "/api/v1/leads/" + a_lead(), {{"firstName", "Renamed " + n}, {"customFields", {{"step", step}}}});
        break;
      case 3: {
        auto made = recorder.send("POST", "/api/v1/campaigns", {{"name", "Campaign " + n}});
        if (made["success"] == true) campaigns.push_back(id_of(made));
        break;
      }
      case 4: {
        const auto campaign = a_campaign();
        switch (pick(4)) {
          case 0: recorder.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"leads", {{{"leadId", a_lead()}}, {{"email", "new" + n + "@example.com"}}}}}); break;
          case 1: recorder.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"filters", {{"tags", {"t" + std::to_string(step % 4)}}}}}); break;
          case 2: recorder.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"selectAll", true}, {"excludeIds", {a_lead()}}}); break;
          default: recorder.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"leads", {{{"email", "x" + std::to_string(pick(10500)) + "@nowhere.example"}}}}}); break;
        }
        break;
      }
      case 5:
        recorder.send("PATCH", "/api/v1/campaigns/" + a_campaign() + "/status", {{"status", pick(2) ? "START" : "PAUSED"}});
        break;
      case 6: {
        auto deleted = recorder.send("DELETE", "/api/v1/leads", {{"leadIds", {a_lead(), a_lead()}}, {"force", pick(2) == 0}});
        if (deleted["success"] == true && deleted["data"].contains("receiptId")) receipts.push_back(deleted["data"]["receiptId"]);
        break;
      }
      case 7: {
        auto deleted = recorder.send("DELETE", "/api/v1/leads/" + a_lead() + (pick(2) ? "?force=true" : ""));
        if (deleted["success"] == true && deleted["data"].contains("receiptId")) receipts.push_back(deleted["data"]["receiptId"]);
        break;
      }
      case 8: {
        const auto campaign = a_campaign();
        recorder.send("POST", "/api/v1/campaigns/" + campaign + "/sequences", {{"body", "Step " + n}});
        auto deleted = recorder.send("DELETE", "/api/v1/campaigns/" + campaign + "?force=true");
        if (deleted["success"] == true) {
          campaigns.erase(std::find(campaigns.begin(), campaigns.end(), campaign));
          if (deleted["data"].contains("receiptId")) receipts.push_back(deleted["data"]["receiptId"]);
        }
        break;
      }
      case 9:
        if (!receipts.empty()) recorder.send("POST", "/api/v1/receipts/" + receipts[static_cast<std::size_t>(pick(static_cast<int>(receipts.size())))] + "/restore");
        break;
      case 10: {
        json identifiers = json::array();
        for (int i = 0; i < 1 + pick(20); ++i) identifiers.push_back({{"externalId", "x" + std::to_string(pick(10500))}});
        recorder.send("POST", "/api/v1/leads/bulk-delete", {{"campaignId", a_campaign()}, {"leads", identifiers}});
        break;
      }
      default:
        recorder.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"t" + std::to_string(step % 4)}}}}, {"dryRun", true}});
        break;
    }
  }

  // The two kinds of job, worked slice by slice: a 10,500-lead filter delete and its restore,
  // and a 4,500-row CSV import.
  auto job = recorder.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"bulk"}}}}, {"force", true}});
  REQUIRE(job["data"].contains("job"));
  recorder.send("POST", "/api/v1/receipts/" + job["data"]["receiptId"].get<std::string>() + "/restore");
  std::string csv = "Email,First Name\r\n";
  for (int i = 0; i < 4500; ++i) csv += "csv" + std::to_string(i) + "@example.com,Row " + std::to_string(i) + "\r\n";
  REQUIRE(recorder.send("POST", "/api/v1/leads/import", {{"csv", csv}})["success"] == true);
  CHECK(recorder.changesets.size() > 150);
  CHECK(recorder.refused > 80);
  engine.engine.reset();  // closed: the original's WAL is in its file

  auto original = leadline::store::Database::open(workspace_file, {true, false});
  auto replica = leadline::store::Database::open(copy_file, {true, false});
  REQUIRE(original.ok());
  REQUIRE(replica.ok());
  auto before = leadline::store::digest_workspace(**replica);
  REQUIRE(before.ok());
  for (std::size_t i = 0; i < recorder.changesets.size(); ++i) {
    auto applied = leadline::store::apply_changeset(**replica, recorder.changesets[i]);
    INFO("changeset " << i << ": " << (applied ? "" : applied.error().message));
    REQUIRE(applied.ok());
  }
  auto expected = leadline::store::digest_workspace(**original);
  auto replayed = leadline::store::digest_workspace(**replica);
  REQUIRE(expected.ok());
  REQUIRE(replayed.ok());
  for (const auto& [table, digest] : *expected) {
    INFO(table);
    CHECK(replayed->at(table) == digest);
  }
  CHECK(expected->at("leads").rows > 10000);
  CHECK(before->at("leads").rows == 0);
  CHECK(expected->at("receipt_rows").rows > 0);

  // A changeset that does not fit the database it is applied to is refused, not forced.
  REQUIRE_FALSE(leadline::store::apply_changeset(**replica, recorder.changesets.front()).ok());
  fs::remove_all(folder);
}
