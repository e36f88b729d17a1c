#include "store/webhook_store.hpp"

#include "store/page_rows.hpp"

#include <nlohmann/json.hpp>

namespace leadline::store {
namespace {

using json = nlohmann::json;

constexpr const char* kEndpointColumns =
    "id, workspace_id, url, description, events, enabled, disabled_reason, secret, previous_secret, "
    "previous_secret_until, last_success_at, created_at, updated_at";

std::optional<std::int64_t> optional_int(const Statement& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return row.int64(column);
}

Statement& bind_optional(Statement& stmt, int index, const std::optional<std::int64_t>& value) {
  return value ? stmt.bind(index, *value) : stmt.bind_null(index);
}

WebhookEndpointRecord read_endpoint(const Statement& row) {
  WebhookEndpointRecord endpoint;
  endpoint.id = row.int64(0);
  endpoint.workspace_id = row.int64(1);
  endpoint.url = row.text(2);
  endpoint.description = row.optional_text(3);
  endpoint.events = json::parse(row.text(4), nullptr, false).get<std::vector<std::string>>();
  endpoint.enabled = row.int64(5) != 0;
  endpoint.disabled_reason = row.optional_text(6);
  endpoint.secret = row.text(7);
  endpoint.previous_secret = row.optional_text(8);
  endpoint.previous_secret_until = optional_int(row, 9);
  endpoint.last_success_at = optional_int(row, 10);
  endpoint.created_at = row.int64(11);
  endpoint.updated_at = row.int64(12);
  return endpoint;
}

Result<std::int64_t> changes_of(Database& db, Status status) {
  if (!status) return status.take_error();
  return static_cast<std::int64_t>(sqlite3_changes(db.handle()));
}

}  // namespace

Status WebhookStore::insert_endpoint(const WebhookEndpointRecord& endpoint) {
  auto stmt = db_.prepare(std::string("INSERT INTO webhook_endpoints (") + kEndpointColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, endpoint.id).bind(2, endpoint.workspace_id).bind(3, endpoint.url).bind(4, endpoint.description);
  stmt->bind(5, json(endpoint.events).dump()).bind(6, endpoint.enabled ? 1 : 0).bind(7, endpoint.disabled_reason);
  stmt->bind(8, endpoint.secret).bind(9, endpoint.previous_secret);
  bind_optional(*stmt, 10, endpoint.previous_secret_until);
  bind_optional(*stmt, 11, endpoint.last_success_at);
  stmt->bind(12, endpoint.created_at).bind(13, endpoint.updated_at);
  return stmt->run();
}

Result<std::optional<WebhookEndpointRecord>> WebhookStore::find_endpoint(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints WHERE id = ? AND workspace_id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id).bind(2, workspace_id);
  if (stmt->step()) return std::optional<WebhookEndpointRecord>(read_endpoint(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  return std::optional<WebhookEndpointRecord>();
}

Result<std::vector<WebhookEndpointRecord>> WebhookStore::list_endpoints(std::int64_t workspace_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints WHERE workspace_id = ? ORDER BY id");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id);
  std::vector<WebhookEndpointRecord> endpoints;
  while (stmt->step()) endpoints.push_back(read_endpoint(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  return endpoints;
}

Status WebhookStore::update_endpoint(const WebhookEndpointRecord& endpoint) {
  auto stmt = db_.prepare(
      "UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, enabled = ?, disabled_reason = ?, secret = ?, "
      "previous_secret = ?, previous_secret_until = ?, last_success_at = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, endpoint.url).bind(2, endpoint.description).bind(3, json(endpoint.events).dump());
  stmt->bind(4, endpoint.enabled ? 1 : 0).bind(5, endpoint.disabled_reason).bind(6, endpoint.secret);
  stmt->bind(7, endpoint.previous_secret);
  bind_optional(*stmt, 8, endpoint.previous_secret_until);
  bind_optional(*stmt, 9, endpoint.last_success_at);
  stmt->bind(10, endpoint.updated_at).bind(11, endpoint.id);
  return stmt->run();
}

Status WebhookStore::delete_endpoint(std::int64_t id) {
  auto stmt = db_.prepare("DELETE FROM webhook_endpoints WHERE id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id);
  return stmt->run();
}

Result<bool> WebhookStore::has_receivers(std::int64_t workspace_id) {
  auto stmt = db_.prepare(
      "SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE workspace_id = ?1) "
      "OR EXISTS (SELECT 1 FROM campaign_webhooks w JOIN campaigns c ON c.id = w.campaign_id WHERE c.workspace_id = ?1)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id);
  const bool any = stmt->step() && stmt->int64(0) != 0;
  if (auto status = stmt->status(); !status) return status.take_error();
  return any;
}

Result<std::int64_t> WebhookStore::enqueue(const WebhookEventRecord& event, const std::optional<std::string>& campaign_event,
                                           std::optional<std::int64_t> only_endpoint) {
  auto stmt = db_.prepare(
      "INSERT INTO webhook_events (id, workspace_id, type, campaign_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, event.id).bind(2, event.workspace_id).bind(3, event.type);
  bind_optional(*stmt, 4, event.campaign_id);
  stmt->bind(5, event.body).bind(6, event.created_at);
  if (auto stored = stmt->run(); !stored) return stored.take_error();
  std::int64_t deliveries = 0;
  auto to_endpoints = db_.prepare(
      only_endpoint
          ? "INSERT INTO webhook_deliveries (event_id, endpoint_id, state, attempts, next_attempt_at, created_at) "
            "SELECT ?1, id, 'pending', 0, ?3, ?3 FROM webhook_endpoints WHERE workspace_id = ?2 AND id = ?4"
          : "INSERT INTO webhook_deliveries (event_id, endpoint_id, state, attempts, next_attempt_at, created_at) "
            "SELECT ?1, e.id, 'pending', 0, ?3, ?3 FROM webhook_endpoints e WHERE e.workspace_id = ?2 AND e.enabled = 1 "
            "AND EXISTS (SELECT 1 FROM json_each(e.events) j WHERE j.value = ?5)");
  if (!to_endpoints) return to_endpoints.take_error();
  to_endpoints->bind(1, event.id).bind(2, event.workspace_id).bind(3, event.created_at);
  if (only_endpoint) to_endpoints->bind(4, *only_endpoint);
  else to_endpoints->bind(5, event.type);
  auto added = changes_of(db_, to_endpoints->run());
  if (!added) return added.take_error();
  deliveries += *added;
  if (only_endpoint || !campaign_event || !event.campaign_id) return deliveries;
  // Campaign webhooks restored from a receipt written before they had secrets get one now.
  auto keyed = db_.prepare(
      "UPDATE campaign_webhooks SET secret = 'whsec_' || hex(randomblob(24)) WHERE campaign_id = ? AND secret IS NULL");
  if (!keyed) return keyed.take_error();
  keyed->bind(1, *event.campaign_id);
  if (auto done = keyed->run(); !done) return done.take_error();
  auto to_campaign = db_.prepare(
      "INSERT INTO webhook_deliveries (event_id, campaign_webhook_id, state, attempts, next_attempt_at, created_at) "
      "SELECT ?1, w.id, 'pending', 0, ?2, ?2 FROM campaign_webhooks w WHERE w.campaign_id = ?3 "
      "AND EXISTS (SELECT 1 FROM json_each(w.events) j WHERE j.value = ?4)");
  if (!to_campaign) return to_campaign.take_error();
  to_campaign->bind(1, event.id).bind(2, event.created_at).bind(3, *event.campaign_id).bind(4, *campaign_event);
  auto campaign_added = changes_of(db_, to_campaign->run());
  if (!campaign_added) return campaign_added.take_error();
  return deliveries + *campaign_added;
}

namespace {

// Pending deliveries to receivers that take them: enabled endpoints, and every campaign webhook.
constexpr const char* kDueFrom =
    " FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id "
    "LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id "
    "LEFT JOIN campaign_webhooks w ON w.id = d.campaign_webhook_id "
    "WHERE d.next_attempt_at IS NOT NULL AND (e.enabled = 1 OR w.id IS NOT NULL)";

}  // namespace

Result<std::vector<DueWebhookDelivery>> WebhookStore::due(std::int64_t now, int limit, const std::set<std::int64_t>& excluded) {
  auto stmt = db_.prepare(
      std::string("SELECT d.id, d.event_id, d.attempts, d.endpoint_id, d.campaign_webhook_id, coalesce(e.url, w.url), "
                  "coalesce(e.secret, w.secret), CASE WHEN e.previous_secret_until > ?1 THEN e.previous_secret END, ev.body") +
      kDueFrom + " AND d.next_attempt_at <= ?1 ORDER BY d.next_attempt_at, d.id LIMIT ?2");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, now).bind(2, limit + static_cast<int>(excluded.size()));
  std::vector<DueWebhookDelivery> due;
  while (stmt->step() && static_cast<int>(due.size()) < limit) {
    DueWebhookDelivery delivery;
    delivery.id = stmt->int64(0);
    if (excluded.count(delivery.id)) continue;
    delivery.event_id = stmt->int64(1);
    delivery.attempts = stmt->int64(2);
    delivery.endpoint_id = optional_int(*stmt, 3);
    delivery.receiver = delivery.endpoint_id ? "e" + std::to_string(*delivery.endpoint_id) : "c" + std::to_string(stmt->int64(4));
    delivery.url = stmt->text(5);
    delivery.secrets.push_back(stmt->text(6));
    if (auto previous = stmt->optional_text(7)) delivery.secrets.push_back(std::move(*previous));
    delivery.body = stmt->text(8);
    due.push_back(std::move(delivery));
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  return due;
}

Result<std::optional<std::int64_t>> WebhookStore::next_due() {
  auto stmt = db_.prepare(std::string("SELECT min(d.next_attempt_at)") + kDueFrom);
  if (!stmt) return stmt.take_error();
  std::optional<std::int64_t> next;
  if (stmt->step() && !stmt->is_null(0)) next = stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return next;
}

namespace {

constexpr const char* kDeliveryColumns =
    "d.id, d.event_id, ev.type, ev.created_at, d.endpoint_id, d.campaign_webhook_id, d.state, d.attempts, "
    "d.next_attempt_at, d.created_at";

WebhookDeliveryRecord read_delivery(const Statement& row) {
  WebhookDeliveryRecord delivery;
  delivery.id = row.int64(0);
  delivery.event_id = row.int64(1);
  delivery.event_type = row.text(2);
  delivery.event_created_at = row.int64(3);
  delivery.endpoint_id = optional_int(row, 4);
  delivery.campaign_webhook_id = optional_int(row, 5);
  delivery.state = row.text(6);
  delivery.attempts = row.int64(7);
  delivery.next_attempt_at = optional_int(row, 8);
  delivery.created_at = row.int64(9);
  return delivery;
}

}  // namespace

Result<std::optional<WebhookDeliveryRecord>> WebhookStore::find_delivery(std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kDeliveryColumns +
                          " FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE d.id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id);
  if (stmt->step()) return std::optional<WebhookDeliveryRecord>(read_delivery(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  return std::optional<WebhookDeliveryRecord>();
}

Status WebhookStore::record_attempt(std::int64_t id, const WebhookAttemptRecord& attempt, const std::string& state,
                                    std::int64_t attempts, std::optional<std::int64_t> next_attempt_at) {
  auto logged = db_.prepare(
      "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!logged) return logged.take_error();
  logged->bind(1, id).bind(2, attempt.attempted_at);
  bind_optional(*logged, 3, attempt.status_code);
  logged->bind(4, attempt.duration_ms).bind(5, attempt.error).bind(6, attempt.response_excerpt);
  if (auto done = logged->run(); !done) return done;
  auto stmt = db_.prepare("UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ? WHERE id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, state).bind(2, attempts);
  bind_optional(*stmt, 3, next_attempt_at);
  stmt->bind(4, id);
  return stmt->run();
}

Status WebhookStore::note_success(std::int64_t endpoint_id, std::int64_t at) {
  auto stmt = db_.prepare("UPDATE webhook_endpoints SET last_success_at = ? WHERE id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, at).bind(2, endpoint_id);
  return stmt->run();
}

Result<WebhookDeliveryPage> WebhookStore::list_deliveries(std::int64_t endpoint_id, const std::optional<std::string>& state,
                                                          int limit, std::optional<std::int64_t> before_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kDeliveryColumns +
                          " FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id "
                          "WHERE d.endpoint_id = ?1 AND (?2 IS NULL OR d.state = ?2) AND (?3 IS NULL OR d.id < ?3) "
                          "ORDER BY d.id DESC LIMIT ?4");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, endpoint_id).bind(2, state);
  bind_optional(*stmt, 3, before_id);
  stmt->bind(4, rows_to_fetch(limit));
  WebhookDeliveryPage page;
  while (stmt->step()) page.deliveries.push_back(read_delivery(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  page.has_more = trim_to_page(page.deliveries, limit);
  for (auto& delivery : page.deliveries) {
    auto attempts = db_.prepare(
        "SELECT attempted_at, status_code, duration_ms, error, response_excerpt FROM webhook_attempts "
        "WHERE delivery_id = ? ORDER BY id DESC LIMIT 50");
    if (!attempts) return attempts.take_error();
    attempts->bind(1, delivery.id);
    while (attempts->step()) {
      delivery.attempt_log.push_back({attempts->int64(0), optional_int(*attempts, 1), attempts->int64(2),
                                      attempts->optional_text(3), attempts->optional_text(4)});
    }
    if (auto status = attempts->status(); !status) return status.take_error();
  }
  return page;
}

Status WebhookStore::retry_delivery(std::int64_t id, std::int64_t now) {
  auto stmt = db_.prepare("UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ? WHERE id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, now).bind(2, id);
  return stmt->run();
}

Result<std::int64_t> WebhookStore::replay(const WebhookEndpointRecord& endpoint, std::int64_t since,
                                          std::optional<std::int64_t> until, std::int64_t now) {
  constexpr const char* kEvents =
      " FROM webhook_events ev WHERE ev.workspace_id = ?2 AND ev.created_at >= ?3 AND (?4 IS NULL OR ev.created_at < ?4) "
      "AND ev.type IN (SELECT j.value FROM json_each(?5) j)";
  auto again = db_.prepare(std::string("UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?6 "
                                       "WHERE endpoint_id = ?1 AND event_id IN (SELECT ev.id") + kEvents + ")");
  if (!again) return again.take_error();
  const auto events = json(endpoint.events).dump();
  auto bind = [&](Statement& stmt) {
    stmt.bind(1, endpoint.id).bind(2, endpoint.workspace_id).bind(3, since);
    bind_optional(stmt, 4, until);
    stmt.bind(5, events).bind(6, now);
  };
  bind(*again);
  auto requeued = changes_of(db_, again->run());
  if (!requeued) return requeued.take_error();
  auto fresh = db_.prepare(std::string("INSERT OR IGNORE INTO webhook_deliveries (event_id, endpoint_id, state, attempts, "
                                       "next_attempt_at, created_at) SELECT ev.id, ?1, 'pending', 0, ?6, ?6") + kEvents);
  if (!fresh) return fresh.take_error();
  bind(*fresh);
  auto added = changes_of(db_, fresh->run());
  if (!added) return added.take_error();
  return *requeued + *added;
}

Result<std::int64_t> WebhookStore::prune_events(std::int64_t before) {
  auto stmt = db_.prepare(
      "DELETE FROM webhook_events WHERE created_at < ? AND NOT EXISTS "
      "(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id AND d.next_attempt_at IS NOT NULL)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, before);
  return changes_of(db_, stmt->run());
}

}  // namespace leadline::store
