#pragma once
// The replication commands a cluster node's host sends its engines (Engine::replicate), decoded.
// Each names the database it is about: "catalog" or a workspace id.
//
//   {"op":"settle", "commit":bool, "sequence":n, "epoch":n}
//       Ends the held write: commits it as log entry `sequence` of owner epoch `epoch`, or rolls
//       it back. → {committed}
//   {"op":"apply", "database", "sequence", "previous", "epoch", "changeset": base64}
//       Applies another owner's log entry (store::apply_entry). → {applied, sequence}
//       REPLICA_DIVERGED when the copy cannot follow.
//   {"op":"own", "database", "epoch"}     This engine now answers for the database. → {sequence, epoch}
//   {"op":"disown", "database"}           It no longer does. → {sequence, epoch}
//   {"op":"position", "database"}         → {sequence, epoch}
//   {"op":"fingerprint", "database"}      → {sequence, epoch, fingerprint}
//   {"op":"discard", "database"}          Removes a workspace's copy (to rebuild it from the log).
//   {"op":"create-missing"}               The catalog engine creates the database of every
//                                         workspace it names that has none. → {created: [ids]}
//   {"op":"snapshot", "database", "path"} Writes a compact copy of a workspace's database to the
//       new file `path` (VACUUM INTO: no free pages, nothing deleted in it). → {sequence, epoch}
//       of the copy, the log entry it reflects.
//   {"op":"install-snapshot", "database", "path", "sequence", "previous", "epoch"}
//       Replaces a workspace's copy with the snapshot file `path` (moved, not copied), which is
//       log entry `sequence`: it stands for every entry up to `previous`. REPLICA_DIVERGED when
//       the copy is already past `previous`. → {sequence}

#include "leadline/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace leadline::api {

enum class ReplicaOp { Settle, Apply, Own, Disown, Position, Fingerprint, Discard, CreateMissing, Snapshot, InstallSnapshot };

struct ReplicaCommand {
  ReplicaOp op = ReplicaOp::Position;
  std::int64_t workspace_id = 0;  ///< 0: the catalog
  bool commit = false;
  std::int64_t sequence = 0;
  std::int64_t previous = 0;
  std::int64_t epoch = 0;
  std::string changeset;  ///< decoded bytes
  std::string path;       ///< a snapshot file
};

/// The command, every field checked (unknown fields refused).
Result<ReplicaCommand> decode_replica_command(const nlohmann::json& command);

}  // namespace leadline::api
