#pragma once
// A workspace's webhooks: its endpoints, the outbox of events written in the transactions of the
// changes they report, one delivery per event and receiver (a workspace endpoint, or a campaign
// webhook for its campaign's events) and every attempt at each delivery. Which deliveries are due
// and what an attempt's outcome means are decided above (api/webhook_delivery); this is storage.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace leadline::store {

struct WebhookEndpointRecord {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string url;
  std::optional<std::string> description;
  std::vector<std::string> events;
  bool enabled = true;
  std::optional<std::string> disabled_reason;
  std::string secret;
  std::optional<std::string> previous_secret;       ///< still signing until previous_secret_until
  std::optional<std::int64_t> previous_secret_until;
  std::optional<std::int64_t> last_success_at;      ///< the last 2xx any delivery got
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

/// One event of the outbox; `body` is exactly what every delivery of it sends.
struct WebhookEventRecord {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string type;
  std::optional<std::int64_t> campaign_id;
  std::string body;
  std::int64_t created_at = 0;
};

struct WebhookAttemptRecord {
  std::int64_t attempted_at = 0;
  std::optional<std::int64_t> status_code;  ///< nullopt: no HTTP reply (refused, timed out, blocked)
  std::int64_t duration_ms = 0;
  std::optional<std::string> error;
  std::optional<std::string> response_excerpt;
};

struct WebhookDeliveryRecord {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::string event_type;
  std::int64_t event_created_at = 0;
  std::optional<std::int64_t> endpoint_id;
  std::optional<std::int64_t> campaign_webhook_id;
  std::string state;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> next_attempt_at;
  std::int64_t created_at = 0;
  std::vector<WebhookAttemptRecord> attempt_log;  ///< filled by list_deliveries, newest first
};

/// A delivery due now, with everything sending it takes.
struct DueWebhookDelivery {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::int64_t attempts = 0;
  std::string receiver;              ///< "whe_…"-like key of the receiver, for per-receiver limits
  std::optional<std::int64_t> endpoint_id;
  std::string url;
  std::vector<std::string> secrets;  ///< the current secret, then one being rotated out
  std::string body;
};

struct WebhookDeliveryPage {
  std::vector<WebhookDeliveryRecord> deliveries;
  bool has_more = false;
};

class WebhookStore {
 public:
  explicit WebhookStore(Database& db) : db_(db) {}

  Status insert_endpoint(const WebhookEndpointRecord& endpoint);
  Result<std::optional<WebhookEndpointRecord>> find_endpoint(std::int64_t workspace_id, std::int64_t id);
  /// Oldest first (a workspace has few).
  Result<std::vector<WebhookEndpointRecord>> list_endpoints(std::int64_t workspace_id);
  /// Writes every field of `endpoint` but its id, workspace and creation time.
  Status update_endpoint(const WebhookEndpointRecord& endpoint);
  /// Deletes the endpoint and, with it, its deliveries and their attempts.
  Status delete_endpoint(std::int64_t id);

  /// Whether anything in the workspace receives webhooks: when nothing does, no event is stored.
  Result<bool> has_receivers(std::int64_t workspace_id);

  /// Stores `event` and a delivery, due at `event.created_at`, for each enabled endpoint that takes
  /// its type, each campaign webhook of its campaign that takes `campaign_event` (when given), and
  /// — when `only_endpoint` is given — that endpoint alone instead. Returns how many deliveries.
  Result<std::int64_t> enqueue(const WebhookEventRecord& event, const std::optional<std::string>& campaign_event,
                               std::optional<std::int64_t> only_endpoint = std::nullopt);

  /// Up to `limit` pending deliveries due at `now` to enabled receivers, earliest first, leaving
  /// out those in `excluded` (being sent right now).
  Result<std::vector<DueWebhookDelivery>> due(std::int64_t now, int limit, const std::set<std::int64_t>& excluded);
  /// When the earliest pending delivery to an enabled receiver falls due; nullopt if none.
  Result<std::optional<std::int64_t>> next_due();

  Result<std::optional<WebhookDeliveryRecord>> find_delivery(std::int64_t id);
  /// Appends an attempt to delivery `id` and sets its state, attempt count and next attempt.
  Status record_attempt(std::int64_t id, const WebhookAttemptRecord& attempt, const std::string& state,
                        std::int64_t attempts, std::optional<std::int64_t> next_attempt_at);
  /// Marks a receiver's last success (endpoints only keep it).
  Status note_success(std::int64_t endpoint_id, std::int64_t at);

  /// The endpoint's deliveries newest first, each with its attempts, optionally of one state.
  Result<WebhookDeliveryPage> list_deliveries(std::int64_t endpoint_id, const std::optional<std::string>& state,
                                              int limit, std::optional<std::int64_t> before_id);
  /// Makes delivery `id` pending again, due at `now`, its attempts kept (one more try).
  Status retry_delivery(std::int64_t id, std::int64_t now);
  /// Queues again, with a fresh schedule, every event of the workspace created in [since, until)
  /// whose type the endpoint takes; returns how many.
  Result<std::int64_t> replay(const WebhookEndpointRecord& endpoint, std::int64_t since,
                              std::optional<std::int64_t> until, std::int64_t now);

  /// Deletes events created before `before` that no delivery still waits for; returns how many.
  Result<std::int64_t> prune_events(std::int64_t before);

 private:
  Database& db_;
};

}  // namespace leadline::store
