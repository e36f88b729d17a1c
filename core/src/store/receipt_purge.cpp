#include "store/receipt_purge.hpp"

#include <algorithm>

namespace leadline::store {
namespace {

// A receipt whose delete job has not finished waits: the job still writes into it (a receipt
// expiring within a job's run takes a retention shorter than the delete).
Result<std::optional<std::int64_t>> oldest_expired(Database& db, std::int64_t now) {
  auto stmt = db.prepare(
      "SELECT r.id FROM receipts r WHERE r.expires_at <= ? AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.status IN "
      "('queued', 'running') AND json_extract(j.plan, '$.receiptId') = r.id) ORDER BY r.expires_at, r.id LIMIT 1");
  if (!stmt) return stmt.take_error();
  std::optional<std::int64_t> id;
  if (stmt->bind(1, now).step()) id = stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return id;
}

Result<std::int64_t> run_counted(Database& db, const std::string& sql, std::int64_t receipt_id, std::int64_t budget) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, receipt_id).bind(2, budget).run(); !status) return status.take_error();
  return db.changes();
}

}  // namespace

Result<PurgeSlice> purge_expired_slice(Database& db, std::int64_t now, std::int64_t budget, std::int64_t chunk,
                                       const std::function<bool()>& out_of_time) {
  PurgeSlice slice;
  auto receipt = oldest_expired(db, now);
  if (!receipt) return receipt.take_error();
  if (!*receipt) return slice;
  // Lead rows go with their tags and marks (ON DELETE CASCADE); memberships, scheduled emails
  // and messages were settled when the delete ran. Each statement takes one chunk.
  const char* const steps[] = {
      "DELETE FROM leads WHERE id IN (SELECT lead_id FROM deleted_leads WHERE receipt_id = ? ORDER BY lead_id LIMIT ?)",
      "DELETE FROM receipt_rows WHERE rowid IN (SELECT rowid FROM receipt_rows WHERE receipt_id = ? LIMIT ?)",
  };
  std::int64_t* const counts[] = {&slice.leads, &slice.receipt_rows};
  std::int64_t erased = 0;
  for (int step = 0; step < 2; ++step) {
    for (;;) {
      auto removed = run_counted(db, steps[step], **receipt, std::min(chunk, budget - erased));
      if (!removed) return removed.take_error();
      *counts[step] += *removed;
      erased += *removed;
      if (*removed == 0) break;  // this kind is done: the next one
      if (erased >= budget || out_of_time()) {
        slice.more = true;
        return slice;
      }
    }
  }
  auto remove = db.prepare("DELETE FROM receipts WHERE id = ?");
  if (!remove) return remove.take_error();
  if (auto status = remove->bind(1, **receipt).run(); !status) return status.take_error();
  slice.receipts = db.changes();
  auto next = oldest_expired(db, now);
  if (!next) return next.take_error();
  slice.more = next->has_value();
  return slice;
}

Result<PurgeBacklog> purge_backlog(Database& db, std::int64_t now) {
  auto stmt = db.prepare(
      "SELECT (SELECT count(*) FROM receipts), (SELECT count(*) FROM receipts WHERE expires_at <= ?1), "
      "(SELECT count(*) FROM deleted_leads), (SELECT count(*) FROM deleted_leads d JOIN receipts r ON r.id = "
      "d.receipt_id WHERE r.expires_at <= ?1), (SELECT count(*) FROM receipt_rows)");
  if (!stmt) return stmt.take_error();
  PurgeBacklog backlog;
  if (stmt->bind(1, now).step()) {
    backlog.receipts = stmt->int64(0);
    backlog.expired_receipts = stmt->int64(1);
    backlog.marked_leads = stmt->int64(2);
    backlog.expired_marked_leads = stmt->int64(3);
    backlog.copied_rows = stmt->int64(4);
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  return backlog;
}

Result<std::optional<std::int64_t>> next_purge_due(Database& db) {
  auto stmt = db.prepare("SELECT min(expires_at) FROM receipts");
  if (!stmt) return stmt.take_error();
  std::optional<std::int64_t> due;
  if (stmt->step() && !stmt->is_null(0)) due = stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return due;
}

}  // namespace leadline::store
