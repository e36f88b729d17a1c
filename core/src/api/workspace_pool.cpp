#include "api/workspace_pool.hpp"

#include "store/id_floor.hpp"
#include "store/migrations.hpp"

#include <filesystem>

namespace leadline::api {

std::unique_ptr<Services> services_for(store::Database& db, IdGenerator& ids, std::int64_t receipt_retention_ms,
                                       const WebhookPolicy& webhook_policy) {
  return std::unique_ptr<Services>(new Services{db, store::LeadStore(db), store::CampaignStore(db), store::MembershipStore(db),
                                                store::CampaignOwnedStore(db), store::CampaignCascade(db),
                                                store::LeadDeletion(db), store::LeadBulkUpdate(db), store::LeadMerge(db), store::ReceiptStore(db), store::AuditStore(db),
                                                store::IdempotencyStore(db), store::JobStore(db), store::SuppressionStore(db), store::WebhookStore(db),
                                                ids, receipt_retention_ms, webhook_policy});
}

WorkspacePool::WorkspacePool(store::DataFolder folder, WorkspacePoolOptions options, IdGenerator& ids)
    : folder_(std::move(folder)), options_(options), ids_(ids) {}

Result<Services*> WorkspacePool::keep(std::int64_t workspace_id, std::unique_ptr<store::Database> db) {
  if (auto migrated = store::migrate(*db, store::Schema::Workspace); !migrated) return migrated.take_error();
  auto floor = store::max_used_id(*db, store::Schema::Workspace);
  if (!floor) return floor.take_error();
  ids_.observe(*floor);
  auto& database = *db;
  auto services = services_for(database, ids_, options_.receipt_retention_ms, *options_.webhook_policy);
  recency_.push_front(workspace_id);
  auto* kept = services.get();
  open_.emplace(workspace_id, Open{std::move(db), std::move(services), recency_.begin(), 0});
  close_beyond_capacity();
  return kept;
}

Result<Services*> WorkspacePool::open(std::int64_t workspace_id) {
  if (auto found = open_.find(workspace_id); found != open_.end()) {
    recency_.splice(recency_.begin(), recency_, found->second.recency);
    return found->second.services.get();
  }
  if (folder_.in_memory()) {
    return Error{ErrorCode::Internal, "workspace " + format_id(kWorkspaceIdPrefix, workspace_id) + " has no database"};
  }
  const auto path = folder_.workspace_path(workspace_id);
  std::error_code missing;
  if (!std::filesystem::exists(path, missing)) {
    return Error{ErrorCode::Internal, "the database of workspace " + format_id(kWorkspaceIdPrefix, workspace_id) +
                                          " is missing (" + path + ")"};
  }
  auto db = store::Database::open(path, {options_.exclusive, false, options_.cache_kib});
  if (!db) return db.take_error();
  return keep(workspace_id, std::move(*db));
}

Status WorkspacePool::create(std::int64_t workspace_id, const std::string& name, std::int64_t created_at) {
  const auto path = folder_.workspace_path(workspace_id);
  if (!folder_.in_memory()) {
    std::error_code failure;
    if (std::filesystem::exists(path, failure))
      return Error{ErrorCode::Internal, "a database for workspace " + format_id(kWorkspaceIdPrefix, workspace_id) +
                                            " already exists (" + path + ")"};
  }
  auto db = store::Database::open(path, {options_.exclusive, true, options_.cache_kib});
  if (!db) return db.take_error();
  auto& database = **db;
  auto services = keep(workspace_id, std::move(*db));
  if (!services) return services.take_error();
  auto insert = database.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)");
  if (!insert) return insert.take_error();
  return insert->bind(1, workspace_id).bind(2, name).bind(3, created_at).run();
}

Status WorkspacePool::discard(std::int64_t workspace_id) {
  if (auto found = open_.find(workspace_id); found != open_.end()) {
    if (found->second.pins > 0) return Error{ErrorCode::Unavailable, "an export is reading the workspace; retry shortly"};
    recency_.erase(found->second.recency);
    open_.erase(found);
  }
  if (!folder_.in_memory()) store::remove_database_files(folder_.workspace_path(workspace_id));
  return Ok{};
}

std::vector<std::int64_t> WorkspacePool::open_ids() const {
  std::vector<std::int64_t> ids;
  for (const auto& [id, open] : open_) ids.push_back(id);
  return ids;
}

void WorkspacePool::pin(std::int64_t workspace_id) {
  if (auto found = open_.find(workspace_id); found != open_.end()) ++found->second.pins;
}

void WorkspacePool::unpin(std::int64_t workspace_id) {
  if (auto found = open_.find(workspace_id); found != open_.end() && found->second.pins > 0) --found->second.pins;
  close_beyond_capacity();
}

void WorkspacePool::close_beyond_capacity() {
  if (folder_.in_memory()) return;
  // From the least recently used; the front is the one a caller is about to use: never closed.
  auto candidate = recency_.end();
  while (open_.size() > options_.max_open && candidate != recency_.begin()) {
    --candidate;
    if (candidate == recency_.begin()) break;
    auto found = open_.find(*candidate);
    if (found->second.pins > 0) continue;
    open_.erase(found);
    candidate = recency_.erase(candidate);
  }
}

}  // namespace leadline::api
