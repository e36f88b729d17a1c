#pragma once
// Where a data folder keeps its databases: the catalog and one file per workspace.

#include "leadline/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace leadline::store {

/// `root/catalog.db` and `root/workspaces/ws_<id>.db`. The root ":memory:" keeps every
/// database in memory (tests): nothing is written and nothing can be listed or closed.
class DataFolder {
 public:
  explicit DataFolder(std::string root) : root_(std::move(root)) {}

  bool in_memory() const { return root_ == ":memory:"; }
  const std::string& root() const { return root_; }
  std::string catalog_path() const;
  std::string workspace_path(std::int64_t workspace_id) const;

  /// Creates the folder and its `workspaces/` directory when they are missing.
  Status create_directories() const;
  /// The workspaces that have a database in the folder (by file name), in id order.
  Result<std::vector<std::int64_t>> workspace_ids() const;

 private:
  std::string root_;
};

/// Which of `worker_count` engines owns a workspace: stable for a given count, spread evenly
/// over time-ordered ids (their low bits vary; see IdGenerator).
unsigned owning_worker(std::int64_t workspace_id, unsigned worker_count);

}  // namespace leadline::store
