#pragma once
// RAII over the SQLite C API: one connection, a cache of prepared statements, transactions.
// Statement failures are reported as Error values, never thrown.

#include "leadline/result.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace leadline::store {

class Database;

/// A prepared statement borrowed from the Database's cache; reset and unbound on destruction
/// so the next user starts clean.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, Database* db) : stmt_(stmt), db_(db) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) { other.stmt_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binding is by 1-based index, matching `?` order in the SQL.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind_blob(int index, const void* data, int size);
  Statement& bind_null(int index);

  /// Advances one row: true when a row is available, false when done. Errors are recorded and
  /// reported by `status()`, and end the iteration.
  bool step();
  /// Runs to completion (for statements that return no rows).
  Status run();
  /// The first error seen while stepping, if any.
  Status status() const;

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  /// A BLOB column's bytes (empty for NULL).
  std::string blob(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  /// The column's storage class (SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL).
  int type(int column) const { return sqlite3_column_type(stmt_, column); }

 private:
  sqlite3_stmt* stmt_;
  Database* db_;
  int last_code_ = SQLITE_OK;
};

/// How a database file is opened.
struct OpenOptions {
  /// Lock the file for this connection's lifetime (see EngineOptions::exclusive_lock).
  bool exclusive = true;
  /// Create the file when it is not there; off, a missing file is an error.
  bool create = true;
  /// The page cache's upper bound. It fills only with pages actually read, so a small
  /// database stays small; a large one keeps its hot indexes in memory.
  int cache_kib = 64 * 1024;
};

class Database {
 public:
  /// Opens (or, if `options.create`, creates) the database file (":memory:" for memory) with
  /// Leadline's pragmas.
  static Result<std::unique_ptr<Database>> open(const std::string& path, OpenOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// A cached prepared statement for `sql`; the cache makes repeated queries parse once.
  Result<Statement> prepare(const std::string& sql);
  /// Runs one or more statements that take no parameters (DDL, pragmas).
  Status exec(const std::string& sql);

  /// Attaches the database file at `path` under the schema name `as` (between transactions only,
  /// as SQLite requires).
  Status attach(const std::string& path, const std::string& as);

  std::int64_t changes() const { return sqlite3_changes64(handle_); }
  std::string last_error() const { return sqlite3_errmsg(handle_); }
  sqlite3* handle() const { return handle_; }

  /// An Error for a failed SQLite call, with the library's message (internal: never shown
  /// to API clients as-is; the engine logs it and replies INTERNAL).
  Error error(std::string_view context) const;

 private:
  explicit Database(sqlite3* handle) : handle_(handle) {}
  sqlite3* handle_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

/// Removes a database file and whatever SQLite keeps beside it (WAL, shared memory, journal).
void remove_database_files(const std::string& path);

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless `commit()` succeeded. One
/// request's writes live in one of these, so a refused or failed request changes nothing.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace leadline::store
