#include "store/database.hpp"

#include <filesystem>
#include <system_error>

namespace leadline::store {

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind_blob(int index, const void* data, int size) {
  sqlite3_bind_blob(stmt_, index, data, size, SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool Statement::step() {
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code != SQLITE_DONE) last_code_ = code;
  return false;
}

Status Statement::run() {
  while (step()) {
  }
  return status();
}

Status Statement::status() const {
  if (last_code_ == SQLITE_OK) return Ok{};
  return db_->error("statement");
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::string Statement::blob(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, OpenOptions options) {
  sqlite3* handle = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &handle,
                                   SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
  if (code != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(code);
    sqlite3_close(handle);
    return Error{ErrorCode::Internal, "cannot open database " + path + ": " + message};
  }
  auto db = std::unique_ptr<Database>(new Database(handle));
  // The WAL file stays (emptied) when the connection closes (workspace databases are closed and
  // reopened as the pool turns over): a host that synced its directory entry once need not again.
  int persist_wal = 1;
  sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist_wal);
  // WAL: readers never block the writer and commits append; FULL: a commit is synced to the
  // WAL before it is acknowledged (natively; under NODERAWFS the host syncs, see docs/toolchain.md).
  // EXCLUSIVE locking: one process per database file is already the rule (the host's lock file,
  // docs/toolchain.md), so the lock is taken once and kept, and the WAL index lives in heap memory. Without
  // it every transaction re-checks the file (stat/fcntl), which under NODERAWFS are JS calls:
  // 9% of the engine thread under the bench's GET load.
  const bool in_memory = path == ":memory:" || path.empty();
  // wal_autocheckpoint 4000 pages (16 MB) instead of 1000: a 5,000-lead add writes ~700 pages, so
  // at 1000 every other request also copied the WAL into the database; pages that successive
  // requests touch again (index edges, the table's tail) are now copied once per several
  // requests. Measured on the bench seed: HTTP add-5,000 ~90 → ~80 ms; native bulk delete 79 → 73 ms.
  auto pragmas = std::string(in_memory || !options.exclusive ? "" : "PRAGMA locking_mode=EXCLUSIVE;") +
                 (in_memory ? "" : "PRAGMA journal_mode=WAL;") +
                 "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-" + std::to_string(options.cache_kib) +
                 "; PRAGMA wal_autocheckpoint=4000; PRAGMA temp_store=MEMORY;"
                 // With the persisted WAL (below): emptied when the connection closes.
                 "PRAGMA journal_size_limit=67108864;"
                 // Deleted content is zeroed where that costs no extra I/O; an erasure turns it
                 // fully on (store/personal_data_erasure.hpp).
                 "PRAGMA secure_delete=FAST;";
  if (auto status = db->exec(pragmas); !status) return status.take_error();
  // Touch the schema so a file that is not a database fails here, not on the first request.
  if (auto status = db->exec("SELECT count(*) FROM sqlite_schema;"); !status) return status.take_error();
  return db;
}

Database::~Database() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(handle_);
}

Result<Statement> Database::prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(handle_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK)
      return error("prepare");
    found = statements_.emplace(sql, stmt).first;
  }
  return Statement(found->second, this);
}

Status Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(handle_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error failure{ErrorCode::Internal, std::string("sqlite: ") + (message ? message : "error")};
    sqlite3_free(message);
    return failure;
  }
  return Ok{};
}

Status Database::attach(const std::string& path, const std::string& as) {
  auto stmt = prepare("ATTACH DATABASE ? AS " + as);
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, path).run();
}

void remove_database_files(const std::string& path) {
  std::error_code ignored;
  for (const auto* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ignored);
}

Error Database::error(std::string_view context) const {
  return Error{ErrorCode::Internal, "sqlite " + std::string(context) + ": " + sqlite3_errmsg(handle_)};
}

Result<Transaction> Transaction::begin(Database& db) {
  if (auto status = db.exec("BEGIN IMMEDIATE"); !status) return status.take_error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  auto status = db_->exec("COMMIT");
  if (status) db_ = nullptr;
  return status;
}

}  // namespace leadline::store
