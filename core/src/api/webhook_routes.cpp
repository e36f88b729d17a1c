#include "api/webhook_routes.hpp"

#include "api/webhook_outbox.hpp"
#include "guards/webhook_signature.hpp"
#include "leadline/time_format.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;

// Stripe allows 16 endpoints per account; a workspace needs no more than a few.
constexpr std::size_t kMaxEndpointsPerWorkspace = 20;

json optional_time(const std::optional<std::int64_t>& ms) { return ms ? json(format_timestamp(*ms)) : json(nullptr); }

json endpoint_to_json(const store::WebhookEndpointRecord& endpoint, std::int64_t now) {
  const bool rotating = endpoint.previous_secret && endpoint.previous_secret_until && *endpoint.previous_secret_until > now;
  return {{"id", format_id(kWebhookEndpointIdPrefix, endpoint.id)},
          {"url", endpoint.url},
          {"description", endpoint.description ? json(*endpoint.description) : json(nullptr)},
          {"events", endpoint.events},
          {"enabled", endpoint.enabled},
          {"disabledReason", endpoint.disabled_reason ? json(*endpoint.disabled_reason) : json(nullptr)},
          {"previousSecretValidUntil", rotating ? optional_time(endpoint.previous_secret_until) : json(nullptr)},
          {"lastSuccessAt", optional_time(endpoint.last_success_at)},
          {"createdAt", format_timestamp(endpoint.created_at)},
          {"updatedAt", format_timestamp(endpoint.updated_at)}};
}

json delivery_to_json(const store::WebhookDeliveryRecord& delivery) {
  json attempts = json::array();
  for (const auto& attempt : delivery.attempt_log) {
    attempts.push_back({{"at", format_timestamp(attempt.attempted_at)},
                        {"statusCode", attempt.status_code ? json(*attempt.status_code) : json(nullptr)},
                        {"durationMs", attempt.duration_ms},
                        {"error", attempt.error ? json(*attempt.error) : json(nullptr)},
                        {"responseExcerpt", attempt.response_excerpt ? json(*attempt.response_excerpt) : json(nullptr)}});
  }
  return {{"id", format_id(kWebhookDeliveryIdPrefix, delivery.id)},
          {"eventId", format_id(kWebhookEventIdPrefix, delivery.event_id)},
          {"eventType", delivery.event_type},
          {"state", delivery.state},
          {"attempts", delivery.attempts},
          {"nextAttemptAt", optional_time(delivery.next_attempt_at)},
          {"createdAt", format_timestamp(delivery.created_at)},
          {"attemptLog", std::move(attempts)}};
}

Error endpoint_not_found(const std::string& id) {
  return Error{ErrorCode::NotFound, "Webhook endpoint not found", {{"details", {{"webhookId", id}}}}};
}

Result<store::WebhookEndpointRecord> load_endpoint(RouteContext& context) {
  const auto& public_id = context.path_params[0];
  const auto id = parse_id(kWebhookEndpointIdPrefix, public_id);
  if (!id) return endpoint_not_found(public_id);
  auto endpoint = context.services.webhooks.find_endpoint(context.principal->workspace_id, *id);
  if (!endpoint) return endpoint.take_error();
  if (!*endpoint) return endpoint_not_found(public_id);
  return std::move(**endpoint);
}

// The deployment's rule for where webhooks may go, checked whenever a URL is set.
Status check_policy(const RouteContext& context, const std::string& url) {
  auto parsed = validation::parse_webhook_url(url);
  if (!parsed) return Error{ErrorCode::ValidationError, "url: " + parsed.error().message, {{"field", "url"}}};
  if (auto refusal = validation::webhook_url_refusal(*parsed, context.services.webhook_policy.allow_private))
    return Error{ErrorCode::ValidationError, "url: " + *refusal, {{"field", "url"}}};
  return Ok{};
}

}  // namespace

Result<Reply> create_webhook_endpoint(RouteContext& context, validation::WebhookEndpointInput& decoded) {
  if (auto allowed = check_policy(context, decoded.url); !allowed) return allowed.take_error();
  auto& webhooks = context.services.webhooks;
  const auto workspace_id = context.principal->workspace_id;
  auto existing = webhooks.list_endpoints(workspace_id);
  if (!existing) return existing.take_error();
  if (existing->size() >= kMaxEndpointsPerWorkspace)
    return Error{ErrorCode::Conflict, "A workspace has at most " + std::to_string(kMaxEndpointsPerWorkspace) +
                                          " webhook endpoints; delete one first"};
  store::WebhookEndpointRecord endpoint;
  endpoint.id = context.services.ids.next(context.now);
  endpoint.workspace_id = workspace_id;
  endpoint.url = decoded.url;
  endpoint.description = decoded.description;
  endpoint.events = decoded.events;
  endpoint.secret = guards::new_webhook_secret();
  endpoint.created_at = endpoint.updated_at = context.now;
  if (auto saved = webhooks.insert_endpoint(endpoint); !saved) return saved.take_error();
  return Reply{201, {{"webhook", endpoint_to_json(endpoint, context.now)}, {"secret", endpoint.secret}},
               "Webhook endpoint created; store the secret now, it is not shown again"};
}

Result<Reply> list_webhook_endpoints(RouteContext& context, NothingDecoded&) {
  auto endpoints = context.services.webhooks.list_endpoints(context.principal->workspace_id);
  if (!endpoints) return endpoints.take_error();
  json list = json::array();
  for (const auto& endpoint : *endpoints) list.push_back(endpoint_to_json(endpoint, context.now));
  return Reply{200, {{"webhooks", std::move(list)}}};
}

Result<Reply> get_webhook_endpoint(RouteContext& context, NothingDecoded&) {
  auto endpoint = load_endpoint(context);
  if (!endpoint) return endpoint.take_error();
  return Reply{200, endpoint_to_json(*endpoint, context.now)};
}

Result<Reply> update_webhook_endpoint(RouteContext& context, validation::WebhookEndpointChange& decoded) {
  auto endpoint = load_endpoint(context);
  if (!endpoint) return endpoint.take_error();
  if (decoded.url) {
    if (auto allowed = check_policy(context, *decoded.url); !allowed) return allowed.take_error();
    endpoint->url = *decoded.url;
  }
  if (decoded.events) endpoint->events = *decoded.events;
  if (decoded.description) endpoint->description = *decoded.description;
  if (decoded.enabled) {
    if (*decoded.enabled && !endpoint->enabled) endpoint->last_success_at = std::nullopt;
    endpoint->enabled = *decoded.enabled;
    endpoint->disabled_reason = *decoded.enabled ? std::nullopt : std::optional<std::string>("Disabled through the API");
  }
  endpoint->updated_at = context.now;
  if (auto saved = context.services.webhooks.update_endpoint(*endpoint); !saved) return saved.take_error();
  return Reply{200, endpoint_to_json(*endpoint, context.now), "Webhook endpoint updated"};
}

Result<Reply> delete_webhook_endpoint(RouteContext& context, NothingDecoded&) {
  auto endpoint = load_endpoint(context);
  if (!endpoint) return endpoint.take_error();
  if (auto removed = context.services.webhooks.delete_endpoint(endpoint->id); !removed) return removed.take_error();
  return Reply{200, {{"id", format_id(kWebhookEndpointIdPrefix, endpoint->id)}, {"deleted", true}},
               "Webhook endpoint deleted"};
}

Result<Reply> rotate_webhook_secret(RouteContext& context, validation::SecretRotationInput& decoded) {
  auto endpoint = load_endpoint(context);
  if (!endpoint) return endpoint.take_error();
  endpoint->previous_secret = endpoint->secret;
  endpoint->previous_secret_until = context.now + decoded.overlap_ms;
  endpoint->secret = guards::new_webhook_secret();
  endpoint->updated_at = context.now;
  if (auto saved = context.services.webhooks.update_endpoint(*endpoint); !saved) return saved.take_error();
  return Reply{200,
               {{"webhook", endpoint_to_json(*endpoint, context.now)}, {"secret", endpoint->secret}},
               "Secret rotated; both secrets sign until previousSecretValidUntil"};
}

Result<Reply> list_webhook_deliveries(RouteContext& context, validation::DeliveryListQuery& decoded) {
  auto endpoint = load_endpoint(context);
  if (!endpoint) return endpoint.take_error();
  auto page = context.services.webhooks.list_deliveries(endpoint->id, decoded.state, decoded.page.limit,
                                                        decoded.page.before_id);
  if (!page) return page.take_error();
  json list = json::array();
  for (const auto& delivery : page->deliveries) list.push_back(delivery_to_json(delivery));
  const json next_cursor = page->has_more ? json(validation::encode_cursor(page->deliveries.back().id)) : json(nullptr);
  return Reply{200, {{"deliveries", std::move(list)}, {"nextCursor", next_cursor}, {"hasMore", page->has_more}}};
}

Result<Reply> retry_webhook_delivery(RouteContext& context, NothingDecoded&) {
  auto endpoint = load_endpoint(context);
  if (!endpoint) return endpoint.take_error();
  const auto& public_id = context.path_params[1];
  const Error not_found{ErrorCode::NotFound, "Delivery not found", {{"details", {{"deliveryId", public_id}}}}};
  const auto id = parse_id(kWebhookDeliveryIdPrefix, public_id);
  if (!id) return not_found;
  auto delivery = context.services.webhooks.find_delivery(*id);
  if (!delivery) return delivery.take_error();
  if (!*delivery || (*delivery)->endpoint_id != endpoint->id) return not_found;
  const auto pending = std::string(domain::name_of(domain::kDeliveryStates, domain::DeliveryState::Pending));
  if ((*delivery)->state == pending)
    return Error{ErrorCode::Conflict, "Delivery " + public_id + " is already waiting for its next attempt",
                 {{"details", {{"deliveryId", public_id}, {"nextAttemptAt", optional_time((*delivery)->next_attempt_at)}}}}};
  if (auto queued = context.services.webhooks.retry_delivery(*id, context.now); !queued) return queued.take_error();
  (*delivery)->state = pending;
  (*delivery)->next_attempt_at = context.now;
  return Reply{202, delivery_to_json(**delivery), "Delivery queued"};
}

Result<Reply> replay_webhook_events(RouteContext& context, validation::ReplayInput& decoded) {
  auto endpoint = load_endpoint(context);
  if (!endpoint) return endpoint.take_error();
  auto queued = context.services.webhooks.replay(*endpoint, decoded.since, decoded.until, context.now);
  if (!queued) return queued.take_error();
  Reply reply{202, {{"queued", *queued}}, "Events queued for delivery again"};
  return reply;
}

Result<Reply> test_webhook_endpoint(RouteContext& context, NothingDecoded&) {
  auto endpoint = load_endpoint(context);
  if (!endpoint) return endpoint.take_error();
  const auto public_id = format_id(kWebhookEndpointIdPrefix, endpoint->id);
  if (!endpoint->enabled)
    return Error{ErrorCode::Conflict, "Webhook endpoint " + public_id + " is disabled; enable it to send a test",
                 {{"details", {{"webhookId", public_id}}}}};
  PendingEvent ping{domain::WebhookEvent::WebhookTest, std::nullopt, {{"webhookId", public_id}}};
  auto event = write_event_for(context.services, context.principal->workspace_id, ping, endpoint->id, context.now);
  if (!event) return event.take_error();
  return Reply{202, {{"eventId", format_id(kWebhookEventIdPrefix, *event)}}, "Test event queued"};
}

}  // namespace leadline::api
