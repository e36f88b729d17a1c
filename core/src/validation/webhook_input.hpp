#pragma once
// What the webhook routes accept: an endpoint (its URL, the events it takes, a description), a
// change to one, a secret rotation, a replay, the delivery log's filters — and the retry schedule
// an operator may set (LEADLINE_WEBHOOK_RETRY_SCHEDULE).

#include "leadline/result.hpp"
#include "validation/query_params.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::validation {

/// A webhook URL taken apart: scheme, host (brackets of an IPv6 literal removed) and port.
struct WebhookUrl {
  bool https = true;
  std::string host;
  int port = 443;
};

/// The URL's parts, or why it is not an http(s) URL a webhook can be sent to (no user or
/// password in it, no fragment, a host, a port from 1 to 65535).
Result<WebhookUrl> parse_webhook_url(std::string_view url);

/// Why `url` may not receive webhooks under the deployment's policy, or nullopt: plain http and
/// a host that names this machine, a private network, a link-local (metadata) or another reserved
/// address are refused unless `allow_private`. Host names are checked again at each delivery,
/// once resolved.
std::optional<std::string> webhook_url_refusal(const WebhookUrl& url, bool allow_private);

/// `POST /webhooks`.
struct WebhookEndpointInput {
  std::string url;
  std::vector<std::string> events;  ///< each one of domain::kWebhookEvents (a test ping is sent regardless)
  std::optional<std::string> description;
};
Result<WebhookEndpointInput> decode_webhook_endpoint_body(const nlohmann::json& body);

/// `PATCH /webhooks/{id}`: any of url, events, description (null clears it), enabled.
struct WebhookEndpointChange {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::optional<std::string>> description;
  std::optional<bool> enabled;
};
Result<WebhookEndpointChange> decode_webhook_endpoint_change(const nlohmann::json& body);

/// `POST /webhooks/{id}/rotate-secret`: how long the old secret keeps signing beside the new one.
struct SecretRotationInput {
  std::int64_t overlap_ms = 24 * 3600 * 1000LL;
};
inline constexpr std::int64_t kMaxSecretOverlapHours = 72;
Result<SecretRotationInput> decode_secret_rotation_body(const nlohmann::json* body);

/// `POST /webhooks/{id}/replay`: the endpoint's events created at or after `since` (and before
/// `until`, if given) are delivered again.
struct ReplayInput {
  std::int64_t since = 0;
  std::optional<std::int64_t> until;
};
Result<ReplayInput> decode_replay_body(const nlohmann::json& body);

/// `GET /webhooks/{id}/deliveries`: a page, optionally of one state.
struct DeliveryListQuery {
  PageRequest page;
  std::optional<std::string> state;
};
Result<DeliveryListQuery> decode_delivery_list_query(const QueryParams& params);

/// The delays between a delivery's attempts, after the first (which is at once), in ms:
/// comma-separated durations such as "5s,5m,30m,2h,5h,10h,10h" (units ms, s, m, h, d). 1–20 of
/// them, each from 1 ms to 7 days.
Result<std::vector<std::int64_t>> parse_retry_schedule(std::string_view text);

/// The default schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 24 h, 24 h — retries spread
/// over about three days, so a receiver down for a weekend still gets everything.
const std::vector<std::int64_t>& default_retry_schedule();

}  // namespace leadline::validation
