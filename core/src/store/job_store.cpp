#include "store/job_store.hpp"

#include "store/page_rows.hpp"

namespace leadline::store {
namespace {

using json = nlohmann::json;

constexpr const char* kJobColumns =
    "id, workspace_id, kind, status, key_prefix, plan, cursor, total, processed, result, created_at, updated_at, "
    "finished_at";

JobRecord read_job(const Statement& row) {
  JobRecord job;
  job.id = row.int64(0);
  job.workspace_id = row.int64(1);
  job.kind = row.text(2);
  job.status = row.text(3);
  job.key_prefix = row.text(4);
  job.plan = json::parse(row.text(5), nullptr, false);
  job.cursor = row.int64(6);
  job.total = row.int64(7);
  job.processed = row.int64(8);
  job.result = json::parse(row.text(9), nullptr, false);
  job.created_at = row.int64(10);
  job.updated_at = row.int64(11);
  if (!row.is_null(12)) job.finished_at = row.int64(12);
  return job;
}

Result<std::optional<JobRecord>> first_job(Statement& stmt) {
  std::optional<JobRecord> job;
  if (stmt.step()) job = read_job(stmt);
  if (auto status = stmt.status(); !status) return status.take_error();
  return job;
}

}  // namespace

Status JobStore::insert(const JobRecord& job, const std::string& payload) {
  auto stmt = db_.prepare(
      "INSERT INTO jobs (id, workspace_id, kind, status, key_prefix, plan, cursor, total, processed, result, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  auto inserted = stmt->bind(1, job.id)
                      .bind(2, job.workspace_id)
                      .bind(3, job.kind)
                      .bind(4, job.status)
                      .bind(5, job.key_prefix)
                      .bind(6, job.plan.dump())
                      .bind(7, job.cursor)
                      .bind(8, job.total)
                      .bind(9, job.processed)
                      .bind(10, job.result.dump())
                      .bind(11, job.created_at)
                      .bind(12, job.updated_at)
                      .run();
  if (!inserted) return inserted;
  auto store_payload = db_.prepare("INSERT INTO job_payloads (job_id, payload) VALUES (?, ?)");
  if (!store_payload) return store_payload.take_error();
  return store_payload->bind(1, job.id).bind(2, payload).run();
}

Result<std::optional<JobRecord>> JobStore::find(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ? AND workspace_id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id).bind(2, workspace_id);
  return first_job(*stmt);
}

Result<JobPage> JobStore::list(std::int64_t workspace_id, int limit, std::optional<std::int64_t> before_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kJobColumns +
                          " FROM jobs WHERE workspace_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, before_id.value_or(INT64_MAX)).bind(3, rows_to_fetch(limit));
  JobPage page;
  while (stmt->step()) page.jobs.push_back(read_job(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  page.has_more = trim_to_page(page.jobs, limit);
  return page;
}

Result<std::optional<JobRecord>> JobStore::next_unfinished() {
  auto stmt = db_.prepare(std::string("SELECT ") + kJobColumns +
                          " FROM jobs WHERE status IN ('queued', 'running') ORDER BY id LIMIT 1");
  if (!stmt) return stmt.take_error();
  return first_job(*stmt);
}

Result<std::map<std::string, std::int64_t>> JobStore::count_by_status() {
  auto stmt = db_.prepare("SELECT status, count(*) FROM jobs GROUP BY status");
  if (!stmt) return stmt.take_error();
  std::map<std::string, std::int64_t> counts;
  while (stmt->step()) counts[stmt->text(0)] = stmt->int64(1);
  if (auto status = stmt->status(); !status) return status.take_error();
  return counts;
}

Result<bool> JobStore::delete_running_for_receipt(std::int64_t receipt_id) {
  auto stmt = db_.prepare(
      "SELECT 1 FROM jobs WHERE status IN ('queued', 'running') AND kind IN ('lead_delete', 'lead_update') AND "
      "json_extract(plan, '$.receiptId') = ? LIMIT 1");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, receipt_id);
  const bool running = stmt->step();
  if (auto status = stmt->status(); !status) return status.take_error();
  return running;
}

Result<std::string> JobStore::payload(std::int64_t id) {
  auto stmt = db_.prepare("SELECT payload FROM job_payloads WHERE job_id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id);
  std::string text;
  if (stmt->step()) text = stmt->text(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return text;
}

Status JobStore::save(const JobRecord& job) {
  auto stmt = db_.prepare(
      "UPDATE jobs SET status = ?, cursor = ?, processed = ?, result = ?, updated_at = ?, finished_at = ?, plan = ? "
      "WHERE id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, job.status).bind(2, job.cursor).bind(3, job.processed).bind(4, job.result.dump()).bind(5, job.updated_at);
  if (job.finished_at) stmt->bind(6, *job.finished_at);
  else stmt->bind_null(6);
  if (auto status = stmt->bind(7, job.plan.dump()).bind(8, job.id).run(); !status) return status;
  if (!job.finished_at) return Ok{};
  // A finished job's input is not needed again.
  auto drop = db_.prepare("DELETE FROM job_payloads WHERE job_id = ?");
  if (!drop) return drop.take_error();
  return drop->bind(1, job.id).run();
}

}  // namespace leadline::store
