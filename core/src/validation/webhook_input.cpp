#include "validation/webhook_input.hpp"

#include "domain/vocabulary.hpp"
#include "leadline/time_format.hpp"
#include "validation/body_fields.hpp"
#include "validation/limits.hpp"
#include "validation/network_address.hpp"
#include "validation/problems.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxEndpointDescriptionLength = 500;
constexpr std::size_t kMaxScheduleSteps = 20;
constexpr std::int64_t kMaxScheduleStepMs = 7LL * 24 * 3600 * 1000;

// What an endpoint may subscribe to: any event (a test ping reaches it whether it lists
// webhook.test or not).
const std::vector<std::string>& subscribable_events() {
  static const std::vector<std::string> events = domain::names_of(domain::kWebhookEvents);
  return events;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void read_url(const json& body, bool required, std::optional<std::string>& out, Problems& problems) {
  auto url = read_text_field(body, "url", kMaxUrlLength, required, problems);
  if (!url) return;
  if (auto parsed = parse_webhook_url(*url); !parsed) {
    problems.add("url", parsed.error().message);
    return;
  }
  out = std::move(url);
}

std::optional<std::vector<std::string>> read_events(const json& body, Problems& problems) {
  const auto allowed = join(subscribable_events());
  const auto& events = body["events"];
  if (!events.is_array() || events.empty()) {
    problems.add("events", "must be a non-empty array; allowed: " + allowed);
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!events[i].is_string() || !contains(subscribable_events(), events[i].get<std::string>())) {
      problems.add(index_path("events", i), "is not a webhook event; allowed: " + allowed);
      return std::nullopt;
    }
    if (!contains(names, events[i].get<std::string>())) names.push_back(events[i].get<std::string>());
  }
  return names;
}

std::optional<std::int64_t> read_time(const json& body, const std::string& key, bool required, Problems& problems) {
  if (!body.contains(key) || body[key].is_null()) {
    if (required) problems.add(key, "is required (an ISO 8601 time such as 2026-01-31T09:00:00Z)");
    return std::nullopt;
  }
  const auto parsed = body[key].is_string() ? parse_timestamp(body[key].get<std::string>()) : std::nullopt;
  if (!parsed) problems.add(key, "must be an ISO 8601 time such as 2026-01-31T09:00:00Z");
  return parsed;
}

}  // namespace

Result<WebhookUrl> parse_webhook_url(std::string_view url) {
  const Error bad{ErrorCode::ValidationError, "must be an https:// URL"};
  WebhookUrl parsed;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return bad;
  const auto scheme = lower(url.substr(0, scheme_end));
  if (scheme != "https" && scheme != "http") return bad;
  parsed.https = scheme == "https";
  parsed.port = parsed.https ? 443 : 80;
  for (char c : url)
    if (std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20) return bad;
  if (url.find('#') != std::string_view::npos) return Error{ErrorCode::ValidationError, "must not have a #fragment"};
  const auto rest = url.substr(scheme_end + 3);
  const auto authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos)
    return Error{ErrorCode::ValidationError, "must not carry a user name or password"};
  std::string_view host = authority;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return bad;
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port.empty() && port.front() != ':') return bad;
    if (!port.empty()) port.remove_prefix(1);
    if (!classify_address(host)) return bad;
  } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) return Error{ErrorCode::ValidationError, "must name a host"};
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '_')) return bad;
  if (!port.empty()) {
    int number = 0;
    auto [ptr, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (error != std::errc() || ptr != port.data() + port.size() || number < 1 || number > 65535)
      return Error{ErrorCode::ValidationError, "must have a port from 1 to 65535"};
    parsed.port = number;
  }
  parsed.host = lower(host);
  return parsed;
}

std::optional<std::string> webhook_url_refusal(const WebhookUrl& url, bool allow_private) {
  if (allow_private) return std::nullopt;
  if (!url.https) return "must be an https:// URL";
  if (url.host == "localhost" || (url.host.size() > 10 && url.host.ends_with(".localhost")))
    return "must not point at this machine (localhost)";
  if (auto kind = classify_address(url.host)) {
    if (const char* reason = refused_address_reason(*kind)) return std::string("must not point at ") + reason;
  }
  return std::nullopt;
}

Result<WebhookEndpointInput> decode_webhook_endpoint_body(const json& body) {
  Problems problems;
  if (!check_fields(body, {"url", "events", "description"}, problems)) return problems.to_error();
  WebhookEndpointInput input;
  std::optional<std::string> url;
  read_url(body, true, url, problems);
  if (url) input.url = *url;
  if (!body.contains("events")) {
    problems.add("events", "is required; allowed: " + join(subscribable_events()));
  } else if (auto events = read_events(body, problems)) {
    input.events = std::move(*events);
  }
  input.description = read_text_field(body, "description", kMaxEndpointDescriptionLength, false, problems);
  if (!problems.empty()) return problems.to_error();
  return input;
}

Result<WebhookEndpointChange> decode_webhook_endpoint_change(const json& body) {
  Problems problems;
  if (!check_fields(body, {"url", "events", "description", "enabled"}, problems)) return problems.to_error();
  WebhookEndpointChange change;
  if (body.empty()) problems.add("body", "must change at least one of url, events, description, enabled");
  if (body.contains("url")) read_url(body, true, change.url, problems);
  if (body.contains("events")) change.events = read_events(body, problems);
  if (body.contains("description")) {
    change.description = body["description"].is_null()
                             ? std::optional<std::string>()
                             : read_text_field(body, "description", kMaxEndpointDescriptionLength, true, problems);
  }
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean()) problems.add("enabled", "must be true or false");
    else change.enabled = body["enabled"].get<bool>();
  }
  if (!problems.empty()) return problems.to_error();
  return change;
}

Result<SecretRotationInput> decode_secret_rotation_body(const json* body) {
  SecretRotationInput input;
  if (body == nullptr) return input;
  Problems problems;
  if (!check_fields(*body, {"overlapHours"}, problems)) return problems.to_error();
  if (body->contains("overlapHours")) {
    const auto& hours = (*body)["overlapHours"];
    if (!hours.is_number_integer() || hours.get<std::int64_t>() < 0 || hours.get<std::int64_t>() > kMaxSecretOverlapHours)
      problems.add("overlapHours", "must be a whole number of hours from 0 to " + std::to_string(kMaxSecretOverlapHours));
    else
      input.overlap_ms = hours.get<std::int64_t>() * 3600 * 1000;
  }
  if (!problems.empty()) return problems.to_error();
  return input;
}

Result<ReplayInput> decode_replay_body(const json& body) {
  Problems problems;
  if (!check_fields(body, {"since", "until"}, problems)) return problems.to_error();
  ReplayInput input;
  if (auto since = read_time(body, "since", true, problems)) input.since = *since;
  input.until = read_time(body, "until", false, problems);
  if (problems.empty() && input.until && *input.until <= input.since) problems.add("until", "must be after since");
  if (!problems.empty()) return problems.to_error();
  return input;
}

Result<DeliveryListQuery> decode_delivery_list_query(const QueryParams& params) {
  Problems problems;
  check_known_params(params, {"limit", "cursor", "state"}, problems);
  DeliveryListQuery query;
  query.page = decode_page_request(params, problems);
  for (const auto& [key, value] : params) {
    if (key != "state") continue;
    if (!domain::parse_term(domain::kDeliveryStates, value)) {
      problems.add("state", "'" + value + "' is not a delivery state; allowed: " + join(domain::names_of(domain::kDeliveryStates)));
      break;
    }
    query.state = value;
  }
  if (!problems.empty()) return problems.to_error();
  return query;
}

Result<std::vector<std::int64_t>> parse_retry_schedule(std::string_view text) {
  const auto refuse = [&](const std::string& why) {
    return Error{ErrorCode::ValidationError, "retry schedule '" + std::string(text) + "': " + why +
                                                 " (comma-separated durations such as 5s,5m,2h; units ms, s, m, h, d)"};
  };
  std::vector<std::int64_t> delays;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto end = std::min(text.find(',', at), text.size());
    auto piece = text.substr(at, end - at);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    std::int64_t amount = 0;
    auto [ptr, error] = std::from_chars(piece.data(), piece.data() + piece.size(), amount);
    if (error != std::errc() || ptr == piece.data()) return refuse("'" + std::string(piece) + "' is not a duration");
    const std::string_view unit(ptr, piece.data() + piece.size() - ptr);
    std::int64_t scale = 0;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60 * 1000;
    else if (unit == "h") scale = 3600 * 1000;
    else if (unit == "d") scale = 24 * 3600 * 1000;
    else return refuse("'" + std::string(piece) + "' has no unit");
    if (amount < 1 || amount > kMaxScheduleStepMs / scale) return refuse("each delay must be from 1 ms to 7 days");
    delays.push_back(amount * scale);
    if (delays.size() > kMaxScheduleSteps) return refuse("at most 20 delays");
    at = end + 1;
  }
  return delays;
}

const std::vector<std::int64_t>& default_retry_schedule() {
  static const std::vector<std::int64_t> schedule = [] {
    auto parsed = parse_retry_schedule("5s,5m,30m,2h,5h,10h,10h,24h,24h");
    return parsed ? *parsed : std::vector<std::int64_t>{};
  }();
  return schedule;
}

}  // namespace leadline::validation
