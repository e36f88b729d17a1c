#pragma once
// Moving one workspace between servers: an export file is a copy of the workspace's database
// with the workspace's catalog rows (its row, its workspace keys, its members and their
// memberships) beside it in tables of their own.

#include "leadline/result.hpp"
#include "store/data_folder.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <string>

namespace leadline::store {

/// Adds workspace `workspace_id`'s catalog rows from `catalog` to `export_file` (a finished copy
/// of its database). Outside any transaction on `catalog` (it attaches the file).
Status write_export_catalog(Database& catalog, std::int64_t workspace_id, const std::string& export_file);

/// The workspace an export file holds, read from its catalog rows (an error for a file that is
/// not a Leadline workspace export).
Result<std::int64_t> exported_workspace(const std::string& export_file);

/// Imports `export_file` into `folder` and `catalog` (outside any transaction: SQLite attaches
/// files only between transactions; the catalog rows go in one of their own): refused, changing
/// nothing, when the workspace or any of its keys is already here.
/// The database goes into place first (verified, without the catalog tables), then the rows.
Status import_workspace(Database& catalog, const DataFolder& folder, const std::string& export_file);

}  // namespace leadline::store
