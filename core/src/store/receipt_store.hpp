#pragma once
// Undo receipts: before a delete runs, the rows it will remove or change are copied into the
// receipt as JSON objects (one per row, keyed by column name), so `restore` can put them back
// exactly. Column lists come from the schema itself, so a later migration cannot make a
// receipt silently drop a column.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace leadline::store {

/// One receipt's header (its captured rows live in receipt_rows).
struct ReceiptRecord {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string kind;       ///< "leads", "campaign", "sequence", "webhook", "lead_update" or "lead_merge": what a restore puts back
  std::string endpoint;   ///< e.g. "DELETE /leads"
  nlohmann::json summary = nlohmann::json::object();  ///< counts of what was deleted
  bool restorable = true;  ///< false for a purge: nothing was kept
  std::string key_prefix;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> restored_at;
  std::optional<nlohmann::json> restore_report;
};

struct ReceiptPage {
  std::vector<ReceiptRecord> receipts;
  bool has_more = false;
};

class ReceiptStore {
 public:
  explicit ReceiptStore(Database& db) : db_(db) {}

  Status insert(const ReceiptRecord& receipt);
  Status set_summary(std::int64_t receipt_id, const nlohmann::json& summary);

  /// Copies every row of `table` that `where` selects (SQL over the table's own columns, its
  /// `?` placeholders bound in order from `params`) into the receipt. Returns how many.
  Result<std::int64_t> capture(std::int64_t receipt_id, const std::string& table, const std::string& where,
                               const std::vector<std::int64_t>& params = {});

  /// How many rows of `table` the receipt holds.
  Result<std::int64_t> captured_count(std::int64_t receipt_id, const std::string& table);

  /// The receipt if it exists in `workspace_id`, expired or not (the purge removes it some time
  /// after `expires_at`; clients treat an expired receipt as gone).
  Result<std::optional<ReceiptRecord>> find(std::int64_t workspace_id, std::int64_t receipt_id);
  /// Newest first, `limit` per page, after `before_id` when given; receipts that expired by `now` are left out.
  Result<ReceiptPage> list(std::int64_t workspace_id, int limit, std::optional<std::int64_t> before_id, std::int64_t now);

  Status mark_restored(std::int64_t receipt_id, std::int64_t now, const nlohmann::json& report);

  /// The table's columns in schema order.
  Result<std::vector<std::string>> columns(const std::string& table);

  Database& database() { return db_; }

 private:
  Database& db_;
  std::map<std::string, std::vector<std::string>> columns_;
};

/// `json_extract(<row>, '$.<column>')`: a captured row's value of `column`.
std::string captured_value(const std::string& row_expression, const std::string& column);

}  // namespace leadline::store
