#pragma once
// The background purge: what a receipt keeps for its undo — the leads it marked and the rows it
// copied — is erased some time after the receipt expires, a bounded slice at a time, so no
// request waits behind the removal of a large delete.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <functional>
#include <optional>

namespace leadline::store {

/// What one purge slice erased.
struct PurgeSlice {
  std::int64_t leads = 0;         ///< marked leads erased (with their tags and marks)
  std::int64_t receipt_rows = 0;  ///< copied rows dropped
  std::int64_t receipts = 0;      ///< receipts removed once nothing of theirs was left
  bool more = false;              ///< receipts that expired by `now` still hold something
};

/// Erases at most `budget` rows of what the oldest receipt that expired by `now` keeps: its marked
/// leads first, then its copied rows, then the receipt itself. Works in chunks of `chunk` rows and
/// stops early, between chunks, once `out_of_time()` says so (the caller's time budget; a lead's
/// erasure costs from ~20 µs with its pages cached to far more when they must be read first).
/// Runs inside the caller's transaction.
Result<PurgeSlice> purge_expired_slice(Database& db, std::int64_t now, std::int64_t budget, std::int64_t chunk,
                                       const std::function<bool()>& out_of_time);

/// What the purge has before it: everything receipts keep, and how much of it has expired.
struct PurgeBacklog {
  std::int64_t receipts = 0;             ///< receipts held
  std::int64_t expired_receipts = 0;     ///< of those, expired by `now` and not yet purged
  std::int64_t marked_leads = 0;         ///< leads hidden by a delete, restorable or awaiting the purge
  std::int64_t expired_marked_leads = 0; ///< of those, awaiting the purge
  std::int64_t copied_rows = 0;          ///< rows receipts copied (memberships, campaigns and what they own)
};

/// The backlog as of `now`.
Result<PurgeBacklog> purge_backlog(Database& db, std::int64_t now);

/// The earliest expiry among the receipts the database still holds (when a purge is next due).
Result<std::optional<std::int64_t>> next_purge_due(Database& db);

}  // namespace leadline::store
