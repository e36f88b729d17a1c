#include "api/webhook_outbox.hpp"

#include "leadline/ids.hpp"
#include "leadline/time_format.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;

store::WebhookEventRecord record_of(Services& services, std::int64_t workspace_id, const PendingEvent& event,
                                    std::int64_t now) {
  store::WebhookEventRecord record;
  record.id = services.ids.next(now);
  record.workspace_id = workspace_id;
  record.type = std::string(domain::name_of(domain::kWebhookEvents, event.type));
  record.campaign_id = event.campaign_id;
  record.body = json{{"type", record.type}, {"timestamp", format_timestamp(now)}, {"data", event.data}}.dump();
  record.created_at = now;
  return record;
}

}  // namespace

Result<std::int64_t> write_events(Services& services, std::int64_t workspace_id, const std::vector<PendingEvent>& events,
                                  std::int64_t now) {
  if (events.empty()) return std::int64_t{0};
  auto receivers = services.webhooks.has_receivers(workspace_id);
  if (!receivers) return receivers.take_error();
  if (!*receivers) return std::int64_t{0};
  std::int64_t queued = 0;
  for (const auto& event : events) {
    std::optional<std::string> campaign_event;
    if (auto mapped = domain::campaign_event_for(event.type))
      campaign_event = std::string(domain::name_of(domain::kCampaignEvents, *mapped));
    auto added = services.webhooks.enqueue(record_of(services, workspace_id, event, now), campaign_event);
    if (!added) return added.take_error();
    queued += *added;
  }
  return queued;
}

Result<std::int64_t> write_event_for(Services& services, std::int64_t workspace_id, const PendingEvent& event,
                                     std::int64_t endpoint_id, std::int64_t now) {
  auto record = record_of(services, workspace_id, event, now);
  auto added = services.webhooks.enqueue(record, std::nullopt, endpoint_id);
  if (!added) return added.take_error();
  return record.id;
}

json event_ids(std::string_view prefix, const std::vector<std::int64_t>& ids) {
  json list = json::array();
  for (std::size_t i = 0; i < ids.size() && i < kMaxEventIds; ++i) list.push_back(format_id(prefix, ids[i]));
  return list;
}

}  // namespace leadline::api
