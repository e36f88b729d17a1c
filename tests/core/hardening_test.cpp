// Hostile input through Engine::handle (the shared input_limits table), the operator's route
// list, and the integrity check the crash-safety runs rely on.
#include "api_helpers.hpp"

#include <cstdio>
#include <fstream>
#include <set>

using leadline::testing::create_campaign;
using leadline::testing::create_lead;
using leadline::testing::json;
using leadline::testing::read_fixture;
using leadline::testing::TestEngine;

namespace {

std::string from_hex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

// Replaces every "@name" in `text` by `values[name]` (longest names first).
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size()))
      text.replace(at, name.size(), value);
  }
  return text;
}

}  // namespace

TEST_CASE("query parameters: unknown and repeated ones are 400 naming them, and nothing runs") {
  const auto fixture = read_fixture("query_param_requests.json");
  for (const auto& row : fixture["cases"]) {
    TestEngine engine;
    DYNAMIC_SECTION(row["name"].get<std::string>()) {
      const auto lead = create_lead(engine, {{"email", "kept@example.com"}, {"externalId", "ext-kept"}, {"firstName", "Kept"}});
      const auto campaign = create_campaign(engine, "Kept campaign", {lead});
      const std::vector<std::pair<std::string, std::string>> values{
          {"@externalId", "ext-kept"}, {"@campaign", campaign}, {"@lead", lead},
          {"@key", "sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}};
      const auto path = fill(row["path"].get<std::string>(), values);
      const json body = row.contains("body") ? json::parse(fill(row["body"].dump(), values)) : json();
      auto reply = engine.send(row["method"], path, body);
      INFO(reply.text);
      CHECK(reply.status == 400);
      CHECK(reply.body["error"]["field"] == row["field"]);
      if (row.contains("message")) CHECK(reply.body["error"]["message"] == row["message"]);
      CHECK(engine.lead_count() == 1);
      auto kept = engine.send("GET", "/api/v1/leads/" + lead);
      CHECK(kept.body["data"]["firstName"] == "Kept");
      auto kept_campaign = engine.send("GET", "/api/v1/campaigns/" + campaign);
      CHECK(kept_campaign.body["data"]["name"] == "Kept campaign");
      CHECK(kept_campaign.body["data"]["status"] == "draft");
      CHECK(kept_campaign.body["data"]["leadCounts"]["total"] == 1);
      CHECK(engine.send("GET", "/api/v1/campaigns").body["data"]["campaigns"].size() == 1);
      CHECK(engine.send("GET", "/api/v1/audit").body["data"]["entries"].size() == 3);  // the set-up writes only
    }
  }
  for (const auto& row : fixture["accepted"]) {
    TestEngine engine;
    DYNAMIC_SECTION(row["name"].get<std::string>()) {
      const auto campaign = create_campaign(engine, "Listed", {});
      auto reply = engine.send(row["method"], fill(row["path"].get<std::string>(), {{"@campaign", campaign}}));
      INFO(reply.text);
      CHECK(reply.status == 200);
    }
  }
}

TEST_CASE("an internal error shows the client only its request id, and SQLite's text goes to the log detail") {
  TestEngine engine;
  leadline::Request request;
  request.method = "POST";
  request.path = "/api/v1/leads";
  request.headers = {{"x-api-key", engine.workspace_key}, {"content-type", "application/json"}};
  request.body = R"({"email": "never@example.com"})";
  request.request_id = "req_test_1";
  request.test_fault = "sqlite-error";
  const auto response = engine.engine->handle(request);
  INFO(response.body);
  CHECK(response.status == 500);
  CHECK(json::parse(response.body) ==
        json({{"success", false}, {"error", {{"code", "INTERNAL"}, {"message", "Internal error"}, {"requestId", "req_test_1"}}}}));
  CHECK(response.log_detail.find("no such table") != std::string::npos);
  CHECK_FALSE(response.committed);
  CHECK(engine.lead_count() == 0);
  // A write that commits says so; a read or a refusal does not.
  CHECK(engine.engine->handle([&] { auto ok = request; ok.test_fault.clear(); return ok; }()).committed);
  auto read = request;
  read.method = "GET";
  read.body.clear();
  read.test_fault.clear();
  CHECK_FALSE(engine.engine->handle(read).committed);
}

TEST_CASE("the audit trail stores no key-shaped value, under any name") {
  TestEngine engine;
  const std::string key = "sk_" + std::string(32, 'Q');
  const std::string platform = "sk_user_" + std::string(32, 'P');
  const std::string hook = "whsec_" + std::string(32, 'W');
  auto created = engine.send("POST", "/api/v1/leads",
                             {{"email", "k@example.com"},
                              {"firstName", key},
                              {"customFields", {{"note", "my key is " + platform}, {"apiToken", "short"}}},
                              {"metadata", {{"nested", {{"signing", hook}}}, {"password", "hunter2"}}}});
  REQUIRE(created.status == 201);
  auto audit = engine.send("GET", "/api/v1/audit");
  const auto text = audit.body["data"]["entries"].dump();
  INFO(text);
  CHECK(text.find(key) == std::string::npos);
  CHECK(text.find(platform) == std::string::npos);
  CHECK(text.find(hook) == std::string::npos);
  CHECK(text.find("hunter2") == std::string::npos);
  CHECK(text.find("short") == std::string::npos);
  CHECK(text.find("[redacted]") != std::string::npos);
  CHECK(text.find("k@example.com") != std::string::npos);  // ordinary values are still summarised
}

TEST_CASE("input limits: every hostile or oversized input in the table is refused and stores nothing") {
  const auto fixture = read_fixture("input_limits.json");
  for (const auto& row : fixture["cases"]) {
    TestEngine engine;
    DYNAMIC_SECTION(row["name"].get<std::string>()) {
      leadline::Request request;
      request.method = row["method"];
      const auto target = row["path"].get<std::string>();
      const auto question = target.find('?');
      request.path = target.substr(0, question);
      if (question != std::string::npos) request.query = target.substr(question + 1);
      request.headers = {{"x-api-key", engine.workspace_key}, {"content-type", "application/json"}};
      if (row.contains("raw")) request.body = row["raw"];
      if (row.contains("rawHex")) request.body = from_hex(row["rawHex"]);
      if (row.contains("body")) request.body = row["body"].dump();
      const auto response = engine.engine->handle(request);
      const auto body = json::parse(response.body);
      INFO(response.body);
      CHECK(response.status == row["status"].get<int>());
      CHECK(body["error"]["code"] == "VALIDATION_ERROR");
      CHECK(body["error"]["field"] == row["field"]);
      CHECK(body["error"]["message"].get<std::string>().find(row["message"].get<std::string>()) != std::string::npos);
      CHECK(engine.lead_count() == 0);
      CHECK(engine.send("GET", "/api/v1/campaigns").body["data"]["campaigns"].empty());
    }
  }
}

TEST_CASE("list-routes names every route once, under /api/v1, with its scope and reach") {
  TestEngine engine;
  auto reply = engine.admin({{"command", "list-routes"}});
  REQUIRE(reply.status == 200);
  const auto& routes = reply.body["data"]["routes"];
  std::set<std::string> seen;
  for (const auto& route : routes) {
    const auto name = route["method"].get<std::string>() + " " + route["path"].get<std::string>();
    CHECK(seen.insert(name).second);
    CHECK(route["path"].get<std::string>().rfind("/api/v1/", 0) == 0);
    // Each listed route really is served: not 404 or 405 (a 401 means it was found and wants a key).
    auto path = route["path"].get<std::string>();
    for (auto at = path.find(':'); at != std::string::npos; at = path.find(':')) {
      const auto end = path.find('/', at);
      path.replace(at, end == std::string::npos ? std::string::npos : end - at, "x");
    }
    auto probe = engine.send(route["method"], path, nullptr, {{"x-api-key", ""}});
    CHECK(probe.status != 404);
    CHECK(probe.status != 405);
  }
  CHECK(seen.count("DELETE /api/v1/leads") == 1);
  CHECK(seen.count("GET /api/v1/health") == 1);
  CHECK(routes.size() >= 35);
}

TEST_CASE("check-integrity: ok on a sound database, not ok once a page is damaged") {
  const std::string folder = leadline::testing::fresh_folder("hardening_integrity_test");
  std::string path;
  {
    TestEngine engine(folder);
    path = engine.workspace_file();
    json leads = json::array();
    for (int i = 0; i < 2000; ++i) leads.push_back({{"email", "lead" + std::to_string(i) + "@example.com"}, {"tags", {"t"}}});
    REQUIRE(engine.send("POST", "/api/v1/leads", {{"leads", leads}}).status == 201);
    auto checked = engine.admin({{"command", "check-integrity"}});
    REQUIRE(checked.status == 200);
    CHECK(checked.body["data"] ==
          json{{"ok", true}, {"integrity", "ok"}, {"foreignKeyViolations", 0}, {"duplicateLeadIdentifiers", 0}, {"databases", 2}});
  }
  {
    // Closing checkpointed the WAL into the file; without it beside the file, nothing can mend
    // the damage on the next open. Then scribble over the middle of the file (index and table
    // pages), as a torn write would.
    std::filesystem::remove(path + "-wal");
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(0, std::ios::end);
    const auto size = static_cast<std::streamoff>(file.tellg());
    REQUIRE(size > 64 * 1024);
    file.seekp(size / 2);
    const std::string garbage(8192, '\x5A');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  {
    auto opened = leadline::Engine::open(folder);
    REQUIRE(opened.ok());
    auto response = (*opened)->admin(json{{"command", "check-integrity"}}.dump());
    const auto body = json::parse(response.body);
    INFO(response.body);
    CHECK(body["data"]["ok"] == false);
    CHECK(body["data"]["integrity"].is_array());
  }
  std::filesystem::remove_all(folder);
}
