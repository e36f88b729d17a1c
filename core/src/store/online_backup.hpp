#pragma once
// A copy of a live database written a slice of pages at a time (SQLite's backup API), so the
// engine that owns it keeps answering requests between slices.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <memory>
#include <string>

struct sqlite3_backup;

namespace leadline::store {

class OnlineBackup {
 public:
  /// Begins copying `source` into a new file at `target_path` (refused if the file exists).
  static Result<OnlineBackup> start(Database& source, const std::string& target_path);
  OnlineBackup(OnlineBackup&& other) noexcept;
  OnlineBackup(const OnlineBackup&) = delete;
  OnlineBackup& operator=(const OnlineBackup&) = delete;
  OnlineBackup& operator=(OnlineBackup&&) = delete;
  ~OnlineBackup();

  /// Copies up to `pages` more pages; true once the copy is complete and closed. Changes made
  /// to the source through its own connection between steps are carried into the copy, so the
  /// finished copy is the database as it was at the last step — one consistent state.
  Result<bool> step(int pages);

 private:
  OnlineBackup(std::unique_ptr<Database> target, sqlite3_backup* backup, std::string path)
      : target_(std::move(target)), backup_(backup), path_(std::move(path)) {}
  std::unique_ptr<Database> target_;
  sqlite3_backup* backup_;
  std::string path_;
};

}  // namespace leadline::store
