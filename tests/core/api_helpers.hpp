#pragma once
// Request helpers the API-level Catch2 tests share: make a lead, make a campaign with members.

#include "engine_harness.hpp"

#include <sqlite3.h>

#include <string>
#include <vector>

namespace leadline::testing {

/// Creates one lead through POST /leads; returns its id.
inline std::string create_lead(TestEngine& engine, const json& body) {
  auto created = engine.send("POST", "/api/v1/leads", body);
  REQUIRE(created.status == 201);
  return created.body["data"]["id"];
}

/// Creates a campaign, adds `leads` explicitly, then moves it to `status` if given; returns its id.
inline std::string create_campaign(TestEngine& engine, const std::string& name, const std::vector<std::string>& leads,
                                   const std::string& status = "") {
  auto created = engine.send("POST", "/api/v1/campaigns", {{"name", name}});
  REQUIRE(created.status == 201);
  const std::string id = created.body["data"]["id"];
  json entries = json::array();
  for (const auto& lead : leads) entries.push_back({{"leadId", lead}});
  if (!leads.empty()) REQUIRE(engine.send("POST", "/api/v1/campaigns/" + id + "/leads", {{"leads", entries}}).status == 200);
  if (!status.empty()) REQUIRE(engine.send("PATCH", "/api/v1/campaigns/" + id + "/status", {{"status", status}}).status == 200);
  return id;
}

/// `data` without `keys` (e.g. the receiptId every delete adds beside a vendor's documented reply).
inline json without(json data, std::initializer_list<const char*> keys) {
  for (const auto* key : keys) data.erase(key);
  return data;
}

/// The one number `sql` selects from the database file at `path`, opened read-only beside the engine.
inline std::int64_t count_rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const auto count = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return count;
}

/// Engine options for a test that reads the workspace file beside the live engine.
inline EngineOptions beside_the_file() {
  EngineOptions options;
  options.exclusive_lock = false;
  return options;
}

}  // namespace leadline::testing
