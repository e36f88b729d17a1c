#include "api/receipt_routes.hpp"

#include "api/webhook_outbox.hpp"

#include "api/lead_merge_routes.hpp"
#include "api/lead_update_routes.hpp"
#include "api/receipts.hpp"
#include "leadline/time_format.hpp"
#include "store/lead_bulk_update.hpp"
#include "store/lead_merge.hpp"
#include "store/receipt_restore.hpp"
#include "validation/history_queries.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;

Result<store::ReceiptRecord> load_receipt(RouteContext& context) {
  const auto& receipt_id = context.path_params[0];
  const auto not_found = Error{ErrorCode::NotFound, "Receipt not found", {{"details", {{"receiptId", receipt_id}}}}};
  const auto id = parse_id(kReceiptIdPrefix, receipt_id);
  if (!id) return not_found;
  auto receipt = context.services.receipts.find(context.principal->workspace_id, *id);
  if (!receipt) return receipt.take_error();
  // An expired receipt is gone for clients at once, though the purge may not have reached it yet.
  if (!*receipt || (*receipt)->expires_at <= context.now) return not_found;
  return std::move(**receipt);
}

// The count `expectedCount` guards: the rows of the receipt's own kind that came back.
std::int64_t primary_count(const std::string& kind, const json& restored) {
  const std::string key = kind == "leads" || kind == kLeadEditReceiptKind || kind == kLeadMergeReceiptKind ? "leads" : kind == "campaign" ? "campaigns" : kind + "s";
  return restored.value(key, std::int64_t{0});
}

}  // namespace

Result<Reply> list_receipts(RouteContext& context, validation::PageRequest& decoded) {
  auto* page_request = &decoded;
  auto page = context.services.receipts.list(context.principal->workspace_id, page_request->limit,
                                             page_request->before_id, context.now);
  if (!page) return page.take_error();
  json receipts = json::array();
  for (const auto& receipt : page->receipts) receipts.push_back(receipt_to_json(receipt));
  json next_cursor = nullptr;
  if (page->has_more) next_cursor = validation::encode_cursor(page->receipts.back().id);
  return Reply{200, {{"receipts", std::move(receipts)}, {"nextCursor", next_cursor}, {"hasMore", page->has_more}}};
}

Result<Reply> get_receipt(RouteContext& context, NothingDecoded&) {
  auto receipt = load_receipt(context);
  if (!receipt) return receipt.take_error();
  return Reply{200, receipt_to_json(*receipt)};
}

Result<Reply> restore_receipt(RouteContext& context, NothingDecoded&) {
  auto receipt = load_receipt(context);
  if (!receipt) return receipt.take_error();
  const auto public_id = format_id(kReceiptIdPrefix, receipt->id);
  const bool edit = receipt->kind == kLeadEditReceiptKind;
  if (!receipt->restorable) {
    return Error{ErrorCode::Conflict, "Receipt " + public_id + " records a purge: nothing was kept, so nothing can be restored",
                 {{"details", {{"receiptId", public_id}}}}};
  }
  if (receipt->restored_at) {
    return Error{ErrorCode::Conflict,
                 "Receipt " + public_id + " was already restored at " + format_timestamp(*receipt->restored_at),
                 {{"details", {{"receiptId", public_id}, {"restoredAt", format_timestamp(*receipt->restored_at)}}}}};
  }
  auto running = context.services.jobs.delete_running_for_receipt(receipt->id);
  if (!running) return running.take_error();
  if (*running) {
    return Error{ErrorCode::Conflict,
                 std::string(edit ? "The edit" : "The delete") + " behind receipt " + public_id + " is still running; cancel its job or wait for it to finish",
                 {{"details", {{"receiptId", public_id}}}}};
  }
  auto report = edit                                     ? store::restore_lead_edit(context.services.receipts, *receipt, context.now)
                : receipt->kind == kLeadMergeReceiptKind ? store::restore_lead_merge(context.services.receipts, *receipt)
                                                         : store::restore_receipt(context.services.receipts, *receipt);
  if (!report) return report.take_error();
  if (auto marked = context.services.receipts.mark_restored(receipt->id, context.now, *report); !marked)
    return marked.take_error();
  Reply reply{200, *report, "Receipt restored"};
  reply.data["receiptId"] = public_id;
  reply.affected = primary_count(receipt->kind, (*report)["restored"]);
  const auto& restored = (*report)["restored"];
  if (edit && restored.value("leads", std::int64_t{0}) > 0) {
    reply.events.push_back({domain::WebhookEvent::LeadUpdated, std::nullopt,
                            {{"receiptId", public_id}, {"updatedCount", restored["leads"]}, {"restored", true}}});
  } else if (restored.is_object() && restored.value("leads", std::int64_t{0}) > 0) {
    reply.events.push_back({domain::WebhookEvent::LeadRestored, std::nullopt,
                            {{"receiptId", public_id}, {"kind", receipt->kind}, {"restoredCount", restored["leads"]},
                             {"restored", restored}}});
  }
  return reply;
}

}  // namespace leadline::api
