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

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) | (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += two ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int held = 0;
  for (char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    else if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    else if (c >= '0' && c <= '9') value = c - '0' + 52;
    else if (c == '+') value = 62;
    else if (c == '/') value = 63;
    else return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    held += 6;
    if (held >= 8) {
      held -= 8;
      out += static_cast<char>((bits >> held) & 0xFF);
    }
  }
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
