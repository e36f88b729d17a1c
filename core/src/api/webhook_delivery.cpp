#include "api/webhook_delivery.hpp"

#include "api/webhook_outbox.hpp"
#include "guards/webhook_signature.hpp"
#include "leadline/ids.hpp"
#include "leadline/time_format.hpp"
#include "validation/network_address.hpp"
#include "validation/webhook_input.hpp"

#include <random>

namespace leadline::api {
namespace {

using json = nlohmann::json;

std::string state_name(domain::DeliveryState state) { return std::string(domain::name_of(domain::kDeliveryStates, state)); }

std::int64_t jittered(std::int64_t delay) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const auto spread = delay / 10;
  if (spread <= 0) return delay;
  std::uniform_int_distribution<std::int64_t> offset(-spread, spread);
  return delay + offset(random);
}

const std::vector<std::int64_t>& schedule_of(const Services& services) {
  const auto& configured = services.webhook_policy.retry_schedule_ms;
  return configured.empty() ? validation::default_retry_schedule() : configured;
}

// An endpoint whose delivery ran out of attempts with no success since that delivery began has
// failed throughout its window: it is turned off, with an audit entry and an event to the
// workspace's other endpoints, until someone turns it on again.
Status disable_endpoint(Services& services, store::WebhookEndpointRecord endpoint, std::int64_t now) {
  endpoint.enabled = false;
  endpoint.disabled_reason = "Every delivery failed throughout the retry window";
  endpoint.updated_at = now;
  if (auto saved = services.webhooks.update_endpoint(endpoint); !saved) return saved;
  const auto id = format_id(kWebhookEndpointIdPrefix, endpoint.id);
  store::AuditEntry entry;
  entry.id = services.ids.next(now);
  entry.workspace_id = endpoint.workspace_id;
  entry.at = now;
  entry.key_prefix = "system";
  entry.method = "PATCH";
  entry.path = "/api/v1/webhooks/" + id;
  entry.route = "webhook delivery";
  entry.request = {{"enabled", false}, {"reason", *endpoint.disabled_reason}};
  if (auto logged = services.audit.append(entry); !logged) return logged;
  PendingEvent disabled{domain::WebhookEvent::WebhookDisabled, std::nullopt,
                        {{"webhookId", id}, {"url", endpoint.url}, {"reason", *endpoint.disabled_reason}}};
  auto written = write_events(services, endpoint.workspace_id, {disabled}, now);
  if (!written) return written.take_error();
  return Ok{};
}

}  // namespace

json outgoing_delivery(std::int64_t workspace_id, const store::DueWebhookDelivery& due, std::int64_t now) {
  const auto message_id = format_id(kWebhookEventIdPrefix, due.event_id);
  const auto timestamp = now / 1000;
  return {{"deliveryId", format_id(kWebhookDeliveryIdPrefix, due.id)},
          {"workspaceId", format_id(kWorkspaceIdPrefix, workspace_id)},
          {"receiver", due.receiver},
          {"url", due.url},
          {"headers",
           {{"content-type", "application/json"},
            {"user-agent", "Leadline-Webhooks/1"},
            {"webhook-id", message_id},
            {"webhook-timestamp", std::to_string(timestamp)},
            {"webhook-signature", guards::webhook_signature_header(due.secrets, message_id, timestamp, due.body)}}},
          {"body", due.body},
          {"timeoutMs", kDeliveryTimeoutMs}};
}

Result<AttemptReports> decode_attempt_reports(const json& command) {
  const auto bad = [](const std::string& why) { return Error{ErrorCode::ValidationError, "report: " + why}; };
  AttemptReports reports;
  for (const auto& [key, value] : command.items()) {
    if (key == "op") continue;
    if (key == "workspaceId") {
      const auto id = value.is_string() ? parse_id(kWorkspaceIdPrefix, value.get<std::string>()) : std::nullopt;
      if (!id) return bad("workspaceId must be a workspace id");
      reports.workspace_id = *id;
    } else if (key == "next") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 100)
        return bad("next must be a whole number from 0 to 100");
      reports.next = value.get<int>();
    } else if (key != "attempts") {
      return bad("unknown field " + key);
    }
  }
  if (reports.workspace_id == 0) return bad("workspaceId is required");
  const auto& attempts = command.contains("attempts") ? command["attempts"] : json();
  if (!attempts.is_array() || attempts.empty() || attempts.size() > kMaxReportsPerCall)
    return bad("attempts must be an array of 1 to " + std::to_string(kMaxReportsPerCall));
  for (const auto& entry : attempts) {
    if (!entry.is_object()) return bad("each attempt must be an object");
    AttemptReport report;
    for (const auto& [key, value] : entry.items()) {
      if (key == "deliveryId") {
        const auto id = value.is_string() ? parse_id(kWebhookDeliveryIdPrefix, value.get<std::string>()) : std::nullopt;
        if (!id) return bad("deliveryId must be a delivery id");
        report.delivery_id = *id;
      } else if (key == "statusCode") {
        if (!value.is_null() && (!value.is_number_integer() || value.get<std::int64_t>() < 100 || value.get<std::int64_t>() > 599))
          return bad("statusCode must be an HTTP status or null");
        if (!value.is_null()) report.status_code = value.get<std::int64_t>();
      } else if (key == "durationMs") {
        if (!value.is_number_integer() || value.get<std::int64_t>() < 0) return bad("durationMs must be a whole number");
        report.duration_ms = value.get<std::int64_t>();
      } else if (key == "error" || key == "responseExcerpt") {
        if (value.is_null()) continue;
        if (!value.is_string()) return bad(key + " must be a string");
        auto text = value.get<std::string>();
        if (text.size() > kResponseExcerptBytes) {
          // Cut at a character boundary: the excerpt is shown as text.
          text.resize(kResponseExcerptBytes);
          while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
          if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
        }
        (key == "error" ? report.error : report.response_excerpt) = std::move(text);
      } else {
        return bad("unknown field " + key);
      }
    }
    if (report.delivery_id == 0) return bad("deliveryId is required");
    if (!report.status_code && !report.error) return bad("a statusCode or an error is required");
    reports.attempts.push_back(std::move(report));
  }
  return reports;
}

std::optional<std::int64_t> retry_delay(const std::vector<std::int64_t>& schedule, std::int64_t attempts) {
  if (attempts < 1 || attempts > static_cast<std::int64_t>(schedule.size())) return std::nullopt;
  return jittered(schedule[static_cast<std::size_t>(attempts - 1)]);
}

Result<json> record_attempt(Services& services, std::int64_t workspace_id, const AttemptReport& report, std::int64_t now) {
  auto found = services.webhooks.find_delivery(report.delivery_id);
  if (!found) return found.take_error();
  if (!*found) return json{{"deliveryId", format_id(kWebhookDeliveryIdPrefix, report.delivery_id)}, {"state", "gone"}};
  auto& delivery = **found;
  const bool accepted = report.status_code && *report.status_code >= 200 && *report.status_code < 300;
  const auto attempts = delivery.attempts + 1;
  std::optional<std::int64_t> next;
  auto state = domain::DeliveryState::Delivered;
  if (!accepted) {
    const auto delay = retry_delay(schedule_of(services), attempts);
    state = delay ? domain::DeliveryState::Pending : domain::DeliveryState::Failed;
    if (delay) next = now + *delay;
  }
  store::WebhookAttemptRecord attempt{now - report.duration_ms, report.status_code, report.duration_ms, report.error,
                                      report.response_excerpt};
  if (auto saved = services.webhooks.record_attempt(delivery.id, attempt, state_name(state), attempts, next); !saved)
    return saved.take_error();
  if (delivery.endpoint_id) {
    if (accepted) {
      if (auto noted = services.webhooks.note_success(*delivery.endpoint_id, now); !noted) return noted.take_error();
    } else if (state == domain::DeliveryState::Failed) {
      auto endpoint = services.webhooks.find_endpoint(workspace_id, *delivery.endpoint_id);
      if (!endpoint) return endpoint.take_error();
      if (*endpoint && (*endpoint)->enabled &&
          (!(*endpoint)->last_success_at || *(*endpoint)->last_success_at < delivery.created_at)) {
        if (auto disabled = disable_endpoint(services, **endpoint, now); !disabled) return disabled.take_error();
      }
    }
  }
  return json{{"deliveryId", format_id(kWebhookDeliveryIdPrefix, delivery.id)},
              {"state", state_name(state)},
              {"attempts", attempts},
              {"nextAttemptAt", next ? json(format_timestamp(*next)) : json(nullptr)}};
}

std::optional<std::string> address_refusal(std::string_view address, bool allow_private) {
  const auto kind = validation::classify_address(address);
  if (!kind) return "not an IP address";
  if (allow_private) return std::nullopt;
  if (const char* reason = validation::refused_address_reason(*kind)) return std::string("resolves to ") + reason;
  return std::nullopt;
}

}  // namespace leadline::api
