#include "api/envelope.hpp"

namespace leadline::api {
namespace {

Response json_response(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.headers["content-type"] = "application/json; charset=utf-8";
  // Replacement instead of throwing: stored text is validated UTF-8, so this only guards.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace

Response success_reply(int status, const nlohmann::json& data, const std::optional<std::string>& message) {
  nlohmann::json body{{"success", true}, {"data", data}};
  if (message) body["message"] = *message;
  return json_response(status, body);
}

Response error_reply(const Error& error) {
  if (error.code == ErrorCode::Internal) {
    // The message of an internal error is for the log (it may quote SQLite); clients get none.
    auto response = json_response(500, {{"success", false}, {"error", {{"code", "INTERNAL"}, {"message", "Internal error"}}}});
    response.log_detail = error.message;
    return response;
  }
  nlohmann::json detail = error.extra.is_object() ? error.extra : nlohmann::json::object();
  detail["code"] = std::string(error_code_name(error.code));
  detail["message"] = error.message;
  auto response = json_response(http_status_for(error.code), {{"success", false}, {"error", detail}});
  if (error.extra.is_object() && error.extra.contains("allow")) {
    response.headers["allow"] = error.extra["allow"].get<std::string>();
  }
  if (error.extra.is_object() && error.extra.contains("retryAfter")) {
    response.headers["retry-after"] = error.extra["retryAfter"].dump();
  }
  return response;
}

}  // namespace leadline::api
