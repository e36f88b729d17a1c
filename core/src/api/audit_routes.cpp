#include "api/audit_routes.hpp"

#include "leadline/time_format.hpp"
#include "validation/history_queries.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;

json entry_json(const store::AuditEntry& entry) {
  return {{"id", format_id(kAuditIdPrefix, entry.id)},
          {"at", format_timestamp(entry.at)},
          {"keyPrefix", entry.key_prefix},
          {"method", entry.method},
          {"path", entry.path},
          {"route", entry.route},
          {"request", entry.request},
          {"status", entry.status},
          {"counts", entry.counts},
          {"receiptId", entry.receipt_id ? json(format_id(kReceiptIdPrefix, *entry.receipt_id)) : json(nullptr)}};
}

}  // namespace

Result<Reply> list_audit(RouteContext& context, domain::AuditQuery& decoded) {
  auto* query = &decoded;
  auto page = context.services.audit.list(context.principal->workspace_id, *query);
  if (!page) return page.take_error();
  json entries = json::array();
  for (const auto& entry : page->entries) entries.push_back(entry_json(entry));
  json next_cursor = nullptr;
  if (page->has_more) next_cursor = validation::encode_cursor(page->entries.back().id);
  return Reply{200, {{"entries", std::move(entries)}, {"nextCursor", next_cursor}, {"hasMore", page->has_more}}};
}

}  // namespace leadline::api
