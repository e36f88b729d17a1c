#pragma once
// The workspace databases one engine has open: at most a bounded number at a time, least
// recently used closed first, so an engine serving thousands of workspaces holds the memory of
// a few. A database with an export still streaming from it is pinned open.

#include "api/route_context.hpp"
#include "leadline/ids.hpp"
#include "store/data_folder.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <vector>

namespace leadline::api {

/// The stores of `db`, with the engine's id generator and receipt retention.
std::unique_ptr<Services> services_for(store::Database& db, IdGenerator& ids, std::int64_t receipt_retention_ms,
                                       const WebhookPolicy& webhook_policy);

struct WorkspacePoolOptions {
  std::size_t max_open = 64;      ///< databases kept open (ignored in memory: closing would lose them)
  int cache_kib = 16 * 1024;      ///< each database's page cache bound
  bool exclusive = true;          ///< see EngineOptions::exclusive_lock
  std::int64_t receipt_retention_ms = 0;
  const WebhookPolicy* webhook_policy = nullptr;  ///< outlives the pool (the engine's)
};

class WorkspacePool {
 public:
  WorkspacePool(store::DataFolder folder, WorkspacePoolOptions options, IdGenerator& ids);

  /// The open workspace's services, opening (and migrating) its database first if needed. A
  /// workspace without a database file is an INTERNAL error: the catalog names it, so its file
  /// was lost (it is never silently recreated empty).
  Result<Services*> open(std::int64_t workspace_id);

  /// Creates the database of a new workspace, with its own row, and keeps it open.
  Status create(std::int64_t workspace_id, const std::string& name, std::int64_t created_at);

  /// Closes the workspace's database and removes its files (a cluster copy rebuilt from the
  /// log). Refused while a stream reads from it.
  Status discard(std::int64_t workspace_id);

  /// Keeps the workspace's database open until as many `unpin` calls (a stream reads from it).
  void pin(std::int64_t workspace_id);
  void unpin(std::int64_t workspace_id);

  /// The file a workspace's database lives in (":memory:" in memory).
  std::string path_of(std::int64_t workspace_id) const { return folder_.workspace_path(workspace_id); }
  const store::DataFolder& folder() const { return folder_; }
  std::size_t open_count() const { return open_.size(); }
  /// The workspaces whose databases are open now, in id order.
  std::vector<std::int64_t> open_ids() const;

 private:
  struct Open {
    std::unique_ptr<store::Database> db;
    std::unique_ptr<Services> services;
    std::list<std::int64_t>::iterator recency;
    int pins = 0;
  };
  Result<Services*> keep(std::int64_t workspace_id, std::unique_ptr<store::Database> db);
  void close_beyond_capacity();

  store::DataFolder folder_;
  WorkspacePoolOptions options_;
  IdGenerator& ids_;
  std::map<std::int64_t, Open> open_;
  std::list<std::int64_t> recency_;  ///< most recently used first
};

}  // namespace leadline::api
