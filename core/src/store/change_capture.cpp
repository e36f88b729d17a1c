#include "store/change_capture.hpp"

#include <sqlite3.h>

#include <string_view>

namespace leadline::store {

namespace {

// Each copy records its own place in the log; the owner's is not the followers'.
int captured_table(void*, const char* table) { return std::string_view(table) != "replication_position"; }

}  // namespace

Result<ChangeCapture> ChangeCapture::start(Database& db) {
  sqlite3_session* session = nullptr;
  if (sqlite3session_create(db.handle(), "main", &session) != SQLITE_OK) return db.error("session create");
  // NULL: every table, including ones created later; tables without a primary key are skipped.
  if (sqlite3session_attach(session, nullptr) != SQLITE_OK) {
    sqlite3session_delete(session);
    return db.error("session attach");
  }
  sqlite3session_table_filter(session, captured_table, nullptr);
  return ChangeCapture(session);
}

ChangeCapture::~ChangeCapture() {
  if (session_ != nullptr) sqlite3session_delete(session_);
}

Result<std::string> ChangeCapture::changeset() {
  int size = 0;
  void* bytes = nullptr;
  if (const int code = sqlite3session_changeset(session_, &size, &bytes); code != SQLITE_OK) {
    return Error{ErrorCode::Internal, std::string("session changeset: ") + sqlite3_errstr(code)};
  }
  std::string out(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  return out;
}

namespace {

int refuse_conflict(void* conflicted, int, sqlite3_changeset_iter*) {
  *static_cast<bool*>(conflicted) = true;
  return SQLITE_CHANGESET_ABORT;
}

}  // namespace

Status apply_changes(Database& db, std::string_view changeset) {
  bool conflicted = false;
  const int code = sqlite3changeset_apply(db.handle(), static_cast<int>(changeset.size()),
                                          const_cast<char*>(changeset.data()), nullptr, refuse_conflict, &conflicted);
  if (conflicted) return Error{ErrorCode::Diverged, "changeset conflicts with the database it is applied to"};
  if (code != SQLITE_OK) return db.error("changeset apply");
  return Ok{};
}

Status without_foreign_keys(Database& db, const std::function<Status()>& work) {
  // A changeset already holds every row the original's foreign-key actions removed (a lead's
  // tags deleted with it): enforcing the keys again here would remove them a second time and
  // then find the changeset's own deletes missing.
  if (auto status = db.exec("PRAGMA foreign_keys=OFF"); !status) return status;
  auto done = work();
  if (auto status = db.exec("PRAGMA foreign_keys=ON"); !status) return status;
  return done;
}

Status apply_changeset(Database& db, std::string_view changeset) {
  return without_foreign_keys(db, [&] { return apply_changes(db, changeset); });
}

}  // namespace leadline::store
