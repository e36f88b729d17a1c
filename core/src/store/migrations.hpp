#pragma once
// Versioned schema migrations, applied in order when a database is opened.

#include "leadline/result.hpp"
#include "store/database.hpp"

namespace leadline::store {

/// The three kinds of database file, each with its own list of migrations.
enum class Schema {
  SingleFile,  ///< the layout before workspace databases: one file for everything (read only to convert it)
  Catalog,     ///< workspaces, users, their memberships and API keys: what authentication needs
  Workspace,   ///< one workspace's own row and everything it owns
};

/// The schema version this build writes for `schema` (PRAGMA user_version after migrating).
int latest_schema_version(Schema schema);

/// Applies every migration of `schema` above the database's user_version, each in its own
/// transaction. Refuses a file of another kind (PRAGMA application_id) or one whose version is
/// newer than this build knows.
Status migrate(Database& db, Schema schema);

/// The database's PRAGMA user_version.
Result<int> schema_version(Database& db);

}  // namespace leadline::store
