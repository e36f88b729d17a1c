#pragma once
// A database as one copy of a replicated log's subject: where in the log the copy is, and how a
// follower applies the owner's next entry. The log itself (NATS JetStream in the cluster) is the
// host's; what an entry means and whether it fits is decided here.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <string_view>

namespace leadline::store {

/// The last log entry a copy reflects: its sequence in the log (0: none yet) and the epoch of
/// the owner that wrote it (a fencing token: it only grows).
struct ReplicationPosition {
  std::int64_t sequence = 0;
  std::int64_t epoch = 0;
  bool operator==(const ReplicationPosition&) const = default;
};

/// The copy's position (inside or outside a transaction).
Result<ReplicationPosition> read_position(Database& db);

/// Records `position`; call it inside the transaction that made the entry's changes.
Status write_position(Database& db, const ReplicationPosition& position);

/// What applying an entry did.
enum class ApplyOutcome {
  Applied,         ///< the entry's changes are in, and the position is the entry's
  AlreadyApplied,  ///< the copy already reflects the entry (a redelivery): nothing changed
};

/// One log entry for a copy: the changes an owner committed (a changeset; empty for an entry
/// that only moves the position on, such as a new owner's fence), the sequence of the entry it
/// follows on its subject, and its own sequence and epoch.
struct LogEntry {
  std::string_view changeset;
  std::int64_t previous = 0;
  ReplicationPosition position;
};

/// Applies `entry` in one transaction with the position it leads to. Errors with
/// ErrorCode::Diverged, changing nothing, when the copy cannot follow: the entry does not follow
/// the copy's position (an entry was missed), its epoch is older than the copy's, or a row is
/// not as the changeset says it was. A copy that diverged is rebuilt, never repaired.
Result<ApplyOutcome> apply_entry(Database& db, const LogEntry& entry);

}  // namespace leadline::store
