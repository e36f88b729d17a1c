#include "api/request_preparation.hpp"

#include "validation/normalise.hpp"
#include "validation/strict_json.hpp"

#include <cctype>

namespace leadline::api {
namespace {

// JSON media types are read as JSON. So is a JSON object sent without a content type or as
// application/x-www-form-urlencoded: that is what `curl -d '{...}'` sends, and Smartlead's own
// examples do exactly that. A real form body (`a=b`) is still refused with 415.
bool is_json_body(const std::optional<std::string>& content_type, std::string_view body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  const bool looks_like_json_object = first != std::string_view::npos && body[first] == '{';
  if (!content_type) return looks_like_json_object;
  std::string media = content_type->substr(0, content_type->find(';'));
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  media = std::string(validation::trim(media));
  if (media == "application/x-www-form-urlencoded") return looks_like_json_object;
  return media == "application/json" || (media.rfind("application/", 0) == 0 && media.size() > 5 &&
                                         media.compare(media.size() - 5, 5, "+json") == 0);
}


}  // namespace

bool is_write_method(std::string_view method) { return method != "GET" && method != "HEAD"; }

Result<PreparedInput> prepare_input(const Request& request, validation::QueryParams& query, const Route& route,
                                    BodyLimits limits) {
  if (auto shaped = validation::check_query_shape(query, route.query, validation::control_names()); !shaped)
    return shaped.take_error();
  PreparedInput prepared;
  prepared.has_body = !request.body.empty();
  const bool has_body = prepared.has_body;
  if (route.body == BodyRule::Required && !has_body) return Error::invalid_field("body", "a JSON object is required");
  if (has_body && route.body == BodyRule::None && is_write_method(request.method)) {
    // Refused rather than ignored: an ignored {"dryRun": true} would run the real thing.
    return Error::invalid_field("body", "this endpoint takes no body");
  }
  const auto body_limit = route.body_size == BodySize::Batch ? limits.batch : limits.ordinary;
  if (has_body && request.body.size() > body_limit) {
    return Error{ErrorCode::PayloadTooLarge,
                 "Request body exceeds " + std::to_string(body_limit) + " bytes for this endpoint",
                 {{"details", {{"maxBytes", body_limit}}}}};
  }
  if (has_body && route.body != BodyRule::None) {
    if (!is_json_body(find_header(request, "content-type"), request.body)) {
      return Error{ErrorCode::UnsupportedMediaType, "Request body must be JSON (Content-Type: application/json)"};
    }
    // Checked before parsing so every host says the same: the JSON parser's own complaint would
    // name a byte offset, and a text-only host never hands it the bytes at all.
    if (request.body_not_utf8 || !validation::is_valid_utf8(request.body)) {
      return Error::invalid_field("body", "is not valid UTF-8");
    }
    auto parsed = validation::parse_strict_json(request.body);
    if (!parsed) return parsed.take_error();
    prepared.body = std::move(*parsed);
  }
  auto controls = validation::take_request_controls(query, has_body ? &prepared.body : nullptr, route.controls);
  if (!controls) return controls.take_error();
  prepared.controls = *controls;
  return prepared;
}

}  // namespace leadline::api
