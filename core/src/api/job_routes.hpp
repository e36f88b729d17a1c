#pragma once
// Long work as jobs: CSV import, job progress, cancellation.

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/history_queries.hpp"
#include "validation/lead_import_input.hpp"

namespace leadline::api {

/// POST /leads/import — {csv, mapping?, tags?}: checks the whole file, then 202 with the job
/// (and `Location`); rows are imported in slices between other requests.
Result<Reply> import_leads(RouteContext& context, validation::LeadImportPlan& decoded);
/// GET /jobs — the workspace's jobs, newest first.
Result<Reply> list_jobs(RouteContext& context, validation::PageRequest& decoded);
/// GET /jobs/{id} — status, progress (processed / total) and the result so far.
Result<Reply> get_job(RouteContext& context, NothingDecoded&);
/// POST /jobs/{id}/cancel — stops a queued or running job after the slice in progress; rows
/// already imported stay (the result says how many). 409 for a finished job.
Result<Reply> cancel_job(RouteContext& context, NothingDecoded&);

/// A new queued job of `kind` for the caller, over `total` items, with `result` as its
/// starting counts.
store::JobRecord new_job(RouteContext& context, std::string_view kind, std::int64_t total, nlohmann::json result);
/// A job payload listing lead ids ("1,2,3"), as background deletes and edits keep their selection.
std::string id_list_payload(const std::vector<std::int64_t>& ids);
/// Up to `max` ids of such a payload from `position` on; `position` moves past them.
std::vector<std::int64_t> next_payload_ids(const std::string& payload, std::size_t& position, std::int64_t max);
/// The 202 for a request that became `job`: `data` with the job in it, and its `Location`.
Reply queued_job_reply(RouteContext& context, const store::JobRecord& job, nlohmann::json data, std::string message);
/// The public form of a job.
nlohmann::json job_to_json(const store::JobRecord& job);

/// Runs one slice of the oldest unfinished job (the caller holds the transaction). Returns
/// false when there was no job to work on.
Result<bool> run_next_job_slice(Services& services, std::int64_t now);
/// Marks the oldest unfinished job failed with `message` (after a slice failed and rolled back).
Status fail_next_job(Services& services, const std::string& message, std::int64_t now);

}  // namespace leadline::api
