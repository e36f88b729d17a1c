#pragma once
// What a database holds, as counts and hashes per table: two databases whose digests are equal
// hold the same rows. The single-file upgrade compares each workspace's copy with its original
// this way, and the change-capture tests compare a replayed copy with the database it mirrors.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::store {

/// One table's rows: how many, and a SHA-256 over them in a canonical order.
struct TableDigest {
  std::int64_t rows = 0;
  std::string sha256;
  bool operator==(const TableDigest&) const = default;
};

/// A table a workspace owns, and how to pick that workspace's rows out of a database that holds
/// several (the single-file layout): a condition on `?1`, the workspace id.
struct WorkspaceTable {
  std::string_view name;
  std::string_view rows_of_workspace;
  bool in_single_file = true;  ///< false: added after the single-file layout (nothing there to copy)
};

/// Every table a workspace database holds, parents before children.
const std::vector<WorkspaceTable>& workspace_tables();

/// The catalog's tables, parents before children.
const std::vector<std::string_view>& catalog_tables();

/// The columns of `table` in `schema_name` ("main" or an attached database), in order.
Result<std::vector<std::string>> table_columns(Database& db, const std::string& schema_name, std::string_view table);

/// The digest of `columns` of the rows of `table` that satisfy `condition` (SQL over `?1` =
/// `bound`, or empty for every row). Rows are hashed sorted by every column, so the digest does
/// not depend on storage order.
Result<TableDigest> digest_table(Database& db, std::string_view table, const std::vector<std::string>& columns,
                                 std::string_view condition = {}, std::int64_t bound = 0);

/// The digest of every table of a workspace database (all rows, every column).
Result<std::map<std::string, TableDigest>> digest_workspace(Database& db);

/// One SHA-256 (hex) over every table of a workspace database (`catalog` false) or a catalog:
/// two copies with equal fingerprints hold the same rows. A copy's replication position is not
/// part of it.
Result<std::string> content_fingerprint(Database& db, bool catalog);

}  // namespace leadline::store
