#pragma once
// Writing events to the webhook outbox, inside the caller's transaction: the event's body is
// fixed here, once, in the Standard Webhooks shape {type, timestamp, data}, and one delivery is
// queued per receiver that takes it.

#include "api/route_context.hpp"
#include "api/webhook_event.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace leadline::api {

/// Stores `events` of `workspace_id` happening at `now`, unless nothing in the workspace
/// receives webhooks. Returns how many deliveries were queued.
Result<std::int64_t> write_events(Services& services, std::int64_t workspace_id, const std::vector<PendingEvent>& events,
                                  std::int64_t now);

/// Stores one event for the endpoint `endpoint_id` alone (a test ping), whatever it subscribes
/// to; returns the event's id.
Result<std::int64_t> write_event_for(Services& services, std::int64_t workspace_id, const PendingEvent& event,
                                     std::int64_t endpoint_id, std::int64_t now);

/// A bounded list of public ids for an event's payload.
nlohmann::json event_ids(std::string_view prefix, const std::vector<std::int64_t>& ids);

}  // namespace leadline::api
