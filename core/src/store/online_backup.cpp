#include "store/online_backup.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <system_error>

namespace leadline::store {

Result<OnlineBackup> OnlineBackup::start(Database& source, const std::string& target_path) {
  std::error_code failure;
  if (std::filesystem::exists(target_path, failure)) {
    return Error{ErrorCode::Internal, target_path + " already exists; back up into an empty folder"};
  }
  auto target = Database::open(target_path, {true, true, 1024});
  if (!target) return target.take_error();
  // The copy is one self-contained file: no WAL beside it while it is written.
  if (auto status = (*target)->exec("PRAGMA journal_mode=DELETE"); !status) return status.take_error();
  auto* backup = sqlite3_backup_init((*target)->handle(), "main", source.handle(), "main");
  if (backup == nullptr) return (*target)->error("backup init");
  return OnlineBackup(std::move(*target), backup, target_path);
}

OnlineBackup::OnlineBackup(OnlineBackup&& other) noexcept
    : target_(std::move(other.target_)), backup_(other.backup_), path_(std::move(other.path_)) {
  other.backup_ = nullptr;
}

OnlineBackup::~OnlineBackup() {
  if (backup_ != nullptr) sqlite3_backup_finish(backup_);
}

Result<bool> OnlineBackup::step(int pages) {
  const int code = sqlite3_backup_step(backup_, pages);
  if (code == SQLITE_OK || code == SQLITE_BUSY || code == SQLITE_LOCKED) return false;
  const int finished = sqlite3_backup_finish(backup_);
  backup_ = nullptr;
  if (code != SQLITE_DONE || finished != SQLITE_OK) {
    return Error{ErrorCode::Internal, "backup of " + path_ + ": " + sqlite3_errstr(code != SQLITE_DONE ? code : finished)};
  }
  target_.reset();
  return true;
}

}  // namespace leadline::store
