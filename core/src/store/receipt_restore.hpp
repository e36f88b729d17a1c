#pragma once
// Restoring a receipt into the world as it is now, which may have changed since the delete.

#include "leadline/result.hpp"
#include "store/receipt_store.hpp"

#include <nlohmann/json.hpp>

namespace leadline::store {

/// Puts back the rows `receipt` captured, parents before children, and reports what happened:
/// `{restored: {kind: n}, skipped: {kind: n}, conflicts: [...]}`.
/// - A lead whose id, email or externalId is taken now is not restored (never merged): it is
///   listed in `conflicts` with the field, the value and the lead that holds it, and its
///   memberships, tags, scheduled emails and messages stay out with it.
/// - A campaign whose id exists again is a conflict too; rows of campaigns that no longer exist
///   are skipped.
/// - A live membership, scheduled email or message of a lead that no longer exists is skipped;
///   `removed` memberships and email statistics are history and come back regardless.
/// A membership that the delete turned into `removed` gets its earlier status back.
Result<nlohmann::json> restore_receipt(ReceiptStore& receipts, const ReceiptRecord& receipt);

}  // namespace leadline::store
