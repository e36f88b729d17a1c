#include "api/lead_update_routes.hpp"

#include "domain/vocabulary.hpp"

#include "api/job_routes.hpp"
#include "api/lead_routes.hpp"
#include "api/receipts.hpp"
#include "batch/lead_suppression.hpp"
#include "validation/limits.hpp"

#include <algorithm>

namespace leadline::api {
namespace {

using json = nlohmann::json;

// Above this many matched leads an edit runs as a background job, as a large delete does.
constexpr std::int64_t kBackgroundEditThreshold = 10000;
// An edit slice rewrites a few columns of each lead and copies them into the receipt, which costs
// about what marking a lead deleted does; the same slice size keeps the same pauses.
constexpr std::int64_t kLeadsPerEditSlice = 5000;

store::LeadLimits lead_limits() {
  return {validation::kMaxTags, validation::kMaxCustomFields, validation::kMaxMetadataBytes};
}

store::LeadChanges changes_of(const validation::BulkUpdateRequest& request) {
  store::LeadChanges changes;
  const auto& set = request.set;
  if (set.status) changes.columns.emplace_back("status", *set.status);
  if (set.email_verification_status) changes.columns.emplace_back("email_verification_status", *set.email_verification_status);
  if (set.country) changes.columns.emplace_back("country", *set.country);
  if (set.company_name) changes.columns.emplace_back("company_name", *set.company_name);
  if (set.job_title) changes.columns.emplace_back("job_title", *set.job_title);
  if (set.custom_fields) changes.custom_fields_patch = *set.custom_fields ? **set.custom_fields : json(nullptr);
  if (set.metadata) changes.metadata_patch = *set.metadata ? **set.metadata : json(nullptr);
  changes.add_tags = request.add_tags;
  changes.remove_tags = request.remove_tags;
  return changes;
}

// The status the edit sets when it is one that puts the person on the suppression list.
std::optional<std::string> suppressing_status(const store::LeadChanges& changes) {
  for (const auto& [column, value] : changes.columns) {
    if (column == "status" && value && domain::protects_person(*value)) return *value;
  }
  return std::nullopt;
}

Error over_limit_error(const store::OverLimit& over) {
  const auto lead_id = format_id(kLeadIdPrefix, over.lead_id);
  const auto bound = over.field == "tags"           ? std::to_string(validation::kMaxTags) + " tags"
                     : over.field == "customFields" ? std::to_string(validation::kMaxCustomFields) + " customFields"
                                                    : std::to_string(validation::kMaxMetadataBytes) + " bytes of metadata";
  const auto field = over.field == "tags" ? std::string("addTags") : "set." + over.field;
  return Error{ErrorCode::ValidationError, "Lead " + lead_id + " would have more than " + bound + " after this edit",
               {{"field", field}, {"details", {{"leadId", lead_id}, {"field", over.field}}}}};
}

// Capture, edit and suppress, on the selection already made; returns how many leads changed.
Result<std::int64_t> edit_selection(Services& services, std::int64_t workspace_id, std::int64_t receipt_id,
                                    const store::LeadChanges& changes, std::int64_t now) {
  auto changed = services.bulk_update.edit_selected(services.receipts, receipt_id, changes, workspace_id, now);
  if (!changed) return changed.take_error();
  if (auto status = suppressing_status(changes); status && *changed > 0) {
    auto moved = services.bulk_update.moved_to_status(receipt_id, *status);
    if (!moved) return moved.take_error();
    for (const auto& lead : *moved) {
      if (auto added = batch::suppress_for_status(services.suppressions, lead, services.ids, now); !added)
        return added.take_error();
    }
  }
  return *changed;
}

Status add_to_summary(Services& services, const store::ReceiptRecord& receipt, std::int64_t changed) {
  json summary = receipt.summary.is_object() ? receipt.summary : json::object();
  summary["leads"] = summary.value("leads", std::int64_t{0}) + changed;
  return services.receipts.set_summary(receipt.id, summary);
}

Result<Reply> queue_edit_job(RouteContext& context, const store::LeadChanges& changes, std::int64_t matched) {
  auto ids = context.services.deletion.selected_ids();
  if (!ids) return ids.take_error();
  auto receipt = open_receipt(context, kLeadEditReceiptKind);
  if (!receipt) return receipt.take_error();
  auto receipt_id = close_receipt(context, *receipt, {{"leads", 0}, {"changes", changes.to_json()}});
  if (!receipt_id) return receipt_id.take_error();
  auto job = new_job(context, domain::to_string(domain::JobKind::LeadUpdate), matched,
                     {{"updated", 0}, {"skippedOverLimit", 0}});
  job.plan = {{"changes", changes.to_json()}, {"receiptId", receipt->id}};
  if (auto status = context.services.jobs.insert(job, id_list_payload(*ids)); !status) return status.take_error();
  auto reply = queued_job_reply(context, job, {{"receiptId", *receipt_id}, {"matchedCount", matched}},
                                "Edit queued: " + std::to_string(matched) + " leads will be edited in the background");
  reply.affected = matched;
  return reply;
}

}  // namespace

Result<Reply> update_leads(RouteContext& context, validation::BulkUpdateRequest& decoded) {
  auto& request = decoded;
  const auto workspace_id = context.principal->workspace_id;
  auto& services = context.services;
  // expectedCount (checked by the engine against `affected`) guards the matched leads: the count
  // a client saw in its list or preview, whether or not each of them needed changing.
  validation::LeadFilters filters = request.filters;
  if (request.by_ids) filters.lead_ids = request.lead_ids;
  auto matched = services.deletion.select(store::lead_filter_condition(workspace_id, filters), request.exclude_ids);
  if (!matched) return matched.take_error();
  const auto changes = changes_of(request);
  auto over = services.bulk_update.first_over_limit(changes, lead_limits());
  if (!over) return over.take_error();
  if (*over) return over_limit_error(**over);
  // A dry run previews a large edit inline (rolled back), with the counts the job would reach.
  if (*matched > kBackgroundEditThreshold && !context.controls.dry_run) return queue_edit_job(context, changes, *matched);

  json not_found = json::array();
  if (request.by_ids) {
    auto found = services.deletion.selected_ids();
    if (!found) return found.take_error();
    for (const auto& text : request.requested_ids) {
      const auto id = parse_id(kLeadIdPrefix, text);
      if (!id || !std::binary_search(found->begin(), found->end(), *id)) not_found.push_back(text);
    }
  }
  Reply reply{200, json::object()};
  std::vector<Lead> before;
  if (context.controls.dry_run) {
    auto sample = services.deletion.sample_selected(kPreviewSampleSize);
    if (!sample) return sample.take_error();
    before = std::move(*sample);
  }
  auto receipt = open_receipt(context, kLeadEditReceiptKind);
  if (!receipt) return receipt.take_error();
  auto changed = edit_selection(services, workspace_id, receipt->id, changes, context.now);
  if (!changed) return changed.take_error();
  auto receipt_id = close_receipt(context, *receipt, {{"leads", *changed}, {"changes", changes.to_json()}});
  if (!receipt_id) return receipt_id.take_error();
  if (context.controls.dry_run) {
    json sample = json::array();
    for (const auto& lead : before) {
      auto after = services.leads.find(workspace_id, lead.id);
      if (!after) return after.take_error();
      sample.push_back({{"before", lead_to_json(lead)}, {"after", *after ? lead_to_json(**after) : json(nullptr)}});
    }
    reply.preview["sample"] = std::move(sample);
  }
  reply.data = {{"updatedCount", *changed}, {"matchedCount", *matched}, {"receiptId", *receipt_id}};
  if (request.by_ids) reply.data["notFoundIds"] = std::move(not_found);
  reply.affected = *matched;
  if (*changed > 0) {
    reply.events.push_back({domain::WebhookEvent::LeadUpdated, std::nullopt,
                            {{"updatedCount", *changed}, {"matchedCount", *matched}, {"receiptId", *receipt_id}}});
  }
  return reply;
}

Status run_update_slice(Services& services, store::JobRecord& job, const std::string& payload, std::int64_t now) {
  auto position = static_cast<std::size_t>(job.cursor);
  const auto ids = next_payload_ids(payload, position, kLeadsPerEditSlice);
  if (auto selected = services.deletion.select_ids(ids); !selected) return selected.take_error();
  auto changes = store::LeadChanges::from_json(job.plan.value("changes", json::object()));
  if (!changes) return changes.take_error();
  const auto receipt_id = job.plan.value("receiptId", std::int64_t{0});
  auto receipt = services.receipts.find(job.workspace_id, receipt_id);
  if (!receipt) return receipt.take_error();
  if (!*receipt) return Error{ErrorCode::Internal, "background edit: its receipt is gone"};
  // A lead edited since the job was made may now be over a bound: it is left as it is and counted.
  auto dropped = services.bulk_update.drop_over_limit(*changes, lead_limits());
  if (!dropped) return dropped.take_error();
  auto changed = edit_selection(services, job.workspace_id, receipt_id, *changes, now);
  if (!changed) return changed.take_error();
  if (auto status = add_to_summary(services, **receipt, *changed); !status) return status;
  job.result["updated"] = job.result.value("updated", std::int64_t{0}) + *changed;
  job.result["skippedOverLimit"] = job.result.value("skippedOverLimit", std::int64_t{0}) + *dropped;
  job.cursor = static_cast<std::int64_t>(position);
  job.processed += static_cast<std::int64_t>(ids.size());
  if (job.cursor >= static_cast<std::int64_t>(payload.size())) job.status = domain::to_string(domain::JobStatus::Succeeded);
  return Ok{};
}

}  // namespace leadline::api
