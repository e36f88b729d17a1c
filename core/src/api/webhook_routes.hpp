#pragma once
// The workspace's webhook endpoints and their delivery log (Standard Webhooks; Stripe's and
// Svix's endpoint APIs are the model). Delivery itself is api/webhook_delivery.

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/webhook_input.hpp"

namespace leadline::api {

/// POST /webhooks — 201 {webhook, secret}: the signing secret is shown here only.
Result<Reply> create_webhook_endpoint(RouteContext& context, validation::WebhookEndpointInput& decoded);
/// GET /webhooks — every endpoint of the workspace, oldest first.
Result<Reply> list_webhook_endpoints(RouteContext& context, NothingDecoded&);
/// GET /webhooks/{id}.
Result<Reply> get_webhook_endpoint(RouteContext& context, NothingDecoded&);
/// PATCH /webhooks/{id} — url, events, description, enabled (turning an endpoint on again
/// resumes its pending deliveries).
Result<Reply> update_webhook_endpoint(RouteContext& context, validation::WebhookEndpointChange& decoded);
/// DELETE /webhooks/{id} — the endpoint, its deliveries and their log.
Result<Reply> delete_webhook_endpoint(RouteContext& context, NothingDecoded&);
/// POST /webhooks/{id}/rotate-secret — a new secret (shown once); the old one keeps signing
/// beside it for `overlapHours` (default 24).
Result<Reply> rotate_webhook_secret(RouteContext& context, validation::SecretRotationInput& decoded);
/// GET /webhooks/{id}/deliveries — newest first, each with its attempts.
Result<Reply> list_webhook_deliveries(RouteContext& context, validation::DeliveryListQuery& decoded);
/// POST /webhooks/{id}/deliveries/{deliveryId}/retry — one more attempt, now.
Result<Reply> retry_webhook_delivery(RouteContext& context, NothingDecoded&);
/// POST /webhooks/{id}/replay — the endpoint's events since a time, delivered again.
Result<Reply> replay_webhook_events(RouteContext& context, validation::ReplayInput& decoded);
/// POST /webhooks/{id}/test — a webhook.test event to this endpoint alone.
Result<Reply> test_webhook_endpoint(RouteContext& context, NothingDecoded&);

}  // namespace leadline::api
