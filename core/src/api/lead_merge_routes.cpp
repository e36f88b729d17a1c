#include "api/lead_merge_routes.hpp"

#include "domain/vocabulary.hpp"

#include "api/lead_deletion_unit.hpp"
#include "api/lead_routes.hpp"
#include "api/receipts.hpp"
#include "api/webhook_outbox.hpp"
#include "batch/lead_merge_plan.hpp"
#include "batch/lead_suppression.hpp"

namespace leadline::api {
using json = nlohmann::json;

Result<Reply> merge_leads(RouteContext& context, validation::MergeLeadsRequest& decoded) {
  auto& services = context.services;
  auto primary = load_lead(context, decoded.primary_id);
  if (!primary) return primary.take_error();
  std::vector<Lead> duplicates;
  std::vector<std::int64_t> duplicate_ids;
  for (const auto& id : decoded.duplicate_ids) {
    auto duplicate = load_lead(context, id);
    if (!duplicate) return duplicate.take_error();
    duplicate_ids.push_back(duplicate->id);
    duplicates.push_back(std::move(*duplicate));
  }
  auto merged = batch::merge_leads(*primary, duplicates, decoded.fields);
  if (!merged) return merged.take_error();

  auto receipt = open_receipt(context, kLeadMergeReceiptKind);
  if (!receipt) return receipt.take_error();
  auto captured = services.merge.capture(services.receipts, receipt->id, primary->id, duplicate_ids);
  if (!captured) return captured.take_error();
  if (auto moved = services.merge.move_to_primary(primary->id, duplicate_ids); !moved) return moved.take_error();
  // Their rows moved: the deletion unit now only marks the duplicates themselves.
  if (auto selected = services.deletion.select_ids(duplicate_ids); !selected) return selected.take_error();
  auto deleted = delete_selected_leads(services, {Protection::Ignore, false, receipt->id});
  if (!deleted) return deleted.take_error();
  merged->updated_at = context.now;
  if (auto status = services.leads.update(*merged); !status) return status.take_error();
  if (merged->status != primary->status) {
    if (auto status = batch::suppress_for_status(services.suppressions, *merged, services.ids, context.now); !status)
      return status.take_error();
  }
  json summary = std::move(*captured);
  summary["leads"] = deleted->deleted;
  summary["primaryLeadId"] = primary->id;
  summary["mergedAt"] = context.now;
  auto receipt_id = close_receipt(context, *receipt, std::move(summary));
  if (!receipt_id) return receipt_id.take_error();

  const auto primary_id = format_id(kLeadIdPrefix, primary->id);
  Reply reply{200, {{"lead", lead_to_json(*merged)}, {"merged", decoded.duplicate_ids}, {"receiptId", *receipt_id}},
              "Merged " + std::to_string(duplicates.size()) + " lead(s) into " + primary_id};
  reply.affected = deleted->deleted;
  reply.events.push_back({domain::WebhookEvent::LeadDeleted, std::nullopt,
                          {{"deletedCount", deleted->deleted}, {"leadIds", event_ids(kLeadIdPrefix, duplicate_ids)},
                           {"mergedInto", primary_id}, {"receiptId", *receipt_id}}});
  reply.events.push_back({domain::WebhookEvent::LeadUpdated, std::nullopt,
                          {{"leadId", primary_id}, {"status", merged->status}, {"receiptId", *receipt_id}}});
  return reply;
}

}  // namespace leadline::api
