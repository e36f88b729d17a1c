#pragma once
// Background jobs: one row each, with the work's input, a cursor into it and running results.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace leadline::store {

struct JobRecord {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string kind;    ///< a domain::JobKind name
  std::string status;  ///< queued, running, succeeded, failed, cancelled
  std::string key_prefix;
  nlohmann::json plan = nlohmann::json::object();    ///< how to do the work and where it is (not the payload)
  std::int64_t cursor = 0;                           ///< where the next slice starts in the payload
  std::int64_t total = 0;
  std::int64_t processed = 0;
  nlohmann::json result = nlohmann::json::object();  ///< running counts and errors
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> finished_at;
};

struct JobPage {
  std::vector<JobRecord> jobs;
  bool has_more = false;
};

class JobStore {
 public:
  explicit JobStore(Database& db) : db_(db) {}

  Status insert(const JobRecord& job, const std::string& payload);
  Result<std::optional<JobRecord>> find(std::int64_t workspace_id, std::int64_t id);
  Result<JobPage> list(std::int64_t workspace_id, int limit, std::optional<std::int64_t> before_id);
  /// The oldest queued or running job of any workspace, if any.
  Result<std::optional<JobRecord>> next_unfinished();
  /// Whether a background delete or edit writing into receipt `receipt_id` is still queued or running.
  Result<bool> delete_running_for_receipt(std::int64_t receipt_id);
  /// How many jobs the database holds in each status (statuses with none are absent).
  Result<std::map<std::string, std::int64_t>> count_by_status();
  /// The job's payload (its input text).
  Result<std::string> payload(std::int64_t id);
  /// Writes status, plan, cursor, processed, result and timestamps back; a finished job's payload is
  /// dropped (it may be megabytes and is never needed again).
  Status save(const JobRecord& job);

 private:
  Database& db_;
};

}  // namespace leadline::store
