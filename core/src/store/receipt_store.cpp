#include "store/receipt_store.hpp"

#include "store/page_rows.hpp"

namespace leadline::store {
namespace {

using json = nlohmann::json;

constexpr const char* kReceiptColumns =
    "id, workspace_id, kind, endpoint, summary, restorable, key_prefix, created_at, expires_at, restored_at, "
    "restore_report";

ReceiptRecord read_receipt(const Statement& row) {
  ReceiptRecord receipt;
  receipt.id = row.int64(0);
  receipt.workspace_id = row.int64(1);
  receipt.kind = row.text(2);
  receipt.endpoint = row.text(3);
  receipt.summary = json::parse(row.text(4), nullptr, false);
  receipt.restorable = row.int64(5) != 0;
  receipt.key_prefix = row.text(6);
  receipt.created_at = row.int64(7);
  receipt.expires_at = row.int64(8);
  if (!row.is_null(9)) receipt.restored_at = row.int64(9);
  if (!row.is_null(10)) receipt.restore_report = json::parse(row.text(10), nullptr, false);
  return receipt;
}

}  // namespace

std::string captured_value(const std::string& row_expression, const std::string& column) {
  return "json_extract(" + row_expression + ", '$." + column + "')";
}

Status ReceiptStore::insert(const ReceiptRecord& receipt) {
  auto stmt = db_.prepare(
      "INSERT INTO receipts (id, workspace_id, kind, endpoint, summary, restorable, key_prefix, created_at, "
      "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, receipt.id)
      .bind(2, receipt.workspace_id)
      .bind(3, receipt.kind)
      .bind(4, receipt.endpoint)
      .bind(5, receipt.summary.dump())
      .bind(6, receipt.restorable ? 1 : 0)
      .bind(7, receipt.key_prefix)
      .bind(8, receipt.created_at)
      .bind(9, receipt.expires_at)
      .run();
}

Status ReceiptStore::set_summary(std::int64_t receipt_id, const json& summary) {
  auto stmt = db_.prepare("UPDATE receipts SET summary = ? WHERE id = ?");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, summary.dump()).bind(2, receipt_id).run();
}

Result<std::vector<std::string>> ReceiptStore::columns(const std::string& table) {
  if (auto known = columns_.find(table); known != columns_.end()) return known->second;
  auto stmt = db_.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, table);
  std::vector<std::string> names;
  while (stmt->step()) names.push_back(stmt->text(0));
  if (auto status = stmt->status(); !status) return status.take_error();
  if (names.empty()) return Error{ErrorCode::Internal, "receipt: unknown table " + table};
  columns_[table] = names;
  return names;
}

Result<std::int64_t> ReceiptStore::capture(std::int64_t receipt_id, const std::string& table,
                                           const std::string& where, const std::vector<std::int64_t>& params) {
  auto names = columns(table);
  if (!names) return names.take_error();
  std::string object = "json_object(";
  for (std::size_t i = 0; i < names->size(); ++i) {
    if (i > 0) object += ", ";
    object += "'" + (*names)[i] + "', " + (*names)[i];
  }
  object += ")";
  auto stmt = db_.prepare("INSERT INTO receipt_rows (receipt_id, table_name, row) SELECT ?, ?, " + object +
                          " FROM " + table + " WHERE " + where);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, receipt_id).bind(2, table);
  int index = 3;
  for (auto param : params) stmt->bind(index++, param);
  if (auto status = stmt->run(); !status) return status.take_error();
  return db_.changes();
}

Result<std::int64_t> ReceiptStore::captured_count(std::int64_t receipt_id, const std::string& table) {
  auto stmt = db_.prepare("SELECT count(*) FROM receipt_rows WHERE receipt_id = ? AND table_name = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, receipt_id).bind(2, table);
  std::int64_t count = 0;
  if (stmt->step()) count = stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return count;
}

Result<std::optional<ReceiptRecord>> ReceiptStore::find(std::int64_t workspace_id, std::int64_t receipt_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kReceiptColumns + " FROM receipts WHERE id = ? AND workspace_id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, receipt_id).bind(2, workspace_id);
  std::optional<ReceiptRecord> receipt;
  if (stmt->step()) receipt = read_receipt(*stmt);
  if (auto status = stmt->status(); !status) return status.take_error();
  return receipt;
}

Result<ReceiptPage> ReceiptStore::list(std::int64_t workspace_id, int limit, std::optional<std::int64_t> before_id,
                                       std::int64_t now) {
  auto stmt = db_.prepare(std::string("SELECT ") + kReceiptColumns +
                          " FROM receipts WHERE workspace_id = ? AND id < ? AND expires_at > ? ORDER BY id DESC LIMIT ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, before_id.value_or(INT64_MAX)).bind(3, now).bind(4, rows_to_fetch(limit));
  ReceiptPage page;
  while (stmt->step()) page.receipts.push_back(read_receipt(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  page.has_more = trim_to_page(page.receipts, limit);
  return page;
}

Status ReceiptStore::mark_restored(std::int64_t receipt_id, std::int64_t now, const json& report) {
  auto stmt = db_.prepare("UPDATE receipts SET restored_at = ?, restore_report = ? WHERE id = ?");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, now).bind(2, report.dump()).bind(3, receipt_id).run();
}

}  // namespace leadline::store
