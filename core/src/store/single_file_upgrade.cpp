#include "store/single_file_upgrade.hpp"

#include "leadline/ids.hpp"
#include "store/content_digest.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

#include <filesystem>
#include <system_error>

namespace leadline::store {
namespace {

namespace fs = std::filesystem;

// Closes a finished copy with everything in its main file (no WAL beside it), then moves it to
// `target` in one rename.
Status seal(std::unique_ptr<Database> copy, const std::string& partial, const std::string& target) {
  if (auto status = copy->exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;"); !status) return status;
  copy.reset();
  std::error_code failure;
  for (const auto* suffix : {"-wal", "-shm"}) fs::remove(partial + suffix, failure);
  fs::rename(partial, target, failure);
  if (failure) return Error{ErrorCode::Internal, "cannot move " + partial + " to " + target + ": " + failure.message()};
  return Ok{};
}

// Copies the rows `condition` picks of each table from the attached single file, then compares
// every table's rows and digest with the original's.
Status copy_tables(Database& copy, const std::vector<std::pair<std::string_view, std::string_view>>& tables,
                   std::int64_t workspace_id, const std::string& what) {
  for (const auto& [table, condition] : tables) {
    auto columns = table_columns(copy, "single", table);
    if (!columns) return columns.take_error();
    std::string list;
    for (const auto& column : *columns) {
      if (!list.empty()) list += ", ";
      list += '"';
      list += column;
      list += '"';
    }
    // receipt_rows had no key: the original rowid becomes the copy's id.
    const bool keyed_now = table == "receipt_rows";
    std::string sql = "INSERT INTO main." + std::string(table) + " (" + (keyed_now ? "id, " : "") + list + ") SELECT " +
                      (keyed_now ? "rowid, " : "") + list + " FROM single." + std::string(table);
    if (!condition.empty()) sql += " WHERE " + std::string(condition);
    auto insert = copy.prepare(sql);
    if (!insert) return insert.take_error();
    if (!condition.empty()) insert->bind(1, workspace_id);
    if (auto status = insert->run(); !status) return status;
  }
  for (const auto& [table, condition] : tables) {
    auto columns = table_columns(copy, "single", table);
    if (!columns) return columns.take_error();
    // The same columns, read once from each side.
    auto copied = digest_table(copy, "main." + std::string(table), *columns);
    if (!copied) return copied.take_error();
    auto original = digest_table(copy, "single." + std::string(table), *columns, condition, workspace_id);
    if (!original) return original.take_error();
    if (!(*copied == *original)) {
      return Error{ErrorCode::Internal, what + ": table " + std::string(table) + " differs after copying (" +
                                            std::to_string(copied->rows) + " rows copied of " +
                                            std::to_string(original->rows) + "); the single file is left as it was"};
    }
  }
  return Ok{};
}

Status convert_into(const std::string& single_file, const std::string& target, Schema schema,
                    const std::vector<std::pair<std::string_view, std::string_view>>& tables, std::int64_t workspace_id,
                    const std::string& what) {
  const auto partial = target + ".partial";
  remove_database_files(partial);
  auto copy = Database::open(partial, {true, true, 16 * 1024});
  if (!copy) return copy.take_error();
  if (auto migrated = migrate(**copy, schema); !migrated) return migrated;
  if (auto attached = (*copy)->attach(single_file, "single"); !attached) return attached;
  {
    auto transaction = Transaction::begin(**copy);
    if (!transaction) return transaction.take_error();
    if (auto copied = copy_tables(**copy, tables, workspace_id, what); !copied) return copied;
    if (auto committed = transaction->commit(); !committed) return committed;
  }
  if (auto status = (*copy)->exec("DETACH DATABASE single"); !status) return status;
  return seal(std::move(*copy), partial, target);
}

}  // namespace

Result<SingleFileUpgrade> upgrade_single_file(const std::string& single_file, const DataFolder& folder,
                                              int max_workspaces) {
  SingleFileUpgrade progress;
  std::error_code failure;
  if (folder.in_memory() || !fs::exists(single_file, failure)) {
    progress.done = true;
    return progress;
  }
  progress.found = true;
  if (auto created = folder.create_directories(); !created) return created.take_error();
  std::vector<std::int64_t> workspace_ids;
  {
    // Brought to the single file's last schema first, so every copy reads one shape.
    auto single = Database::open(single_file, {true, false, 16 * 1024});
    if (!single) return single.take_error();
    if (auto migrated = migrate(**single, Schema::SingleFile); !migrated) return migrated.take_error();
    auto listed = (*single)->prepare("SELECT id FROM workspaces ORDER BY id");
    if (!listed) return listed.take_error();
    while (listed->step()) workspace_ids.push_back(listed->int64(0));
    if (auto status = listed->status(); !status) return status.take_error();
    // Closed (its WAL checkpointed) before the copies read it as an attached file.
  }
  progress.workspaces = static_cast<int>(workspace_ids.size());
  if (!fs::exists(folder.catalog_path(), failure)) {
    for (const auto id : workspace_ids) {
      const auto target = folder.workspace_path(id);
      if (fs::exists(target, failure)) continue;  // converted and verified by an earlier call
      if (progress.converted >= max_workspaces) return progress;
      std::vector<std::pair<std::string_view, std::string_view>> tables;
      for (const auto& table : workspace_tables())
        if (table.in_single_file) tables.emplace_back(table.name, table.rows_of_workspace);
      if (auto converted = convert_into(single_file, target, Schema::Workspace, tables, id,
                                        "workspace " + format_id(kWorkspaceIdPrefix, id));
          !converted)
        return converted.take_error();
      progress.written.push_back(target);
      ++progress.converted;
    }
    std::vector<std::pair<std::string_view, std::string_view>> tables;
    for (const auto table : catalog_tables()) tables.emplace_back(table, std::string_view{});
    if (auto converted = convert_into(single_file, folder.catalog_path(), Schema::Catalog, tables, 0, "the catalog");
        !converted)
      return converted.take_error();
    progress.written.push_back(folder.catalog_path());
  }
  // Every database is in place: the single file is retired, kept aside rather than deleted.
  progress.retired_to = single_file + ".converted";
  for (const auto* suffix : {"-wal", "-shm"}) fs::remove(single_file + suffix, failure);
  fs::rename(single_file, progress.retired_to, failure);
  if (failure) return Error{ErrorCode::Internal, "cannot move " + single_file + " aside: " + failure.message()};
  progress.written.push_back(progress.retired_to);
  progress.done = true;
  return progress;
}

}  // namespace leadline::store
