// The validation build (Validator: no engine, no store, no SQLite — what the console runs) answers
// every request exactly as the engine's validate-only mode does: same status, same body.
#include "engine_harness.hpp"
#include "leadline/validator.hpp"

using leadline::testing::expand_fixture;
using leadline::testing::json;
using leadline::testing::read_fixture;
using leadline::testing::TestEngine;

namespace {

leadline::Request request_for(const std::string& method, const std::string& target, const std::string& body) {
  leadline::Request request;
  request.method = method;
  const auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  if (!body.empty()) request.headers["content-type"] = "application/json";
  request.body = body;
  return request;
}

std::string fill(std::string text) {
  for (const auto& [name, value] : std::initializer_list<std::pair<std::string, std::string>>{
           {"@externalId", "ext-1"}, {"@campaign", "cmp_0000000000000001"}, {"@lead", "lead_0000000000000001"},
           {"@key", "sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) text.replace(at, name.size(), value);
  }
  return text;
}

}  // namespace

TEST_CASE("the Validator answers every fixture request exactly as Engine::validate") {
  TestEngine engine;
  const leadline::Validator validator;
  // Kept in variables: a range-for over read_fixture(...)["cases"] would walk a destroyed temporary.
  const auto input_limits = read_fixture("input_limits.json");
  const auto query_param_requests = read_fixture("query_param_requests.json");
  const auto invalid_lead_requests = read_fixture("invalid_lead_requests.json");
  const auto campaign_add_requests = read_fixture("campaign_add_requests.json");
  const auto delete_leads_requests = read_fixture("delete_leads_requests.json");
  const auto bulk_delete_requests = read_fixture("bulk_delete_requests.json");
  std::vector<leadline::Request> requests;
  for (const auto& row : input_limits["cases"]) {
    std::string body;
    if (row.contains("raw")) body = row["raw"];
    if (row.contains("body")) body = row["body"].dump();
    if (row.contains("rawHex")) continue;  // bytes, not text: covered by the engine's own table
    requests.push_back(request_for(row["method"], row["path"], body));
  }
  for (const auto& row : query_param_requests["cases"]) {
    requests.push_back(request_for(row["method"], fill(row["path"]), row.contains("body") ? fill(row["body"].dump()) : ""));
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
    requests.push_back(request_for("POST", "/api/v1/leads/bulk-delete", fill(expand_fixture(row["body"]).dump())));
  }
  // And requests that pass, and routing failures.
  requests.push_back(request_for("POST", "/api/v1/leads", R"({"email": "ok@example.com"})"));
  requests.push_back(request_for("GET", "/api/v1/leads?tags=a&tags=b&limit=10", ""));
  requests.push_back(request_for("GET", "/api/v1/nowhere", ""));
  requests.push_back(request_for("PUT", "/api/v1/campaigns", ""));
  requests.push_back(request_for("GET", "/api/v1/meta", ""));
  REQUIRE(requests.size() > 80);
  for (const auto& request : requests) {
    INFO(request.method << " " << request.path << "?" << request.query << " " << request.body.substr(0, 200));
    const auto expected = engine.engine->validate(request);
    const auto actual = validator.validate(request);
    CHECK(actual.status == expected.status);
    CHECK(actual.body == expected.body);
  }
}
