#pragma once
// Every request the shared fixture corpus (tests/fixtures) describes, as engine requests without
// a key: the Validator parity test sends each to both builds, the change-capture test through
// an engine that records its changes.

#include "engine_harness.hpp"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace leadline::testing {

inline Request request_for(const std::string& method, const std::string& target, const std::string& body) {
  Request request;
  request.method = method;
  const auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  if (!body.empty()) request.headers["content-type"] = "application/json";
  request.body = body;
  return request;
}

/// The fixtures' placeholders, filled with ids that name nothing.
inline std::string fill_placeholders(std::string text) {
  for (const auto& [name, value] : std::initializer_list<std::pair<std::string, std::string>>{
           {"@externalId", "ext-1"}, {"@campaign", "cmp_0000000000000001"}, {"@lead", "lead_0000000000000001"},
           {"@key", "sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) text.replace(at, name.size(), value);
  }
  return text;
}

/// The corpus's requests (refusals, most of them), and a few that pass or miss a route.
inline std::vector<Request> every_fixture_request() {
  // Kept in variables: a range-for over read_fixture(...)["cases"] would walk a destroyed temporary.
  const auto input_limits = read_fixture("input_limits.json");
  const auto query_param_requests = read_fixture("query_param_requests.json");
  const auto invalid_lead_requests = read_fixture("invalid_lead_requests.json");
  const auto campaign_add_requests = read_fixture("campaign_add_requests.json");
  const auto delete_leads_requests = read_fixture("delete_leads_requests.json");
  const auto bulk_delete_requests = read_fixture("bulk_delete_requests.json");
  const auto bulk_edit_requests = read_fixture("bulk_edit_requests.json");
  std::vector<Request> requests;
  for (const auto& row : input_limits["cases"]) {
    std::string body;
    if (row.contains("raw")) body = row["raw"];
    if (row.contains("body")) body = row["body"].dump();
    if (row.contains("rawHex")) continue;  // bytes, not text: covered by the engine's own table
    requests.push_back(request_for(row["method"], row["path"], body));
  }
  for (const auto& row : query_param_requests["cases"]) {
    requests.push_back(
        request_for(row["method"], fill_placeholders(row["path"]), row.contains("body") ? fill_placeholders(row["body"].dump()) : ""));
  }
  for (const auto& row : invalid_lead_requests["cases"]) {
    requests.push_back(request_for("POST", "/api/v1/leads", expand_fixture(row["body"]).dump()));
  }
  for (const auto& row : campaign_add_requests["cases"]) {
    requests.push_back(request_for("POST", "/api/v1/campaigns/cmp_0000000000000001/leads", expand_fixture(row["body"]).dump()));
  }
  for (const auto& row : delete_leads_requests["cases"]) {
    requests.push_back(request_for("DELETE", "/v1/leads", row["body"].dump()));
  }
  for (const auto& row : bulk_delete_requests["cases"]) {
    requests.push_back(request_for("POST", "/api/v1/leads/bulk-delete", fill_placeholders(expand_fixture(row["body"]).dump())));
  }
  for (const auto& row : bulk_edit_requests["cases"]) {
    requests.push_back(request_for("PATCH", "/api/v1/leads", fill_placeholders(row["body"].dump())));
  }
  requests.push_back(request_for("POST", "/api/v1/leads", R"({"email": "ok@example.com"})"));
  requests.push_back(request_for("GET", "/api/v1/leads?tags=a&tags=b&limit=10", ""));
  requests.push_back(request_for("GET", "/api/v1/nowhere", ""));
  requests.push_back(request_for("PUT", "/api/v1/campaigns", ""));
  requests.push_back(request_for("GET", "/api/v1/meta", ""));
  return requests;
}

}  // namespace leadline::testing
