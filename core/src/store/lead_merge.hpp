#pragma once
// The rows a lead merge moves, and how an un-merge moves them back. The duplicates themselves are
// deleted by the deletion unit (marked with the merge's receipt); everything else that changes —
// the primary's row and tags, every membership of the leads, the duplicates' scheduled emails,
// statistics and messages — is copied into the receipt first.

#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/receipt_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace leadline::store {

class LeadMerge {
 public:
  explicit LeadMerge(Database& db) : db_(db) {}

  /// Copies into the receipt what `move_to_primary` and the primary's update change. Returns
  /// counts by kind ({leadMemberships, scheduledEmails, statistics, messages}).
  Result<nlohmann::json> capture(ReceiptStore& receipts, std::int64_t receipt_id, std::int64_t primary,
                                 const std::vector<std::int64_t>& duplicates);

  /// Gives the primary the duplicates' memberships (in a campaign several of them are in, the
  /// status that ranks highest by domain::merge_precedence, and the earliest added_at), scheduled
  /// emails, statistics and messages. Returns how many memberships the primary gained or changed.
  Result<std::int64_t> move_to_primary(std::int64_t primary, const std::vector<std::int64_t>& duplicates);

 private:
  Database& db_;
};

/// Un-merges `receipt`'s merge of `primary`: the moved rows go back to their duplicates, the
/// primary's memberships and (unless it was written since the merge) its fields and tags are as
/// before, and the duplicates' marks come off. 409 when the primary is gone or a duplicate's email
/// or externalId belongs to another lead now (nothing changes then).
Result<nlohmann::json> restore_lead_merge(ReceiptStore& receipts, const ReceiptRecord& receipt);

}  // namespace leadline::store
