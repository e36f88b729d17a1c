#include "api/lead_delete_routes.hpp"

#include "domain/vocabulary.hpp"

#include "api/campaign_routes.hpp"
#include "api/job_routes.hpp"
#include "api/lead_deletion_unit.hpp"
#include "api/lead_routes.hpp"
#include "api/receipts.hpp"
#include "api/webhook_outbox.hpp"
#include "guards/active_campaign_guard.hpp"
#include "leadline/time_format.hpp"
#include "validation/lead_delete_input.hpp"

#include <algorithm>

namespace leadline::api {
namespace {

using json = nlohmann::json;

// The deletion unit on the selection already made, into a receipt of its own. A dry run (which
// runs all of this and is then rolled back) also shows the protected leads and a sample.
Result<std::int64_t> delete_selection(RouteContext& context, bool force, Reply& reply) {
  auto receipt = open_receipt(context, "leads");
  if (!receipt) return receipt.take_error();
  DeletionRules rules{Protection::Refuse, force};
  if (receipt->restorable) rules.capture_into = receipt->id;
  if (context.controls.dry_run) rules.preview = &reply;
  auto done = delete_selected_leads(context.services, rules);
  if (!done) return done.take_error();
  json summary = std::move(done->captured);
  summary["leads"] = done->deleted;
  auto receipt_id = close_receipt(context, *receipt, std::move(summary));
  if (!receipt_id) return receipt_id.take_error();
  reply.data["receiptId"] = *receipt_id;
  if (done->deleted > 0) {
    reply.events.push_back(
        {domain::WebhookEvent::LeadDeleted, std::nullopt, {{"deletedCount", done->deleted}, {"receiptId", *receipt_id}}});
  }
  return done->deleted;
}

// Above this many leads a filter delete runs as a background job, a slice at a time, so other
// requests are served meanwhile; below it, one transaction finishes well within a request.
constexpr std::int64_t kBackgroundDeleteThreshold = 10000;

// The selection (already checked and counted) becomes a job: the protection check and the
// receipt are settled now, the deleting happens in slices (job_routes.cpp).
Result<Reply> queue_delete_job(RouteContext& context, bool force, std::int64_t count) {
  auto& deletion = context.services.deletion;
  auto impact = deletion.active_campaign_impact();
  if (!impact) return impact.take_error();
  if (auto allowed = guards::check_active_campaigns(*impact, force); !allowed) return allowed.take_error();
  auto ids = deletion.selected_ids();
  if (!ids) return ids.take_error();
  const auto payload = id_list_payload(*ids);
  auto receipt = open_receipt(context, "leads");
  if (!receipt) return receipt.take_error();
  auto receipt_id = close_receipt(context, *receipt, {{"leads", 0}});
  if (!receipt_id) return receipt_id.take_error();
  auto job = new_job(context, domain::to_string(domain::JobKind::LeadDelete), count, {{"deleted", 0}, {"skippedProtected", 0}});
  job.plan = {{"force", force}, {"receiptId", receipt->id}};
  if (auto status = context.services.jobs.insert(job, payload); !status) return status.take_error();
  auto reply = queued_job_reply(context, job, {{"receiptId", *receipt_id}, {"matchedCount", count}},
                                "Delete queued: " + std::to_string(count) + " leads will be deleted in the background");
  reply.affected = count;
  return reply;
}

}  // namespace

Result<Reply> delete_lead(RouteContext& context, bool& decoded) {
  auto* force = &decoded;
  const auto& lead_id = context.path_params[0];
  const auto id = parse_id(kLeadIdPrefix, lead_id);
  if (!id) return lead_not_found(lead_id);
  auto lead = context.services.leads.find(context.principal->workspace_id, *id);
  if (!lead) return lead.take_error();
  if (!*lead) return lead_not_found(lead_id);
  if (auto selected = context.services.deletion.select_ids({*id}); !selected) return selected.take_error();
  Reply reply{200, {{"id", lead_id}, {"deletedAt", format_timestamp(context.now)}}, "Lead deleted successfully"};
  auto deleted = delete_selection(context, *force, reply);
  if (!deleted) return deleted.take_error();
  for (auto& event : reply.events) event.data["leadIds"] = json::array({lead_id});
  reply.affected = *deleted;
  return reply;
}

Result<Reply> delete_leads(RouteContext& context, validation::DeleteLeadsRequest& decoded) {
  auto* request = &decoded;
  auto& deletion = context.services.deletion;
  validation::LeadFilters filters = request->filters;
  if (!request->delete_all) filters.lead_ids = request->lead_ids;
  // The selection is always workspace-scoped by the filter condition: another workspace's
  // ids simply do not match.
  auto selected = deletion.select(store::lead_filter_condition(context.principal->workspace_id, filters),
                                  request->exclude_ids);
  if (!selected) return selected.take_error();
  // A dry run previews a large delete inline (rolled back), with the same counts as the job.
  if (request->delete_all && *selected > kBackgroundDeleteThreshold && !context.controls.dry_run) {
    return queue_delete_job(context, request->force, *selected);
  }

  json not_found = json::array();
  if (!request->delete_all) {
    auto found = deletion.selected_ids();
    if (!found) return found.take_error();
    for (const auto& text : request->requested_ids) {
      const auto id = parse_id(kLeadIdPrefix, text);
      if (!id || !std::binary_search(found->begin(), found->end(), *id)) not_found.push_back(text);
    }
  }
  Reply reply{200, json::object()};
  auto deleted = delete_selection(context, request->force, reply);
  if (!deleted) return deleted.take_error();
  reply.data["deletedCount"] = *deleted;
  if (!request->delete_all) reply.data["notFoundIds"] = std::move(not_found);
  reply.affected = *deleted;
  return reply;
}

Result<Reply> bulk_delete_by_identifier(RouteContext& context, validation::BulkDeleteRequest& decoded) {
  auto* request = &decoded;
  auto campaign = load_campaign(context, request->campaign_id);
  if (!campaign) return campaign.take_error();
  auto& deletion = context.services.deletion;
  const auto workspace_id = context.principal->workspace_id;
  const bool active = campaign->status == "active";

  // First resolve every identifier, so the receipt can capture the memberships before any
  // of them changes.
  json deleted_identifiers = json::array();
  json not_found_identifiers = json::array();
  std::vector<std::int64_t> matched;
  for (const auto& entry : request->entries) {
    // externalId takes priority: when given, the phone number is not consulted at all.
    Result<std::vector<std::int64_t>> matches = std::vector<std::int64_t>{};
    if (entry.external_id) matches = deletion.members_by_external_id(workspace_id, campaign->id, *entry.external_id);
    else if (entry.phone_number) matches = deletion.members_by_phone(workspace_id, campaign->id, *entry.phone_number);
    if (!matches) return matches.take_error();
    // A lead named twice (by two identifiers) is handled once.
    std::erase_if(*matches, [&](std::int64_t id) { return std::find(matched.begin(), matched.end(), id) != matched.end(); });
    if (matches->empty()) {
      not_found_identifiers.push_back(entry.identifier);
      continue;
    }
    matched.insert(matched.end(), matches->begin(), matches->end());
    deleted_identifiers.push_back(entry.identifier);
  }

  Reply reply{200, json::object()};
  auto receipt = open_receipt(context, "leads");
  if (!receipt) return receipt.take_error();
  json summary = json::object();
  std::int64_t selected = 0;
  if (!matched.empty()) {
    auto made = deletion.select_ids(matched);
    if (!made) return made.take_error();
    selected = *made;
  }
  if (receipt->restorable && !matched.empty()) {
    auto memberships = deletion.capture_selected_memberships(context.services.receipts, receipt->id, campaign->id);
    if (!memberships) return memberships.take_error();
    summary["leadMemberships"] = *memberships;
  }
  if (context.controls.dry_run && !matched.empty()) {
    auto sample = deletion.sample_selected(kPreviewSampleSize);
    if (!sample) return sample.take_error();
    reply.preview["sample"] = leads_to_json(*sample);
  }

  // Out of this campaign; those in no other campaign now are deleted together below. They
  // already left the campaign (their memberships are in the receipt): nothing to protect.
  std::int64_t leads_kept = 0;
  std::int64_t leads_deleted = 0;
  if (selected > 0) {
    auto kept = deletion.leave_campaign(campaign->id, active);
    if (!kept) return kept.take_error();
    leads_kept = *kept;
  }
  if (selected > leads_kept) {
    DeletionRules rules{Protection::Ignore};
    if (receipt->restorable) rules.capture_into = receipt->id;
    auto done = delete_selected_leads(context.services, rules);
    if (!done) return done.take_error();
    if (receipt->restorable) {
      summary["scheduledEmails"] = done->captured["scheduledEmails"];
      summary["messages"] = done->captured["messages"];
    }
    leads_deleted = done->deleted;
  }
  summary["leads"] = leads_deleted;
  summary["leftCampaign"] = matched.size();
  auto receipt_id = close_receipt(context, *receipt, std::move(summary));
  if (!receipt_id) return receipt_id.take_error();

  reply.affected = static_cast<std::int64_t>(deleted_identifiers.size());
  reply.data = {{"deleted", deleted_identifiers.size()},
                {"notFound", not_found_identifiers.size()},
                {"deletedIdentifiers", std::move(deleted_identifiers)},
                {"notFoundIdentifiers", std::move(not_found_identifiers)},
                {"keptInOtherCampaigns", leads_kept},
                {"receiptId", *receipt_id}};
  const auto campaign_id = format_id(kCampaignIdPrefix, campaign->id);
  if (!matched.empty()) {
    reply.events.push_back({domain::WebhookEvent::CampaignLeadsRemoved, campaign->id,
                            {{"campaignId", campaign_id},
                             {"removedCount", matched.size()},
                             {"deletedCount", leads_deleted},
                             {"receiptId", *receipt_id},
                             {"leadIds", event_ids(kLeadIdPrefix, matched)}}});
  }
  if (leads_deleted > 0) {
    reply.events.push_back({domain::WebhookEvent::LeadDeleted, std::nullopt,
                            {{"deletedCount", leads_deleted}, {"receiptId", *receipt_id}}});
  }
  return reply;
}

}  // namespace leadline::api
