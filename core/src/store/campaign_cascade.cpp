#include "store/campaign_cascade.hpp"

#include "store/campaign_owned_tables.hpp"

namespace leadline::store {
namespace {

// Runs a statement that changes rows for one campaign and returns how many it changed.
Result<std::int64_t> run_counted(Database& db, const std::string& sql, std::int64_t campaign_id) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, campaign_id).run(); !status) return status.take_error();
  return db.changes();
}

}  // namespace

Status CampaignCascade::capture_cascade(ReceiptStore& receipts, std::int64_t receipt_id, std::int64_t campaign_id) {
  if (auto captured = receipts.capture(receipt_id, "campaigns", "id = ?", {campaign_id}); !captured)
    return captured.take_error();
  for (const auto& owned : kOwnedTables) {
    if (auto captured = receipts.capture(receipt_id, owned.table, "campaign_id = ?", {campaign_id}); !captured)
      return captured.take_error();
  }
  return Ok{};
}

Result<OwnedCounts> CampaignCascade::delete_cascade(std::int64_t campaign_id) {
  // Explicit deletes (rather than relying on ON DELETE CASCADE alone) so the reply can say
  // how many rows of each kind went.
  OwnedCounts removed;
  for (const auto& owned : kOwnedTables) {
    auto count = run_counted(db_, std::string("DELETE FROM ") + owned.table + " WHERE campaign_id = ?", campaign_id);
    if (!count) return count.take_error();
    removed.*owned.count = *count;
  }
  if (auto count = run_counted(db_, "DELETE FROM campaigns WHERE id = ?", campaign_id); !count)
    return count.take_error();
  return removed;
}

}  // namespace leadline::store
