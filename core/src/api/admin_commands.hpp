#pragma once
// Operator commands (workspaces, users, keys) behind Engine::admin and `npm run admin`.

#include "api/route_context.hpp"
#include "store/data_folder.hpp"
#include "store/key_store.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <vector>

namespace leadline::api {

/// What administration reaches: the catalog, and workspaces through the engine that holds them.
struct AdminServices {
  /// The catalog's keys, workspaces and users; null on an engine without the catalog, which
  /// runs only the commands that need none (a workspace's, and the integrity check).
  store::KeyStore* keys;
  IdGenerator& ids;
  unsigned worker_count;  ///< how many workspace engines share the data folder
  /// The catalog database and the data folder, where this engine holds them (else null).
  store::Database* catalog;
  const store::DataFolder* folder;
  /// Files a command wrote outside the catalog's transaction (the host syncs them).
  std::vector<std::string>& written;
  /// Creates a new workspace's database (with its own row) beside its catalog row.
  std::function<Status(std::int64_t id, const std::string& name, std::int64_t now)> create_workspace_database;
  /// A workspace's services, when this engine holds its database (404 when there is no such workspace).
  std::function<Result<Services*>(std::int64_t id)> workspace;
  /// Calls `visit` with each database this engine holds (a name and the database), one at a time.
  std::function<Status(const std::function<void(const std::string&, store::Database&)>& visit)> each_database;
};

/// Runs `{"command": "...", ...}`. Commands:
///   bootstrap                                   first start: a workspace, its key, an owner and a platform key,
///                                               only when no workspace exists yet
///   create-workspace {name, userId?}            userId also makes that user a member
///   list-workspaces {workers?}                  each with the engine that owns it (of this server's
///                                               workers, or of `workers`)
///   create-user {name, workspaceIds?}
///   add-user-to-workspace {userId, workspaceId}
///   create-key {workspaceId | userId, scopes?, campaignIds?, label?}   the key is in the reply, once
///   list-keys {workspaceId?}                    display forms only, never keys or hashes
///   revoke-key {keyId}
///   seed-campaign-activity {workspaceId, campaignId}   demo statistics, scheduled emails and messages
///                                               for each current member (Leadline sends no email)
///   export-workspace {workspaceId, to}          the workspace's database and catalog rows (its keys,
///                                               members) in one file, to move it to another server
///   import-workspace {from}                     the reverse; refused when the workspace or a key exists here
///   list-routes                                 every route: method, path, scope, body rule, reach
///   check-integrity                             SQLite integrity_check + foreign_key_check on every database
///                                               the engine holds: {ok, integrity, foreignKeyViolations,
///                                               databases}; damage is reported, not an error
/// The caller wraps each command in one transaction, except those `admin_command_writes` says
/// only read (a damaged page poisons a transaction's COMMIT, and the check must still answer).
Result<Reply> run_admin_command(AdminServices& services, const nlohmann::json& command, std::int64_t now);

/// Whether the command may change stored data (so needs a transaction).
bool admin_command_writes(const nlohmann::json& command);

/// Whether the command copies database files instead of changing rows (exporting or importing a
/// workspace): a cluster node refuses it, since its change log carries only rows.
bool admin_command_moves_files(const nlohmann::json& command);

}  // namespace leadline::api
