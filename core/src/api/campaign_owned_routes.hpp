#pragma once
// What a campaign owns and users manage directly: its email sequence steps and its webhooks.

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/campaign_input.hpp"

namespace leadline::api {

/// POST /campaigns/{id}/sequences — appends a step {subject?, body, delayDays?}.
Result<Reply> create_sequence(RouteContext& context, validation::SequenceInput& decoded);
/// GET /campaigns/{id}/sequences — the steps in order.
Result<Reply> list_sequences(RouteContext& context, NothingDecoded&);
/// DELETE /campaigns/{id}/sequences/{sequenceId} — removes a step; later steps move up.
Result<Reply> delete_sequence(RouteContext& context, NothingDecoded&);

/// POST /campaigns/{id}/webhooks — {url, events, name?}.
Result<Reply> create_webhook(RouteContext& context, validation::WebhookInput& decoded);
/// GET /campaigns/{id}/webhooks.
Result<Reply> list_webhooks(RouteContext& context, NothingDecoded&);
/// DELETE /campaigns/{id}/webhooks/{webhookId}.
Result<Reply> delete_webhook(RouteContext& context, NothingDecoded&);

}  // namespace leadline::api
