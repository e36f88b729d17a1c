#pragma once
// Webhook delivery, directed by the core and performed by the host. The host asks which
// deliveries are due ("due"), sends each one exactly as handed over — URL, headers and body,
// signed here — with a timeout and no redirects, and reports what happened ("report"). The core
// decides everything else: the order, how many at once per receiver, when a failed attempt is
// tried again (the retry schedule with jitter), when a delivery is given up and when an endpoint
// that has failed throughout its window is disabled. "check-address" says whether an address a
// receiver's name resolved to may be sent to.
//
// Every attempt of one event carries the same `webhook-id` (the event's id), so a receiver
// that saw it before can ignore it: delivery is at least once.

#include "api/route_context.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace leadline::api {

/// How long the host waits for a receiver's reply before counting the attempt failed.
inline constexpr std::int64_t kDeliveryTimeoutMs = 10000;
/// A delivery handed out and not reported within this long is handed out again (the host died).
inline constexpr std::int64_t kDeliveryLeaseMs = kDeliveryTimeoutMs + 20000;
/// At most this many deliveries to one receiver are out at once.
inline constexpr int kMaxInFlightPerReceiver = 4;
/// How much of a receiver's reply the delivery log keeps.
inline constexpr std::size_t kResponseExcerptBytes = 1024;
/// Events are kept this long for replays once nothing waits for them.
inline constexpr std::int64_t kEventRetentionMs = 30LL * 24 * 3600 * 1000;

/// What the host sends for delivery `due` of `workspace_id` at `now`: {deliveryId, workspaceId,
/// receiver, url, headers, body, timeoutMs}.
nlohmann::json outgoing_delivery(std::int64_t workspace_id, const store::DueWebhookDelivery& due, std::int64_t now);

/// One attempt as the host reports it.
struct AttemptReport {
  std::int64_t delivery_id = 0;
  std::optional<std::int64_t> status_code;  ///< the receiver's HTTP status, if it answered
  std::int64_t duration_ms = 0;
  std::optional<std::string> error;         ///< why there was no usable reply (timeout, refused, blocked)
  std::optional<std::string> response_excerpt;
};
/// The "report" command: `workspaceId` and `attempts`, 1–100 attempts at that workspace's
/// deliveries (a host reports what finished meanwhile in one call, so a burst of deliveries
/// costs one transaction per batch, not one per delivery), and optionally `next`. Unknown
/// fields are refused.
struct AttemptReports {
  std::int64_t workspace_id = 0;
  std::vector<AttemptReport> attempts;
  int next = 0;  ///< `next`: hand out up to this many due deliveries with the reply (0–100)
};
inline constexpr std::size_t kMaxReportsPerCall = 100;
Result<AttemptReports> decode_attempt_reports(const nlohmann::json& command);

/// Records `report` of `workspace_id` at `now` and decides what follows (see the file comment).
/// Replies {deliveryId, state, attempts, nextAttemptAt}; a delivery no longer there (its
/// endpoint was deleted meanwhile) replies state "gone".
Result<nlohmann::json> record_attempt(Services& services, std::int64_t workspace_id, const AttemptReport& report,
                                      std::int64_t now);

/// The delay before attempt number `attempts + 1` (attempts made so far ≥ 1), jittered by up to
/// ±10 %, or nullopt when the schedule is spent.
std::optional<std::int64_t> retry_delay(const std::vector<std::int64_t>& schedule, std::int64_t attempts);

/// Why the literal address `address` may not receive webhooks, or nullopt (always, when the
/// policy allows private receivers). A string that is no address is refused.
std::optional<std::string> address_refusal(std::string_view address, bool allow_private);

}  // namespace leadline::api
