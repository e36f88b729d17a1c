#include "api/campaign_routes.hpp"

#include "api/webhook_outbox.hpp"

#include "domain/vocabulary.hpp"

#include "api/receipts.hpp"
#include "guards/campaign_access.hpp"
#include "guards/campaign_status.hpp"
#include "leadline/time_format.hpp"
#include "validation/campaign_input.hpp"
#include "validation/lead_delete_input.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;

json owned_counts_json(const store::OwnedCounts& counts) {
  return {{"sequences", counts.sequences},   {"leadMemberships", counts.lead_memberships},
          {"statistics", counts.statistics}, {"webhooks", counts.webhooks},
          {"scheduledEmails", counts.scheduled_emails}, {"messages", counts.messages}};
}

// The campaign with its membership counts by status (every status present, zeros included).
Result<json> campaign_json(RouteContext& context, const Campaign& campaign) {
  auto counts = context.services.memberships.membership_counts(campaign.id);
  if (!counts) return counts.take_error();
  json lead_counts = json::object();
  std::int64_t total = 0;
  for (const auto& status : domain::membership_status_names()) {
    const auto found = counts->find(status);
    const auto count = found == counts->end() ? 0 : found->second;
    lead_counts[status] = count;
    total += count;
  }
  lead_counts["total"] = total;
  auto out = campaign_to_json(campaign);
  out["leadCounts"] = std::move(lead_counts);
  return out;
}

}  // namespace

Result<Campaign> load_campaign(RouteContext& context, const std::string& campaign_id) {
  const Error not_found{ErrorCode::NotFound, "Campaign not found", {{"details", {{"campaignId", campaign_id}}}}};
  const auto id = parse_id(kCampaignIdPrefix, campaign_id);
  if (!id) return not_found;
  auto campaign = context.services.campaigns.find(context.principal->workspace_id, *id);
  if (!campaign) return campaign.take_error();
  if (!*campaign) return not_found;
  if (auto allowed = guards::require_campaign_access(*context.principal, *id); !allowed) return allowed.take_error();
  return std::move(**campaign);
}

Result<Reply> create_campaign(RouteContext& context, std::string& decoded) {
  auto* name = &decoded;
  Campaign campaign;
  campaign.id = context.services.ids.next(context.now);
  campaign.workspace_id = context.principal->workspace_id;
  campaign.name = std::move(*name);
  campaign.status = "draft";
  campaign.created_at = context.now;
  campaign.updated_at = context.now;
  if (auto status = context.services.campaigns.insert(campaign); !status) return status.take_error();
  auto out = campaign_json(context, campaign);
  if (!out) return out.take_error();
  Reply reply{201, std::move(*out)};
  reply.events.push_back({domain::WebhookEvent::CampaignCreated, campaign.id,
                          {{"campaignId", format_id(kCampaignIdPrefix, campaign.id)}, {"status", campaign.status}}});
  return reply;
}

Result<Reply> list_campaigns(RouteContext& context, validation::CampaignListQuery& decoded) {
  auto* query = &decoded;
  store::CampaignListFilter filter{query->statuses, query->include_archived, context.principal->campaign_ids};
  auto page = context.services.campaigns.list(context.principal->workspace_id, filter, query->page.limit,
                                              query->page.before_id);
  if (!page) return page.take_error();
  json campaigns = json::array();
  for (const auto& campaign : page->campaigns) {
    auto out = campaign_json(context, campaign);
    if (!out) return out.take_error();
    campaigns.push_back(std::move(*out));
  }
  json next_cursor = nullptr;
  if (page->has_more) next_cursor = validation::encode_cursor(page->campaigns.back().id);
  return Reply{200, {{"campaigns", std::move(campaigns)}, {"nextCursor", next_cursor}, {"hasMore", page->has_more}}};
}

Result<Reply> get_campaign(RouteContext& context, NothingDecoded&) {
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  auto out = campaign_json(context, *campaign);
  if (!out) return out.take_error();
  auto owned = context.services.owned.owned_counts(campaign->id);
  if (!owned) return owned.take_error();
  (*out)["owned"] = owned_counts_json(*owned);
  return Reply{200, std::move(*out)};
}

Result<Reply> update_campaign(RouteContext& context, std::string& decoded) {
  auto* name = &decoded;
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  campaign->name = std::move(*name);
  campaign->updated_at = context.now;
  if (auto status = context.services.campaigns.update(*campaign); !status) return status.take_error();
  auto out = campaign_json(context, *campaign);
  if (!out) return out.take_error();
  return Reply{200, std::move(*out)};
}

Result<Reply> change_campaign_status(RouteContext& context, std::string& decoded) {
  auto* target = &decoded;
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  if (auto allowed = guards::check_transition(*campaign, *target); !allowed) return allowed.take_error();

  const auto previous = campaign->status;
  std::int64_t memberships_updated = 0;
  if (*target != previous) {
    if (*target == "archived") campaign->status_before_archive = previous;
    else campaign->status_before_archive.reset();
    campaign->status = *target;
    campaign->updated_at = context.now;
    if (auto status = context.services.campaigns.update(*campaign); !status) return status.take_error();
    // Unarchiving returns to where the campaign was; its memberships never moved.
    if (auto change = guards::membership_change_for(*target); change && previous != "archived") {
      auto changed = context.services.memberships.change_membership_statuses(campaign->id, change->from, change->to);
      if (!changed) return changed.take_error();
      memberships_updated = *changed;
    }
  }
  auto out = campaign_json(context, *campaign);
  if (!out) return out.take_error();
  (*out)["previousStatus"] = previous;
  (*out)["membershipsUpdated"] = memberships_updated;
  Reply reply{200, std::move(*out), "Campaign status updated"};
  reply.affected = memberships_updated;
  if (campaign->status != previous) {
    reply.events.push_back({domain::WebhookEvent::CampaignStatusChanged, campaign->id,
                            {{"campaignId", format_id(kCampaignIdPrefix, campaign->id)},
                             {"previousStatus", previous},
                             {"status", campaign->status},
                             {"membershipsUpdated", memberships_updated}}});
  }
  return reply;
}

Result<Reply> delete_campaign(RouteContext& context, bool& force) {
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  if (campaign->status == "active" && !force) {
    return Error{ErrorCode::Conflict,
                 "Campaign is active. Stop it first (PATCH /campaigns/" + context.path_params[0] +
                     "/status with {\"status\": \"STOPPED\"}) or pass force=true to delete it anyway",
                 {{"details", {{"campaignId", context.path_params[0]}, {"status", campaign->status}}}}};
  }
  Reply reply{200, json::object(), "Campaign deleted successfully"};
  if (context.controls.dry_run) {
    auto sample = context.services.memberships.sample_member_leads(campaign->id, std::nullopt, kPreviewSampleSize);
    if (!sample) return sample.take_error();
    reply.preview["sample"] = leads_to_json(*sample);
  }
  auto receipt = open_receipt(context, "campaign");
  if (!receipt) return receipt.take_error();
  if (receipt->restorable) {
    if (auto captured = context.services.cascade.capture_cascade(context.services.receipts, receipt->id, campaign->id); !captured)
      return captured.take_error();
  }
  auto removed = context.services.cascade.delete_cascade(campaign->id);
  if (!removed) return removed.take_error();
  auto deleted = owned_counts_json(*removed);
  auto summary = deleted;
  summary["campaigns"] = 1;
  auto receipt_id = close_receipt(context, *receipt, std::move(summary));
  if (!receipt_id) return receipt_id.take_error();
  reply.data = {{"id", context.path_params[0]},
                {"deletedAt", format_timestamp(context.now)},
                {"deleted", std::move(deleted)},
                {"receiptId", *receipt_id}};
  // The count a caller guards is the campaign's leads: what a mistaken delete would cost.
  reply.affected = removed->lead_memberships;
  reply.events.push_back({domain::WebhookEvent::CampaignDeleted, std::nullopt,
                          {{"campaignId", context.path_params[0]}, {"receiptId", *receipt_id}, {"deleted", reply.data["deleted"]}}});
  return reply;
}

}  // namespace leadline::api
