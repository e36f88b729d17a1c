#pragma once
// Request helpers the API-level Catch2 tests share: make a lead, make a campaign with members.

#include "engine_harness.hpp"

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

}  // namespace leadline::testing
