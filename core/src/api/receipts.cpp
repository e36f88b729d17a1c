#include "api/receipts.hpp"

#include "leadline/time_format.hpp"

namespace leadline::api {

using json = nlohmann::json;

std::string key_prefix_of(const guards::Principal& principal) {
  const auto& display = principal.key_display;
  return display.substr(0, display.find("…"));
}

Result<store::ReceiptRecord> open_receipt(RouteContext& context, std::string kind) {
  store::ReceiptRecord receipt;
  receipt.id = context.services.ids.next(context.now);
  receipt.workspace_id = context.principal->workspace_id;
  receipt.kind = std::move(kind);
  receipt.endpoint = context.request.method + " " + context.request.path;
  receipt.restorable = !context.controls.purge;
  receipt.key_prefix = key_prefix_of(*context.principal);
  receipt.created_at = context.now;
  receipt.expires_at = context.now + context.services.receipt_retention_ms;
  if (auto status = context.services.receipts.insert(receipt); !status) return status.take_error();
  return receipt;
}

Result<std::string> close_receipt(RouteContext& context, store::ReceiptRecord& receipt, json summary) {
  receipt.summary = std::move(summary);
  if (auto status = context.services.receipts.set_summary(receipt.id, receipt.summary); !status)
    return status.take_error();
  return format_id(kReceiptIdPrefix, receipt.id);
}

json receipt_to_json(const store::ReceiptRecord& receipt) {
  json out{{"id", format_id(kReceiptIdPrefix, receipt.id)},
           {"kind", receipt.kind},
           {"endpoint", receipt.endpoint},
           {"summary", receipt.summary},
           {"restorable", receipt.restorable && !receipt.restored_at},
           {"purged", !receipt.restorable},
           {"keyPrefix", receipt.key_prefix},
           {"createdAt", format_timestamp(receipt.created_at)},
           {"expiresAt", format_timestamp(receipt.expires_at)},
           {"restoredAt", receipt.restored_at ? json(format_timestamp(*receipt.restored_at)) : json(nullptr)}};
  if (receipt.restore_report) out["restoreReport"] = *receipt.restore_report;
  return out;
}

}  // namespace leadline::api
