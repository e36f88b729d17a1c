#include "store/audit_store.hpp"

#include "store/page_rows.hpp"

namespace leadline::store {

using json = nlohmann::json;

Status AuditStore::append(const AuditEntry& entry) {
  auto stmt = db_.prepare(
      "INSERT INTO audit_log (id, workspace_id, at, key_prefix, method, path, route, request, status, counts, "
      "receipt_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, entry.id)
      .bind(2, entry.workspace_id)
      .bind(3, entry.at)
      .bind(4, entry.key_prefix)
      .bind(5, entry.method)
      .bind(6, entry.path)
      .bind(7, entry.route)
      .bind(8, entry.request.dump(-1, ' ', false, json::error_handler_t::replace))
      .bind(9, entry.status)
      .bind(10, entry.counts.dump());
  if (entry.receipt_id) stmt->bind(11, *entry.receipt_id);
  else stmt->bind_null(11);
  return stmt->run();
}

Result<AuditPage> AuditStore::list(std::int64_t workspace_id, const AuditQuery& query) {
  // Absent conditions bind NULL and match everything, so one statement text serves all.
  auto stmt = db_.prepare(
      "SELECT id, workspace_id, at, key_prefix, method, path, route, request, status, counts, receipt_id "
      "FROM audit_log WHERE workspace_id = ? AND id < ? AND (?3 IS NULL OR method = ?3) AND (?4 IS NULL OR route = ?4) "
      "AND (?5 IS NULL OR receipt_id = ?5) AND (?6 IS NULL OR at >= ?6) AND (?7 IS NULL OR at < ?7) "
      "ORDER BY id DESC LIMIT ?8");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, query.before_id.value_or(INT64_MAX));
  stmt->bind(3, query.method).bind(4, query.route);
  const auto bind_number = [&](int index, const std::optional<std::int64_t>& value) {
    if (value) stmt->bind(index, *value);
    else stmt->bind_null(index);
  };
  bind_number(5, query.receipt_id);
  bind_number(6, query.since);
  bind_number(7, query.until);
  stmt->bind(8, rows_to_fetch(query.limit));
  AuditPage page;
  while (stmt->step()) {
    AuditEntry entry;
    entry.id = stmt->int64(0);
    entry.workspace_id = stmt->int64(1);
    entry.at = stmt->int64(2);
    entry.key_prefix = stmt->text(3);
    entry.method = stmt->text(4);
    entry.path = stmt->text(5);
    entry.route = stmt->text(6);
    entry.request = json::parse(stmt->text(7), nullptr, false);
    entry.status = static_cast<int>(stmt->int64(8));
    entry.counts = json::parse(stmt->text(9), nullptr, false);
    if (!stmt->is_null(10)) entry.receipt_id = stmt->int64(10);
    page.entries.push_back(std::move(entry));
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  page.has_more = trim_to_page(page.entries, query.limit);
  return page;
}

}  // namespace leadline::store
