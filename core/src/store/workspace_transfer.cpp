#include "store/workspace_transfer.hpp"

#include "leadline/ids.hpp"
#include "store/migrations.hpp"

#include <filesystem>
#include <system_error>

namespace leadline::store {
namespace {

namespace fs = std::filesystem;

// The catalog tables an export carries, each under this prefix, with the rows of one workspace.
constexpr std::string_view kPrefix = "leadline_export_";
struct CatalogPart {
  std::string_view table;
  std::string_view rows_of_workspace;  // over ?1, the workspace id
};
constexpr CatalogPart kParts[] = {
    {"workspaces", "id = ?1"},
    {"users", "id IN (SELECT user_id FROM user_workspaces WHERE workspace_id = ?1)"},
    {"user_workspaces", "workspace_id = ?1"},
    {"api_keys", "workspace_id = ?1"},
};

Result<std::int64_t> count(Database& db, const std::string& sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  if (!stmt->step()) return db.error("count");
  return stmt->int64(0);
}

}  // namespace

Status write_export_catalog(Database& catalog, std::int64_t workspace_id, const std::string& export_file) {
  if (auto attached = catalog.attach(export_file, "export"); !attached) return attached;
  Status written = Ok{};
  for (const auto& part : kParts) {
    auto stmt = catalog.prepare("CREATE TABLE export." + std::string(kPrefix) + std::string(part.table) + " AS SELECT * FROM main." +
                                std::string(part.table) + " WHERE " + std::string(part.rows_of_workspace));
    if (!stmt) {
      written = stmt.take_error();
      break;
    }
    if (auto status = stmt->bind(1, workspace_id).run(); !status) {
      written = status;
      break;
    }
  }
  if (auto detached = catalog.exec("DETACH DATABASE export"); !detached && written) return detached;
  return written;
}

Result<std::int64_t> exported_workspace(const std::string& export_file) {
  std::error_code failure;
  if (!fs::exists(export_file, failure)) return Error::invalid_field("from", "no such file: " + export_file);
  auto file = Database::open(export_file, {true, false, 1024});
  if (!file) return file.take_error();
  auto stmt = (*file)->prepare("SELECT id FROM " + std::string(kPrefix) + "workspaces");
  if (!stmt || !stmt->step()) return Error::invalid_field("from", export_file + " is not a Leadline workspace export");
  return stmt->int64(0);
}

Status import_workspace(Database& catalog, const DataFolder& folder, const std::string& export_file) {
  auto workspace_id = exported_workspace(export_file);
  if (!workspace_id) return workspace_id.take_error();
  const auto id_text = format_id(kWorkspaceIdPrefix, *workspace_id);
  if (auto attached = catalog.attach(export_file, "import"); !attached) return attached;
  const auto refuse = [&](const std::string& why) -> Status {
    (void)catalog.exec("DETACH DATABASE import");
    return Error{ErrorCode::Conflict, why + "; nothing was imported"};
  };
  auto clash = count(catalog, "SELECT count(*) FROM workspaces WHERE id IN (SELECT id FROM import.leadline_export_workspaces)");
  if (!clash) return clash.take_error();
  if (*clash > 0) return refuse("workspace " + id_text + " already exists on this server");
  auto keys = count(catalog,
                    "SELECT count(*) FROM api_keys WHERE id IN (SELECT id FROM import.leadline_export_api_keys) OR "
                    "key_hash IN (SELECT key_hash FROM import.leadline_export_api_keys)");
  if (!keys) return keys.take_error();
  if (*keys > 0) return refuse("a key of workspace " + id_text + " already exists on this server");
  (void)catalog.exec("DETACH DATABASE import");

  // The database first, through a partial copy, without the catalog tables.
  const auto target = folder.workspace_path(*workspace_id);
  const auto partial = target + ".partial";
  std::error_code failure;
  remove_database_files(partial);
  fs::copy_file(export_file, partial, failure);
  if (failure) return Error{ErrorCode::Internal, "cannot copy " + export_file + ": " + failure.message()};
  {
    auto copy = Database::open(partial, {true, false, 1024});
    if (!copy) return copy.take_error();
    if (auto migrated = migrate(**copy, Schema::Workspace); !migrated) return migrated;
    for (const auto& part : kParts) {
      if (auto dropped = (*copy)->exec("DROP TABLE " + std::string(kPrefix) + std::string(part.table)); !dropped) return dropped;
    }
    {
      auto checked = (*copy)->prepare("PRAGMA integrity_check");
      if (!checked || !checked->step() || checked->text(0) != "ok")
        return Error{ErrorCode::Internal, export_file + " fails SQLite's integrity check"};
    }
    if (auto status = (*copy)->exec("PRAGMA journal_mode=DELETE"); !status) return status;
  }
  // A file left by an interrupted import of the same workspace (the catalog never named it).
  fs::remove(target, failure);
  fs::rename(partial, target, failure);
  if (failure) return Error{ErrorCode::Internal, "cannot move " + partial + " into place: " + failure.message()};

  // Then its catalog rows, in one transaction; users this server already has are kept as they are.
  if (auto attached = catalog.attach(export_file, "import"); !attached) return attached;
  Status inserted = catalog.exec(
      "BEGIN IMMEDIATE;"
      "INSERT INTO workspaces SELECT * FROM import.leadline_export_workspaces;"
      "INSERT OR IGNORE INTO users SELECT * FROM import.leadline_export_users;"
      "INSERT INTO user_workspaces SELECT * FROM import.leadline_export_user_workspaces;"
      "INSERT INTO api_keys SELECT * FROM import.leadline_export_api_keys;"
      "COMMIT;");
  if (!inserted) (void)catalog.exec("ROLLBACK");
  if (auto detached = catalog.exec("DETACH DATABASE import"); !detached && inserted) return detached;
  return inserted;
}

}  // namespace leadline::store
