#pragma once
// Versioned schema migrations, applied in order when a database is opened.

#include "leadline/result.hpp"
#include "store/database.hpp"

namespace leadline::store {

/// The schema version this build writes (PRAGMA user_version after migrating).
int latest_schema_version();

/// Applies every migration above the database's user_version, each in its own transaction.
/// Refuses a database whose version is newer than this build knows.
Status migrate(Database& db);

}  // namespace leadline::store
