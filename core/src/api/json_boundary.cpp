#include "api/json_boundary.hpp"

#include "api/envelope.hpp"
#include "leadline/ids.hpp"

namespace leadline::api {

using json = nlohmann::json;


// A compact dump has no raw newline (those inside strings are escaped), so the first newline
// ends the head.
std::string frame(const json& head, const std::string& body) {
  auto out = head.dump(-1, ' ', false, json::error_handler_t::replace);
  out.reserve(out.size() + 1 + body.size());
  out += '\n';
  out += body;
  return out;
}

std::string to_json(const Response& response) {
  json head{{"status", response.status}, {"headers", response.headers}};
  if (response.stream != 0) head["stream"] = response.stream;
  if (response.credential == CredentialCheck::Verified) head["credential"] = "verified";
  if (response.credential == CredentialCheck::Refused) head["credential"] = "refused";
  if (response.committed) head["committed"] = true;
  if (response.held) head["held"] = true;
  if (response.erased) head["erased"] = true;
  if (response.webhooks_due) head["webhooksDue"] = true;
  if (!response.route.empty()) head["route"] = response.route;
  if (!response.log_detail.empty()) head["logDetail"] = response.log_detail;
  if (!response.written.empty()) head["written"] = response.written;
  if (!response.changeset.empty()) head["changeset"] = base64(response.changeset);
  if (response.forward) {
    head["forward"] = {{"worker", response.forward->worker}};
    if (!response.forward->principal.empty()) head["forward"]["principal"] = response.forward->principal;
    if (response.forward->workspace_id != 0) head["forward"]["workspaceId"] = format_id(kWorkspaceIdPrefix, response.forward->workspace_id);
  }
  return frame(head, response.body);
}

// The host builds these objects itself, so a malformed one is a host bug: reported as 500.
std::optional<Request> request_from_json(const std::string& text, const std::string& body) {
  auto parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  Request request;
  request.method = parsed.value("method", "");
  request.path = parsed.value("path", "");
  request.query = parsed.value("query", "");
  request.body = body;
  request.body_not_utf8 = parsed.value("bodyNotUtf8", false);
  request.idempotency_key_in_flight = parsed.value("idempotencyKeyInFlight", false);
  request.request_id = parsed.value("requestId", "");
  request.test_fault = parsed.value("testFault", "");
  request.principal = parsed.value("principal", "");
  if (parsed.contains("headers") && parsed["headers"].is_object()) {
    for (const auto& [name, value] : parsed["headers"].items()) {
      if (value.is_string()) request.headers[name] = value.get<std::string>();
    }
  }
  if (request.method.empty() || request.path.empty()) return std::nullopt;
  return request;
}


std::string malformed() {
  return to_json(api::error_reply(Error{ErrorCode::Internal, "Malformed request from host"}));
}


}  // namespace leadline::api
