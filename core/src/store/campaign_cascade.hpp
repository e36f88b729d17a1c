#pragma once
// A campaign's delete: capturing the campaign and every row it owns into a receipt, then
// removing them together.

#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/campaign_owned_store.hpp"
#include "store/receipt_store.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadline::store {

class CampaignCascade {
 public:
  explicit CampaignCascade(Database& db) : db_(db) {}

  /// Copies the campaign and every row it owns into a receipt (before `delete_cascade`).
  Status capture_cascade(ReceiptStore& receipts, std::int64_t receipt_id, std::int64_t campaign_id);
  /// Deletes the campaign and every row it owns; returns what was removed.
  Result<OwnedCounts> delete_cascade(std::int64_t campaign_id);

 private:
  Database& db_;
};

}  // namespace leadline::store
