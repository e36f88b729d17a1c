#pragma once
// An event a route reports about what it changed, written to the webhook outbox in the same
// transaction (so a refused request or a dry run reports nothing). Payloads are thin: ids,
// counts and statuses, never a person's email, name or phone number, so an erasure has nothing
// to chase in the outbox and a receiver fetches what it needs through the API.

#include "domain/vocabulary.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

namespace leadline::api {

struct PendingEvent {
  domain::WebhookEvent type = domain::WebhookEvent::LeadCreated;
  std::optional<std::int64_t> campaign_id;  ///< the campaign it concerns (its campaign webhooks get it too)
  nlohmann::json data = nlohmann::json::object();
};

/// At most this many ids in one event's list; a bulk operation's event carries its counts, and
/// its receipt for the rest.
inline constexpr std::size_t kMaxEventIds = 100;

}  // namespace leadline::api
