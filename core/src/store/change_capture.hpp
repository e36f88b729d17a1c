#pragma once
// What one transaction changed, as a changeset of SQLite's session extension: the bytes a replica
// applies to reach the same content. Rows are identified by primary key, so every table a
// workspace owns has one.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3_session;

namespace leadline::store {

/// Records every change made through `db` to any of its tables (but its replication position,
/// which each copy keeps for itself) from `start` until `changeset`.
class ChangeCapture {
 public:
  /// Begins recording; start it inside the transaction, before its first change.
  static Result<ChangeCapture> start(Database& db);
  ChangeCapture(ChangeCapture&& other) noexcept : session_(other.session_) { other.session_ = nullptr; }
  ChangeCapture(const ChangeCapture&) = delete;
  ChangeCapture& operator=(const ChangeCapture&) = delete;
  ChangeCapture& operator=(ChangeCapture&&) = delete;
  ~ChangeCapture();

  /// The changes so far, as a changeset (empty when nothing changed).
  Result<std::string> changeset();

 private:
  explicit ChangeCapture(sqlite3_session* session) : session_(session) {}
  sqlite3_session* session_;
};

/// Applies `changeset` to `db` in one transaction, with foreign-key actions off (the changeset
/// carries their effects already). Any conflict (a row not as the changeset says it was) is an
/// ErrorCode::Diverged error and nothing is applied: a replica that diverged must not paper over it.
Status apply_changeset(Database& db, std::string_view changeset);

/// The same inside a transaction the caller holds, whose connection already has foreign-key
/// enforcement off (see without_foreign_keys).
Status apply_changes(Database& db, std::string_view changeset);

/// Runs `work` (which may open its own transaction) with foreign-key actions off, as applying a
/// changeset needs: PRAGMA foreign_keys can only change outside a transaction.
Status without_foreign_keys(Database& db, const std::function<Status()>& work);

}  // namespace leadline::store
