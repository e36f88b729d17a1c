#include "api/job_routes.hpp"

#include "api/lead_deletion_unit.hpp"
#include "api/lead_update_routes.hpp"

#include "domain/vocabulary.hpp"

#include "api/lead_routes.hpp"
#include "api/receipts.hpp"
#include "api/webhook_outbox.hpp"
#include "batch/lead_import_slice.hpp"
#include "leadline/time_format.hpp"
#include "validation/history_queries.hpp"
#include "validation/csv_reader.hpp"
#include "validation/lead_import_input.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;

// Rows per slice: small enough that a slice takes tens of milliseconds, so requests queued
// behind it wait little; large enough that an import is not dominated by per-slice commits.
constexpr std::int64_t kRowsPerSlice = 2000;
// A delete marks leads rather than copying and unlinking them, so a slice of 5,000 costs what 2,000
// did before marks (~35 ms in the wasm engine), and half the slices means half the commits and
// half the reads of the job's id list.
constexpr std::int64_t kLeadsPerDeleteSlice = 5000;
// A file with a million bad rows must not grow the job row without bound.
constexpr std::size_t kMaxReportedErrors = 1000;

}  // namespace

json job_to_json(const store::JobRecord& job) {
  const double progress = job.total > 0 ? static_cast<double>(job.processed) / static_cast<double>(job.total) : 1.0;
  return {{"id", format_id(kJobIdPrefix, job.id)},
          {"kind", job.kind},
          {"status", job.status},
          {"total", job.total},
          {"processed", job.processed},
          {"progress", progress},
          {"result", job.result},
          {"keyPrefix", job.key_prefix},
          {"createdAt", format_timestamp(job.created_at)},
          {"updatedAt", format_timestamp(job.updated_at)},
          {"finishedAt", job.finished_at ? json(format_timestamp(*job.finished_at)) : json(nullptr)}};
}

namespace {

Result<store::JobRecord> load_job(RouteContext& context) {
  const auto& job_id = context.path_params[0];
  const auto not_found = Error{ErrorCode::NotFound, "Job not found", {{"details", {{"jobId", job_id}}}}};
  const auto id = parse_id(kJobIdPrefix, job_id);
  if (!id) return not_found;
  auto job = context.services.jobs.find(context.principal->workspace_id, *id);
  if (!job) return job.take_error();
  if (!*job) return not_found;
  return std::move(**job);
}

}  // namespace

store::JobRecord new_job(RouteContext& context, std::string_view kind, std::int64_t total, json result) {
  store::JobRecord job;
  job.id = context.services.ids.next(context.now);
  job.workspace_id = context.principal->workspace_id;
  job.kind = std::string(kind);
  job.status = domain::to_string(domain::JobStatus::Queued);
  job.key_prefix = key_prefix_of(*context.principal);
  job.total = total;
  job.result = std::move(result);
  job.created_at = job.updated_at = context.now;
  return job;
}

std::string id_list_payload(const std::vector<std::int64_t>& ids) {
  std::string payload;
  for (auto id : ids) {
    if (!payload.empty()) payload += ',';
    payload += std::to_string(id);
  }
  return payload;
}

std::vector<std::int64_t> next_payload_ids(const std::string& payload, std::size_t& position, std::int64_t max) {
  std::vector<std::int64_t> ids;
  while (position < payload.size() && static_cast<std::int64_t>(ids.size()) < max) {
    auto comma = payload.find(',', position);
    if (comma == std::string::npos) comma = payload.size();
    ids.push_back(std::stoll(payload.substr(position, comma - position)));
    position = comma + 1;
  }
  position = std::min(position, payload.size());
  return ids;
}

Reply queued_job_reply(RouteContext& context, const store::JobRecord& job, json data, std::string message) {
  data["job"] = job_to_json(job);
  Reply reply{202, std::move(data), std::move(message)};
  reply.headers["location"] = context.request.path.substr(0, context.request.path.rfind("/leads")) + "/jobs/" +
                              format_id(kJobIdPrefix, job.id);
  return reply;
}

namespace {

// {field: header} of the columns an import reads, as the reply shows them.
json mapped_columns(const validation::LeadImportPlan& plan) {
  json mapped = json::object();
  for (const auto& [field, index] : plan.columns)
    if (index < plan.header_names.size()) mapped[field] = plan.header_names[index];
  return mapped;
}

// The first rows as they would be stored, for a dry run: what the console's mapping step shows.
constexpr int kImportPreviewRows = 5;

Result<Reply> preview_import(const validation::LeadImportPlan& plan, const std::string& csv) {
  json rows = json::array();
  validation::CsvReader reader(csv, plan.data_offset, plan.data_line);
  for (int i = 1; i <= kImportPreviewRows; ++i) {
    auto cells = reader.next();
    if (!cells) return cells.take_error();
    if (!*cells) break;
    json shown{{"row", i}};
    auto row = validation::read_import_row(plan, **cells);
    if (!row) {
      shown["error"] = row.error().message;
    } else {
      auto lead = lead_to_json(row->lead);
      for (const char* stored_only : {"id", "createdAt", "updatedAt"}) lead.erase(stored_only);
      shown["lead"] = std::move(lead);
    }
    rows.push_back(std::move(shown));
  }
  Reply reply{200, {{"total", plan.total_rows}, {"columns", plan.header_names}, {"mappedColumns", mapped_columns(plan)},
                    {"ignoredColumns", plan.ignored_columns}}};
  reply.preview["rows"] = std::move(rows);
  reply.affected = static_cast<std::int64_t>(plan.total_rows);
  return reply;
}

}  // namespace

Result<Reply> import_leads(RouteContext& context, validation::LeadImportPlan& decoded) {
  auto* plan = &decoded;
  if (context.controls.dry_run) return preview_import(*plan, (*context.body)["csv"].get<std::string>());
  auto job = new_job(context, domain::to_string(domain::JobKind::LeadImport), static_cast<std::int64_t>(plan->total_rows),
                     {{"created", 0}, {"updated", 0}, {"skipped", 0}, {"failed", 0}, {"suppressed", 0}, {"errors", json::array()},
                      {"suppressedRows", json::array()}, {"ignoredColumns", plan->ignored_columns},
                      {"mappedColumns", mapped_columns(*plan)}});
  job.plan = validation::import_plan_to_json(*plan);
  job.cursor = static_cast<std::int64_t>(plan->data_offset);
  job.plan["nextLine"] = plan->data_line;
  if (auto status = context.services.jobs.insert(job, (*context.body)["csv"].get<std::string>()); !status)
    return status.take_error();
  Reply reply{202, job_to_json(job), "Import queued"};
  reply.headers["location"] = context.request.path.substr(0, context.request.path.find("/leads/import")) + "/jobs/" +
                              format_id(kJobIdPrefix, job.id);
  return reply;
}

Result<Reply> list_jobs(RouteContext& context, validation::PageRequest& decoded) {
  auto* page_request = &decoded;
  auto page = context.services.jobs.list(context.principal->workspace_id, page_request->limit, page_request->before_id);
  if (!page) return page.take_error();
  json jobs = json::array();
  for (const auto& job : page->jobs) jobs.push_back(job_to_json(job));
  json next_cursor = nullptr;
  if (page->has_more) next_cursor = validation::encode_cursor(page->jobs.back().id);
  return Reply{200, {{"jobs", std::move(jobs)}, {"nextCursor", next_cursor}, {"hasMore", page->has_more}}};
}

Result<Reply> get_job(RouteContext& context, NothingDecoded&) {
  auto job = load_job(context);
  if (!job) return job.take_error();
  return Reply{200, job_to_json(*job)};
}

Result<Reply> cancel_job(RouteContext& context, NothingDecoded&) {
  auto job = load_job(context);
  if (!job) return job.take_error();
  if (job->status != domain::to_string(domain::JobStatus::Queued) &&
      job->status != domain::to_string(domain::JobStatus::Running)) {
    return Error{ErrorCode::Conflict, "Job already " + job->status,
                 {{"details", {{"jobId", context.path_params[0]}, {"status", job->status}}}}};
  }
  job->status = domain::to_string(domain::JobStatus::Cancelled);
  job->updated_at = context.now;
  job->finished_at = context.now;
  if (auto status = context.services.jobs.save(*job); !status) return status.take_error();
  return Reply{200, job_to_json(*job), "Job cancelled"};
}

namespace {

Status run_import_slice(Services& services, store::JobRecord& job, const std::string& payload, std::int64_t now) {
  const auto plan = validation::import_plan_from_json(job.plan);
  auto slice = batch::import_slice(plan, payload, job.cursor, job.plan.value("nextLine", std::int64_t{1}),
                                   job.processed, kRowsPerSlice, job.workspace_id, services.leads, services.suppressions,
                                   services.ids, now);
  if (!slice) return slice.take_error();
  auto& result = job.result;
  result["created"] = result["created"].get<std::int64_t>() + slice->created;
  result["updated"] = result.value("updated", std::int64_t{0}) + slice->updated;
  result["skipped"] = result["skipped"].get<std::int64_t>() + slice->skipped;
  result["failed"] = result["failed"].get<std::int64_t>() + slice->failed;
  // Jobs made before the suppression list have no such counts yet.
  result["suppressed"] = result.value("suppressed", std::int64_t{0}) + slice->suppressed;
  if (!result.contains("suppressedRows")) result["suppressedRows"] = json::array();
  const auto report = [&](json& listed, json& rows, const char* truncated) {
    for (auto& row : rows) {
      if (listed.size() >= kMaxReportedErrors) {
        result[truncated] = true;
        break;
      }
      listed.push_back(std::move(row));
    }
  };
  report(result["errors"], slice->errors, "errorsTruncated");
  report(result["suppressedRows"], slice->suppressed_rows, "suppressedRowsTruncated");
  job.cursor = slice->next_cursor;
  job.plan["nextLine"] = slice->next_line;
  job.processed += slice->rows;
  if (slice->finished) job.status = domain::to_string(domain::JobStatus::Succeeded);
  return Ok{};
}

// A background delete: the selection was fixed (as comma-separated ids) when the job was made,
// with the protection check and the receipt; each slice deletes the next ids into that receipt.
Status run_delete_slice(Services& services, store::JobRecord& job, const std::string& payload) {
  auto position = static_cast<std::size_t>(job.cursor);
  const auto ids = next_payload_ids(payload, position, kLeadsPerDeleteSlice);
  if (auto selected = services.deletion.select_ids(ids); !selected) return selected.take_error();
  const auto receipt_id = job.plan.value("receiptId", std::int64_t{0});
  auto receipt = services.receipts.find(job.workspace_id, receipt_id);
  if (!receipt) return receipt.take_error();
  if (!*receipt) return Error{ErrorCode::Internal, "background delete: its receipt is gone"};
  // Leads that joined an active campaign since the job was made are protected now: skipped.
  DeletionRules rules{Protection::Skip, job.plan.value("force", false)};
  if ((*receipt)->restorable) rules.capture_into = receipt_id;
  auto done = delete_selected_leads(services, rules);
  if (!done) return done.take_error();
  job.result["skippedProtected"] = job.result["skippedProtected"].get<std::int64_t>() + done->skipped_protected;
  json summary = (*receipt)->summary.is_object() ? (*receipt)->summary : json::object();
  for (const auto& [kind, count] : done->captured.items())
    summary[kind] = summary.value(kind, std::int64_t{0}) + count.get<std::int64_t>();
  summary["leads"] = summary.value("leads", std::int64_t{0}) + done->deleted;
  if (auto status = services.receipts.set_summary(receipt_id, summary); !status) return status.take_error();
  job.result["deleted"] = job.result["deleted"].get<std::int64_t>() + done->deleted;
  job.cursor = static_cast<std::int64_t>(position);
  job.processed += static_cast<std::int64_t>(ids.size());
  if (job.cursor >= static_cast<std::int64_t>(payload.size())) job.status = domain::to_string(domain::JobStatus::Succeeded);
  return Ok{};
}

// What a finished job reports to webhooks: a large delete its deleted leads (one event with the
// counts and the receipt, like a small delete's), an import its completion, a failure itself.
std::vector<PendingEvent> finished_job_events(const store::JobRecord& job) {
  json counts = json::object();
  for (const auto& [key, value] : job.result.items())
    if (value.is_number()) counts[key] = value;
  const auto job_id = format_id(kJobIdPrefix, job.id);
  if (job.status == domain::to_string(domain::JobStatus::Failed)) {
    return {{domain::WebhookEvent::JobFailed, std::nullopt,
             {{"jobId", job_id}, {"kind", job.kind}, {"error", job.result.value("error", std::string())}, {"counts", counts}}}};
  }
  if (job.kind == domain::to_string(domain::JobKind::LeadDelete)) {
    json data{{"jobId", job_id}, {"deletedCount", job.result.value("deleted", std::int64_t{0})}, {"counts", counts}};
    if (auto receipt = job.plan.value("receiptId", std::int64_t{0}); receipt != 0) data["receiptId"] = format_id(kReceiptIdPrefix, receipt);
    return {{domain::WebhookEvent::LeadDeleted, std::nullopt, std::move(data)}};
  }
  if (job.kind == domain::to_string(domain::JobKind::LeadUpdate)) {
    json data{{"jobId", job_id}, {"updatedCount", job.result.value("updated", std::int64_t{0})}, {"counts", counts}};
    if (auto receipt = job.plan.value("receiptId", std::int64_t{0}); receipt != 0) data["receiptId"] = format_id(kReceiptIdPrefix, receipt);
    return {{domain::WebhookEvent::LeadUpdated, std::nullopt, std::move(data)}};
  }
  return {{domain::WebhookEvent::ImportCompleted, std::nullopt,
           {{"jobId", job_id}, {"total", job.total}, {"processed", job.processed}, {"counts", counts}}}};
}

}  // namespace

Result<bool> run_next_job_slice(Services& services, std::int64_t now) {
  auto next = services.jobs.next_unfinished();
  if (!next) return next.take_error();
  if (!*next) return false;
  auto& job = **next;
  auto payload = services.jobs.payload(job.id);
  if (!payload) return payload.take_error();
  job.status = domain::to_string(domain::JobStatus::Running);
  auto ran = job.kind == domain::to_string(domain::JobKind::LeadDelete)   ? run_delete_slice(services, job, *payload)
             : job.kind == domain::to_string(domain::JobKind::LeadUpdate) ? run_update_slice(services, job, *payload, now)
                                                                           : run_import_slice(services, job, *payload, now);
  if (!ran) return ran.take_error();
  job.updated_at = now;
  const bool finished = job.status == domain::to_string(domain::JobStatus::Succeeded);
  if (finished) job.finished_at = now;
  if (auto status = services.jobs.save(job); !status) return status.take_error();
  if (finished) {
    if (auto written = write_events(services, job.workspace_id, finished_job_events(job), now); !written)
      return written.take_error();
  }
  return true;
}

Status fail_next_job(Services& services, const std::string& message, std::int64_t now) {
  auto next = services.jobs.next_unfinished();
  if (!next) return next.take_error();
  if (!*next) return Ok{};
  auto& job = **next;
  job.status = domain::to_string(domain::JobStatus::Failed);
  job.result["error"] = message;
  job.updated_at = now;
  job.finished_at = now;
  if (auto saved = services.jobs.save(job); !saved) return saved;
  auto written = write_events(services, job.workspace_id, finished_job_events(job), now);
  if (!written) return written.take_error();
  return Ok{};
}

}  // namespace leadline::api
