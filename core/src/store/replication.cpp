#include "store/replication.hpp"

#include "store/change_capture.hpp"

#include <string>

namespace leadline::store {

Result<ReplicationPosition> read_position(Database& db) {
  auto select = db.prepare("SELECT sequence, epoch FROM replication_position WHERE singleton = 1");
  if (!select) return select.take_error();
  if (!select->step()) {
    if (auto failed = select->status(); !failed) return failed.take_error();
    return Error{ErrorCode::Internal, "the database has no replication position row"};
  }
  return ReplicationPosition{select->int64(0), select->int64(1)};
}

Status write_position(Database& db, const ReplicationPosition& position) {
  auto update = db.prepare("UPDATE replication_position SET sequence = ?, epoch = ? WHERE singleton = 1");
  if (!update) return update.take_error();
  return update->bind(1, position.sequence).bind(2, position.epoch).run();
}

namespace {

Error diverged(const std::string& why) { return Error{ErrorCode::Diverged, "the copy cannot follow the log: " + why}; }

}  // namespace

Result<ApplyOutcome> apply_entry(Database& db, const LogEntry& entry) {
  auto current = read_position(db);
  if (!current) return current.take_error();
  if (entry.position.sequence <= current->sequence) return ApplyOutcome::AlreadyApplied;
  if (entry.previous != current->sequence) {
    return diverged("entry " + std::to_string(entry.position.sequence) + " follows " + std::to_string(entry.previous) +
                    ", the copy is at " + std::to_string(current->sequence));
  }
  if (entry.position.epoch < current->epoch) {
    return diverged("entry " + std::to_string(entry.position.sequence) + " is of epoch " +
                    std::to_string(entry.position.epoch) + ", older than the copy's " + std::to_string(current->epoch));
  }
  auto applied = without_foreign_keys(db, [&]() -> Status {
    auto transaction = Transaction::begin(db);
    if (!transaction) return transaction.take_error();
    if (!entry.changeset.empty()) {
      if (auto changed = apply_changes(db, entry.changeset); !changed) return changed.take_error();
    }
    if (auto moved = write_position(db, entry.position); !moved) return moved.take_error();
    return transaction->commit();
  });
  if (!applied) return applied.take_error();
  return ApplyOutcome::Applied;
}

}  // namespace leadline::store
