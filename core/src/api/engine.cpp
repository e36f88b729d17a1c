#include "leadline/engine.hpp"

#include "api/admin_commands.hpp"
#include "api/principal_token.hpp"
#include "api/replica_command.hpp"
#include "api/workspace_pool.hpp"
#include "api/audit_trail.hpp"
#include "api/authentication.hpp"
#include "api/envelope.hpp"
#include "api/idempotency.hpp"
#include "api/job_routes.hpp"
#include "api/request_preparation.hpp"
#include "api/router.hpp"
#include "api/webhook_delivery.hpp"
#include "api/webhook_outbox.hpp"
#include "guards/campaign_access.hpp"
#include "store/change_capture.hpp"
#include "store/data_folder.hpp"
#include "store/id_floor.hpp"
#include "store/key_store.hpp"
#include "store/migrations.hpp"
#include "store/online_backup.hpp"
#include "store/receipt_purge.hpp"
#include "store/replication.hpp"
#include "store/content_digest.hpp"
#include "validation/normalise.hpp"
#include "validation/strict_json.hpp"

#include <algorithm>
#include <any>
#include <chrono>
#include <exception>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

namespace leadline {
namespace {

std::int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}


Response internal_error() { return api::error_reply(Error{ErrorCode::Internal, "Internal error"}); }

// A host that calls in while a write is held broke the replication protocol: nothing runs.
Response held_refusal() {
  return api::error_reply(Error{ErrorCode::Internal, "a held write must be settled before anything else runs"});
}

// What a client sees of an internal failure: that it happened and under which id the server's
// log has the detail — never the detail itself (SQLite's text names tables and columns).
Response internal_reply(const std::string& request_id, std::string log_detail) {
  nlohmann::json error{{"code", "INTERNAL"}, {"message", "Internal error"}};
  if (!request_id.empty()) error["requestId"] = request_id;
  Response response;
  response.status = 500;
  response.headers["content-type"] = "application/json; charset=utf-8";
  response.body = nlohmann::json{{"success", false}, {"error", std::move(error)}}.dump();
  response.log_detail = std::move(log_detail);
  return response;
}

constexpr std::int64_t kDefaultReceiptRetentionMs = 7LL * 24 * 60 * 60 * 1000;
// Old idempotency records are swept inside a write, at most this often.
constexpr std::int64_t kHousekeepingIntervalMs = 60 * 1000;
// A purge slice erases rows of expired receipts a chunk at a time until it has spent its time
// budget (or reached the row bound): the budget is what a request arriving meanwhile may wait
// (bench/README.md: GET p99 during a purge). Measured on a monotonic clock, not the domain one.
constexpr std::int64_t kPurgeRowsPerSlice = 500;
constexpr std::int64_t kPurgeRowsPerChunk = 25;
constexpr auto kPurgeSliceBudget = std::chrono::milliseconds(3);
// A purge that failed or found nothing it may erase yet is tried again after this long, not in a loop.
constexpr std::int64_t kPurgeRetryMs = 60 * 1000;

// A dry run's reply: the real reply's data, marked, with the preview detail beside it and
// without the receipt (which was rolled back with everything else).
Response dry_run_reply(api::Reply& reply) {
  nlohmann::json data = reply.data.is_object() ? reply.data : nlohmann::json{{"result", reply.data}};
  data.erase("receiptId");
  data["dryRun"] = true;
  data["preview"] = std::move(reply.preview);
  return api::success_reply(reply.status, data, "Dry run: nothing was changed");
}

Error count_mismatch(std::int64_t expected, std::int64_t actual) {
  return Error{ErrorCode::CountMismatch,
               "expectedCount is " + std::to_string(expected) + " but this request would change " +
                   std::to_string(actual) + "; nothing was changed",
               {{"expectedCount", expected}, {"actualCount", actual}}};
}

}  // namespace

struct Engine::Impl {
  struct OpenStream {
    std::unique_ptr<api::ChunkSource> source;
    std::int64_t workspace_id;
  };

  EngineOptions options;
  store::DataFolder folder;
  IdGenerator ids;
  std::function<std::int64_t()> clock;
  // The catalog (Whole and Catalog roles).
  std::unique_ptr<store::Database> catalog;
  std::unique_ptr<store::KeyStore> keys;
  // Public routes read nothing a workspace owns; they run over the catalog (a workspace engine,
  // which a host may send them to with a remembered admission, over an empty in-memory database).
  std::unique_ptr<store::Database> scratch;
  std::unique_ptr<api::Services> public_services;
  // The workspaces (Whole and Workspaces roles).
  std::unique_ptr<api::WorkspacePool> workspaces;
  // Workspaces that may have unfinished jobs, worked in turn.
  std::set<std::int64_t> pending_jobs;
  std::int64_t last_worked = 0;
  // When each workspace's next purge is due: the earliest expiry among the receipts it holds.
  std::map<std::int64_t, std::int64_t> purge_due;
  std::int64_t last_purged = 0;
  std::map<std::int64_t, std::int64_t> last_housekeeping;
  // Webhooks: the deployment's rules, when each workspace's earliest pending delivery falls due,
  // and the deliveries handed to the host and not yet reported (by delivery id).
  api::WebhookPolicy webhook_policy;
  std::map<std::int64_t, std::int64_t> webhook_due;
  struct Lease {
    std::int64_t workspace_id;
    std::string receiver;
    std::int64_t expires_at;
  };
  std::map<std::int64_t, Lease> leases;
  std::map<unsigned, OpenStream> streams;
  unsigned last_stream = 0;
  // The backup in progress: what is left to copy, and the copy being written.
  struct Backup {
    Backup(std::string into, std::vector<std::int64_t> databases) : directory(std::move(into)), queue(std::move(databases)) {}
    std::string directory;
    std::vector<std::int64_t> queue;  // 0: the catalog; else a workspace id
    std::size_t next = 0;
    std::optional<store::OnlineBackup> current;
    int copied = 0;
  };
  std::optional<Backup> backup;
  // Replicating: the write or slice whose transaction waits for its place in the change log.
  struct HeldWrite {
    std::int64_t workspace_id;  // 0: the catalog
    store::Database* db;
    store::Transaction transaction;
    std::vector<std::string> written;
    bool queued_job;
  };
  std::optional<HeldWrite> held;
  // Replicating: the databases (0: the catalog) this engine answers for now; the rest follow.
  std::set<std::int64_t> owned;
  static constexpr int kBackupPagesPerStep = 1024;  // 4 MiB of 4 KiB pages

  // Bounded so abandoned exports (a host that never closes them) cannot pile up.
  static constexpr std::size_t kMaxOpenStreams = 32;
  // The catalog's ids come from their own origin, apart from every worker's.
  static constexpr unsigned kCatalogOrigin = IdGenerator::kOrigins - 1;

  explicit Impl(EngineOptions engine_options, std::string data_dir)
      : options(std::move(engine_options)),
        folder(std::move(data_dir)),
        ids(options.role == EngineRole::Catalog ? kCatalogOrigin : options.worker_index),
        clock(options.clock ? options.clock : system_clock_ms) {
    if (options.receipt_retention_ms <= 0) options.receipt_retention_ms = kDefaultReceiptRetentionMs;
    webhook_policy = api::WebhookPolicy{options.webhook_allow_private, options.webhook_retry_schedule_ms};
    if (options.replicate) options.capture_changes = true;
  }

  bool answers_for(std::int64_t id) const { return !options.replicate || owned.count(id) > 0; }

  bool holds_catalog() const { return options.role != EngineRole::Workspaces; }
  bool holds_workspaces() const { return options.role != EngineRole::Catalog; }
  bool owns(std::int64_t workspace_id) const {
    return options.role == EngineRole::Whole ||
           (options.role == EngineRole::Workspaces &&
            store::owning_worker(workspace_id, options.worker_count) == options.worker_index);
  }

  Status open() {
    if (auto created = folder.create_directories(); !created) return created;
    if (holds_catalog()) {
      auto db = store::Database::open(folder.catalog_path(), {options.exclusive_lock, true, 8 * 1024});
      if (!db) return db.take_error();
      catalog = std::move(*db);
      if (auto migrated = store::migrate(*catalog, store::Schema::Catalog); !migrated) return migrated;
      auto floor = store::max_used_id(*catalog, store::Schema::Catalog);
      if (!floor) return floor.take_error();
      ids.observe(*floor);
      keys = std::make_unique<store::KeyStore>(*catalog);
    } else {
      auto db = store::Database::open(":memory:", {true, true, 64});
      if (!db) return db.take_error();
      scratch = std::move(*db);
    }
    {
      auto& db_ref = catalog ? *catalog : *scratch;
      public_services = api::services_for(db_ref, ids, options.receipt_retention_ms, webhook_policy);
    }
    if (holds_workspaces()) {
      workspaces = std::make_unique<api::WorkspacePool>(
          folder,
          api::WorkspacePoolOptions{options.max_open_workspaces, options.workspace_cache_kib, options.exclusive_lock,
                                    options.receipt_retention_ms, &webhook_policy},
          ids);
      // Jobs left unfinished by an earlier process resume: find the workspaces that have any.
      auto present = folder.workspace_ids();
      if (!present) return present.take_error();
      for (auto id : *present) {
        if (!owns(id) || !answers_for(id)) continue;
        auto services = workspaces->open(id);
        if (!services) return services.take_error();
        auto next = (*services)->jobs.next_unfinished();
        if (!next) return next.take_error();
        if (*next) pending_jobs.insert(id);
        note_purge_due(**services, id);
        note_webhooks_due(**services, id);
      }
    }
    return Ok{};
  }

  // The file a write to `workspace_id` (0: the catalog) committed to, for the host to sync.
  std::vector<std::string> written(std::int64_t workspace_id) const {
    if (folder.in_memory()) return {};
    return {workspace_id == 0 ? folder.catalog_path() : folder.workspace_path(workspace_id)};
  }

  // The files of workspaces just created, added to what a reply says it wrote.
  void add_written(const std::vector<std::int64_t>& created, std::vector<std::string>& files) const {
    for (auto id : created)
      for (auto& path : written(id)) files.push_back(std::move(path));
  }

  Status housekeeping(api::Services& services, std::int64_t workspace_id, std::int64_t now) {
    auto& last = last_housekeeping[workspace_id];
    if (now - last < kHousekeepingIntervalMs) return Ok{};
    if (auto purged = services.idempotency.purge_before(now - api::kIdempotencyWindowMs); !purged)
      return purged.take_error();
    if (auto pruned = services.webhooks.prune_events(now - api::kEventRetentionMs); !pruned) return pruned.take_error();
    last = now;
    return Ok{};
  }

  // Best effort: if the lookup fails the workspace keeps its earlier due time, and the next
  // write or purge looks again.
  void note_purge_due(api::Services& services, std::int64_t workspace_id) {
    auto due = store::next_purge_due(services.db);
    if (!due) return;
    if (*due) purge_due[workspace_id] = **due;
    else purge_due.erase(workspace_id);
  }

  // Best effort like note_purge_due: a failed lookup leaves the earlier due time.
  void note_webhooks_due(api::Services& services, std::int64_t workspace_id) {
    auto due = services.webhooks.next_due();
    if (!due) return;
    if (*due) webhook_due[workspace_id] = **due;
    else webhook_due.erase(workspace_id);
  }

  // Route → (auth) → body → handler, in the order that makes a refused request change nothing.
  // The reply names the matched route's pattern (Response::route), whatever it says.
  Response run(const Request& request, bool validate_only) {
    auto query = validation::parse_query_string(request.query);
    if (!query) return api::error_reply(query.error());
    auto match = api::match_route(request.method, request.path);
    if (!match) return api::error_reply(match.error());
    auto response = run_route(request, *query, *match, validate_only);
    response.route = std::string(match->route->pattern);
    return response;
  }

  Response run_route(const Request& request, validation::QueryParams& query, const api::RouteMatch& match, bool validate_only) {
    const auto& route = *match.route;

    guards::Principal principal;
    if (validate_only || route.scope == api::Scope::None) {
      return run_authenticated(request, query, route, match, principal, validate_only,
                               validate_only ? nullptr : public_services.get());
    }
    if (!request.principal.empty()) {
      auto admitted = api::decode_principal(request.principal);
      if (!admitted) return api::error_reply(admitted.error());
      principal = std::move(*admitted);
    } else {
      if (!keys) return api::error_reply(Error{ErrorCode::Internal, "a request reached a workspace engine unadmitted"});
      auto authenticated = api::authenticate(request, query, *keys, options.allow_query_key);
      if (!authenticated) {
        auto refused = api::error_reply(authenticated.error());
        if (refused.status == 401) refused.credential = CredentialCheck::Refused;
        return refused;
      }
      principal = std::move(*authenticated);
    }
    Response verified;
    if (!owns(principal.workspace_id)) {
      // The catalog's engine: the workspace's own engine runs the rest.
      verified.forward = Response::Forward{store::owning_worker(principal.workspace_id, options.worker_count),
                                           api::encode_principal(principal), principal.workspace_id};
    } else {
      if (!answers_for(principal.workspace_id)) {
        return api::error_reply(Error{ErrorCode::Unavailable, "This node is not answering for the workspace now; retry",
                                      {{"retryAfter", 1}}});
      }
      auto services = workspaces->open(principal.workspace_id);
      if (!services) return api::error_reply(services.error());
      verified = run_authenticated(request, query, route, match, principal, false, *services);
    }
    verified.credential = CredentialCheck::Verified;
    return verified;
  }

  Response run_authenticated(const Request& request, validation::QueryParams& query_params, const api::Route& route,
                             const api::RouteMatch& match, const guards::Principal& principal, bool validate_only,
                             api::Services* services) {
    auto* query = &query_params;
    if (route.scope != api::Scope::None && !validate_only) {
      if (auto allowed = guards::require_scope(principal, route.scope == api::Scope::Read ? "read" : "write");
          !allowed)
        return api::error_reply(allowed.error());
      if (route.reach == api::Reach::Workspace) {
        if (auto allowed = guards::require_workspace_access(principal); !allowed) return api::error_reply(allowed.error());
      }
    }
    auto prepared = api::prepare_input(request, *query, route, {options.max_body_bytes, options.max_batch_body_bytes});
    if (!prepared) return api::error_reply(prepared.error());
    const bool has_body = prepared->has_body;
    auto& body = prepared->body;
    const auto* controls = &prepared->controls;
    const api::DecodeInput input{request, *query, match.params, has_body ? &body : nullptr, *controls};
    auto decoded = route.steps.decode(input);
    if (!decoded) return api::error_reply(decoded.error());
    if (validate_only) return reply(api::validated_reply(), 0);
    api::RouteContext context{request, *query, match.params, has_body ? &body : nullptr,
                              &principal, *services, clock(), *controls};
    if (!api::is_write_method(request.method))
      return reply(route.steps.execute(context, *decoded), principal.workspace_id);
    return run_write(route, context, *decoded);
  }

  // A write: idempotency check, one transaction around the handler, count guard, dry-run
  // rollback, audit entry and stored idempotent reply — all committed together or not at all.
  Response run_write(const api::Route& route, api::RouteContext& context, std::any& decoded) {
    const auto& request = context.request;
    auto& services = context.services;
    const auto workspace_id = context.principal->workspace_id;
    auto keyed = api::read_idempotency_key(request, *context.principal);
    if (!keyed) return api::error_reply(keyed.error());
    const bool remember = keyed->has_value() && !context.controls.dry_run;
    if (keyed->has_value()) {
      auto earlier = api::replay_or_refuse(services.idempotency, **keyed, request, context.now);
      if (!earlier) return api::error_reply(earlier.error());
      if (*earlier) return std::move(**earlier);
    }

    auto transaction = store::Transaction::begin(services.db);
    if (!transaction) return api::error_reply(transaction.error());
    auto capture = start_capture(services.db);
    if (!capture) return api::error_reply(capture.error());
    if (auto swept = housekeeping(services, workspace_id, context.now); !swept) return api::error_reply(swept.error());
    if (request.test_fault == "sqlite-error") {
      if (auto broken = services.db.prepare("SELECT no_such_column FROM no_such_table"); !broken)
        return api::error_reply(broken.error());
    }
    auto result = route.steps.execute(context, decoded);
    if (!result) return api::error_reply(result.error());
    const auto& expected = context.controls.expected_count;
    if (expected && result->affected.value_or(-1) != *expected) {
      return api::error_reply(count_mismatch(*expected, result->affected.value_or(0)));
    }
    if (context.controls.dry_run) return dry_run_reply(*result);  // the transaction rolls back

    const auto data = result->data;
    const int status = result->status;
    const bool keeps_no_request = result->keeps_no_request;
    auto queued = api::write_events(services, workspace_id, result->events, context.now);
    if (!queued) return api::error_reply(queued.error());
    Response response = reply(std::move(result), workspace_id);
    response.webhooks_due = *queued > 0;
    response.erased = keeps_no_request || context.controls.purge;
    const std::string route_name = std::string(route.method) + " " + std::string(route.pattern);
    if (auto logged = services.audit.append(api::audit_entry_for(route_name, context, status, data, keeps_no_request)); !logged)
      return api::error_reply(logged.error());
    if (remember) {
      if (auto stored = api::remember_reply(services.idempotency, **keyed, response, context.now); !stored)
        return api::error_reply(stored.error());
    }
    if (*capture) {
      auto changes = (*capture)->changeset();
      if (!changes) return api::error_reply(changes.error());
      response.changeset = std::move(*changes);
    }
    // 202: the request queued a job (an import, a large delete) that runs between requests.
    if (hold(*transaction, services.db, workspace_id, written(workspace_id), status == 202, response.changeset)) {
      response.held = true;
      return response;
    }
    if (auto committed = transaction->commit(); !committed) return api::error_reply(committed.error());
    response.committed = true;
    response.written = written(workspace_id);
    after_commit(services, workspace_id, status == 202);
    response.webhooks_due = response.webhooks_due || webhooks_due_now(workspace_id);
    return response;
  }

  // Whether a delivery of the workspace is due now (a retry or replay queued one, an endpoint
  // was turned on again), so the host's sender looks at once.
  bool webhooks_due_now(std::int64_t workspace_id) {
    auto due = webhook_due.find(workspace_id);
    return due != webhook_due.end() && due->second <= clock();
  }

  void after_commit(api::Services& services, std::int64_t workspace_id, bool queued_job) {
    note_purge_due(services, workspace_id);
    note_webhooks_due(services, workspace_id);
    if (queued_job) pending_jobs.insert(workspace_id);
  }

  // Replicating, a transaction with changes stays open for the host to settle (false: commit it
  // now — not replicating, or nothing changed, so the log has nothing to carry).
  bool hold(store::Transaction& transaction, store::Database& db, std::int64_t workspace_id,
            std::vector<std::string> files, bool queued_job, const std::string& changeset) {
    if (!options.replicate || changeset.empty()) return false;
    held.emplace(HeldWrite{workspace_id, &db, std::move(transaction), std::move(files), queued_job});
    return true;
  }

  // A slice's transaction: committed, or held like a write's.
  bool conclude_slice(store::Transaction& transaction, WorkSlice& slice, store::Database& db) {
    if (hold(transaction, db, slice.workspace_id, slice.written, false, slice.changeset)) {
      slice.held = true;
      return true;
    }
    return static_cast<bool>(transaction.commit());
  }

  // A recording of the transaction just begun on `db`, when changes are captured.
  Result<std::optional<store::ChangeCapture>> start_capture(store::Database& db) {
    if (!options.capture_changes) return std::optional<store::ChangeCapture>();
    auto started = store::ChangeCapture::start(db);
    if (!started) return started.take_error();
    return std::optional<store::ChangeCapture>(std::move(*started));
  }

  Response reply(Result<api::Reply> result, std::int64_t workspace_id) {
    if (!result) return api::error_reply(result.error());
    if (!result->stream) {
      auto response = api::success_reply(result->status, result->data, result->message);
      for (auto& [name, value] : result->headers) response.headers[name] = value;
      return response;
    }
    if (streams.size() >= kMaxOpenStreams) {
      return api::error_reply(Error{ErrorCode::Unavailable, "Too many exports in progress; retry shortly",
                                    {{"retryAfter", 1}}});
    }
    Response response;
    response.status = result->status;
    response.headers = result->headers;
    response.stream = ++last_stream;
    // The stream reads the workspace's database piece by piece: it stays open until the end.
    if (workspaces) workspaces->pin(workspace_id);
    streams.emplace(response.stream, OpenStream{std::move(result->stream), workspace_id});
    return response;
  }

  void end_stream(std::map<unsigned, OpenStream>::iterator found) {
    const auto workspace_id = found->second.workspace_id;
    streams.erase(found);
    if (workspaces) workspaces->unpin(workspace_id);
  }

  // What a slice about to commit reports: the file it writes and, if captured, its changes.
  Result<WorkSlice> finish_slice(std::optional<store::ChangeCapture>& capture, std::int64_t workspace_id) {
    WorkSlice slice{true, written(workspace_id), {}, workspace_id};
    if (capture) {
      auto changes = capture->changeset();
      if (!changes) return changes.take_error();
      slice.changeset = std::move(*changes);
    }
    return slice;
  }

  // One slice of background work in its own transaction: a job's slice first (workspaces take
  // turns), else a purge slice of a workspace whose expired receipts still hold rows. Idle, it
  // says when the next purge falls due.
  WorkSlice work() {
    if (auto slice = work_job()) return std::move(*slice);
    if (auto slice = work_purge()) return std::move(*slice);
    WorkSlice idle;
    if (!purge_due.empty()) {
      std::int64_t earliest = INT64_MAX;
      for (const auto& [id, due] : purge_due) earliest = std::min(earliest, due);
      idle.wake_in_ms = std::max<std::int64_t>(0, earliest - clock());
    }
    return idle;
  }

  // A purge slice for the next workspace (in turn) whose purge is due; nullopt if none is.
  std::optional<WorkSlice> work_purge() {
    if (!workspaces) return std::nullopt;
    const auto now = clock();
    auto next = purge_due.upper_bound(last_purged);
    for (std::size_t looked = 0; looked < purge_due.size(); ++looked, ++next) {
      if (next == purge_due.end()) next = purge_due.begin();
      if (next->second > now) continue;
      const auto workspace_id = next->first;
      last_purged = workspace_id;
      auto opened = workspaces->open(workspace_id);
      if (!opened) {
        purge_due.erase(next);
        return WorkSlice{true, {}, {}, 0};
      }
      auto& services = **opened;
      auto slice = purge_slice(services, workspace_id, now);
      if (!slice || !*slice) {
        // Failed, or due with nothing that may go yet (its delete job is still running): later.
        purge_due[workspace_id] = now + kPurgeRetryMs;
        return WorkSlice{true, {}, {}, 0};
      }
      if (!(*slice)->held) note_purge_due(services, workspace_id);
      return std::move(**slice);
    }
    return std::nullopt;
  }

  // nullopt: nothing was erased (the transaction is rolled back).
  Result<std::optional<WorkSlice>> purge_slice(api::Services& services, std::int64_t workspace_id, std::int64_t now) {
    auto transaction = store::Transaction::begin(services.db);
    if (!transaction) return transaction.take_error();
    auto capture = start_capture(services.db);
    if (!capture) return capture.take_error();
    const auto deadline = std::chrono::steady_clock::now() + kPurgeSliceBudget;
    auto purged = store::purge_expired_slice(services.db, now, kPurgeRowsPerSlice, kPurgeRowsPerChunk,
                                             [&] { return std::chrono::steady_clock::now() >= deadline; });
    if (!purged) return purged.take_error();
    if (purged->leads == 0 && purged->receipt_rows == 0 && purged->receipts == 0) return std::optional<WorkSlice>();
    auto slice = finish_slice(*capture, workspace_id);
    if (!slice) return slice.take_error();
    if (!conclude_slice(*transaction, *slice, services.db)) return Error{ErrorCode::Internal, "purge slice did not commit"};
    return std::optional<WorkSlice>(std::move(*slice));
  }

  // A job's slice for the next workspace (in turn) that has one; nullopt when none has. A slice
  // that fails rolls back and its job is marked failed, so one bad job cannot wedge the queue.
  std::optional<WorkSlice> work_job() {
    while (!pending_jobs.empty()) {
      auto next = pending_jobs.upper_bound(last_worked);
      if (next == pending_jobs.end()) next = pending_jobs.begin();
      const auto workspace_id = *next;
      last_worked = workspace_id;
      auto opened = workspaces->open(workspace_id);
      if (!opened) {
        pending_jobs.erase(workspace_id);
        continue;
      }
      auto& services = **opened;
      const auto now = clock();
      {
        auto transaction = store::Transaction::begin(services.db);
        if (!transaction) return WorkSlice{};
        auto capture = start_capture(services.db);
        if (!capture) return WorkSlice{};
        auto worked = api::run_next_job_slice(services, now);
        if (worked && !*worked) {
          pending_jobs.erase(workspace_id);
          continue;
        }
        if (worked) {
          auto slice = finish_slice(*capture, workspace_id);
          if (slice && conclude_slice(*transaction, *slice, services.db)) {
            if (!slice->held) note_webhooks_due(services, workspace_id);
            return std::move(*slice);
          }
        }
      }
      auto transaction = store::Transaction::begin(services.db);
      if (!transaction) return WorkSlice{};
      auto capture = start_capture(services.db);
      if (!capture) return WorkSlice{};
      if (!api::fail_next_job(services, "Internal error while running the job; the work of its earlier slices was kept", now))
        return WorkSlice{};
      auto slice = finish_slice(*capture, workspace_id);
      if (!slice || !conclude_slice(*transaction, *slice, services.db)) return WorkSlice{};
      if (!slice->held) note_webhooks_due(services, workspace_id);
      return std::move(*slice);
    }
    return std::nullopt;
  }

  // --- webhook delivery (api/webhook_delivery.hpp) ---------------------------------------

  Response deliver(const nlohmann::json& command) {
    const auto op = command.value("op", std::string());
    if (op == "due") return due_deliveries(command);
    if (op == "report") return report_attempt(command);
    if (op == "check-address") {
      if (!command.contains("address") || !command["address"].is_string())
        return api::error_reply(Error{ErrorCode::ValidationError, "check-address: address must be a string"});
      const auto refusal = api::address_refusal(command["address"].get<std::string>(), options.webhook_allow_private);
      return api::success_reply(200, {{"allowed", !refusal}, {"reason", refusal ? nlohmann::json(*refusal) : nlohmann::json(nullptr)}});
    }
    return api::error_reply(Error{ErrorCode::ValidationError, "deliver: op must be due, report or check-address"});
  }

  // Up to `limit` due deliveries of the workspaces this engine answers for, each leased until
  // reported (or until the lease runs out), at most kMaxInFlightPerReceiver per receiver.
  // `wakeInMs`: when to ask again if nothing is reported meanwhile.
  Response due_deliveries(const nlohmann::json& command) {
    const auto& limit = command.contains("limit") ? command["limit"] : nlohmann::json();
    if (!limit.is_number_integer() || limit.get<std::int64_t>() < 1 || limit.get<std::int64_t>() > 100)
      return api::error_reply(Error{ErrorCode::ValidationError, "due: limit must be from 1 to 100"});
    return api::success_reply(200, hand_out(limit.get<int>()));
  }

  // {deliveries, wakeInMs}: up to `limit_value` due deliveries, leased (see due_deliveries).
  nlohmann::json hand_out(int limit_value) {
    const auto now = clock();
    std::map<std::string, int> in_flight;
    for (auto lease = leases.begin(); lease != leases.end();) {
      if (lease->second.expires_at <= now) {
        lease = leases.erase(lease);
        continue;
      }
      ++in_flight[std::to_string(lease->second.workspace_id) + "/" + lease->second.receiver];
      ++lease;
    }
    nlohmann::json out = nlohmann::json::array();
    std::int64_t wake = -1;
    const auto consider_wake = [&](std::int64_t at) {
      const auto in = std::max<std::int64_t>(0, at - now);
      if (wake < 0 || in < wake) wake = in;
    };
    for (auto entry = webhook_due.begin(); entry != webhook_due.end();) {
      const auto [workspace_id, due_at] = *entry;
      if (!workspaces || !owns(workspace_id) || !answers_for(workspace_id)) {
        entry = webhook_due.erase(entry);
        continue;
      }
      ++entry;
      if (due_at > now) {
        consider_wake(due_at);
        continue;
      }
      if (static_cast<int>(out.size()) >= limit_value) {
        consider_wake(now);
        continue;
      }
      auto services = workspaces->open(workspace_id);
      if (!services) continue;
      std::set<std::int64_t> leased;
      for (const auto& [id, lease] : leases)
        if (lease.workspace_id == workspace_id) leased.insert(id);
      auto due = (*services)->webhooks.due(now, limit_value - static_cast<int>(out.size()), leased);
      if (!due) continue;
      // Nothing to hand out (its receiver was turned off, or all are out): look again at the due
      // time; one in the past now belongs to leased deliveries, whose expiry wakes the host.
      if (due->empty()) {
        note_webhooks_due(**services, workspace_id);
        if (auto later = webhook_due.find(workspace_id); later != webhook_due.end() && later->second > now)
          consider_wake(later->second);
        entry = webhook_due.upper_bound(workspace_id);
        continue;
      }
      for (const auto& delivery : *due) {
        auto& count = in_flight[std::to_string(workspace_id) + "/" + delivery.receiver];
        if (count >= api::kMaxInFlightPerReceiver) continue;
        ++count;
        leases[delivery.id] = Lease{workspace_id, delivery.receiver, now + api::kDeliveryLeaseMs};
        out.push_back(api::outgoing_delivery(workspace_id, delivery, now));
      }
    }
    for (const auto& [id, lease] : leases) consider_wake(lease.expires_at);
    return {{"deliveries", std::move(out)}, {"wakeInMs", wake < 0 ? nlohmann::json(nullptr) : nlohmann::json(wake)}};
  }

  // Attempts' outcomes, all of one workspace, recorded in one transaction (held like any write
  // when replicating).
  Response report_attempt(const nlohmann::json& command) {
    auto reports = api::decode_attempt_reports(command);
    if (!reports) return api::error_reply(reports.error());
    const auto workspace_id = reports->workspace_id;
    for (const auto& report : reports->attempts) leases.erase(report.delivery_id);
    if (!workspaces || !owns(workspace_id) || !answers_for(workspace_id))
      return api::error_reply(Error{ErrorCode::Unavailable, "This engine does not answer for the workspace"});
    auto opened = workspaces->open(workspace_id);
    if (!opened) return api::error_reply(opened.error());
    auto& services = **opened;
    auto transaction = store::Transaction::begin(services.db);
    if (!transaction) return api::error_reply(transaction.error());
    auto capture = start_capture(services.db);
    if (!capture) return api::error_reply(capture.error());
    const auto now = clock();
    nlohmann::json outcomes = nlohmann::json::array();
    for (const auto& report : reports->attempts) {
      auto recorded = api::record_attempt(services, workspace_id, report, now);
      if (!recorded) return api::error_reply(recorded.error());
      outcomes.push_back(std::move(*recorded));
    }
    nlohmann::json data{{"attempts", std::move(outcomes)}};
    Response response = api::success_reply(200, data);
    if (*capture) {
      auto changes = (*capture)->changeset();
      if (!changes) return api::error_reply(changes.error());
      response.changeset = std::move(*changes);
    }
    if (hold(*transaction, services.db, workspace_id, written(workspace_id), false, response.changeset)) {
      response.held = true;
      return response;
    }
    if (auto committed = transaction->commit(); !committed) return api::error_reply(committed.error());
    after_commit(services, workspace_id, false);
    // `next`: the host can send that many more; they come with this reply, saving it a call.
    if (reports->next > 0) {
      data.update(hand_out(reports->next));
      response = api::success_reply(200, data);
    }
    response.committed = true;
    response.written = written(workspace_id);
    return response;
  }

  StreamChunk read_stream(unsigned id) {
    StreamChunk chunk;
    auto found = streams.find(id);
    if (found == streams.end()) {
      chunk.done = true;
      chunk.failure = "unknown stream";
      return chunk;
    }
    auto piece = found->second.source->next();
    if (!piece) {
      chunk.done = true;
      chunk.failure = piece.error().message;
    } else if (!*piece) {
      chunk.done = true;
    } else {
      chunk.data = std::move(**piece);
    }
    if (chunk.done) end_stream(found);
    return chunk;
  }

  void close_stream(unsigned id) {
    if (auto found = streams.find(id); found != streams.end()) end_stream(found);
  }

  Result<BackupStep> backup_step(const std::string& directory) {
    if (folder.in_memory()) return Error{ErrorCode::Internal, "an in-memory engine has nothing to back up"};
    if (!backup || backup->directory != directory) {
      backup.reset();
      std::vector<std::int64_t> queue;
      if (catalog) queue.push_back(0);
      if (workspaces) {
        auto present = folder.workspace_ids();
        if (!present) return present.take_error();
        for (auto id : *present)
          if (owns(id)) queue.push_back(id);
      }
      std::error_code failure;
      std::filesystem::create_directories(std::filesystem::path(directory) / "workspaces", failure);
      if (failure) return Error{ErrorCode::Internal, "cannot create " + directory + ": " + failure.message()};
      backup.emplace(directory, std::move(queue));
    }
    const store::DataFolder target(directory);
    BackupStep step;
    if (!backup->current) {
      if (backup->next == backup->queue.size()) {
        step.done = true;
        step.copied = backup->copied;
        backup.reset();
        return step;
      }
      const auto id = backup->queue[backup->next];
      store::Database* source = catalog.get();
      if (id != 0) {
        auto opened = workspaces->open(id);
        if (!opened) return opened.take_error();
        source = &(*opened)->db;
        workspaces->pin(id);  // open until its copy is complete
      }
      auto started = store::OnlineBackup::start(*source, id == 0 ? target.catalog_path() : target.workspace_path(id));
      if (!started) {
        if (id != 0) workspaces->unpin(id);
        return started.take_error();
      }
      backup->current.emplace(std::move(*started));
    }
    const auto id = backup->queue[backup->next];
    auto finished = backup->current->step(kBackupPagesPerStep);
    if (!finished || *finished) {
      backup->current.reset();
      if (id != 0) workspaces->unpin(id);
    }
    if (!finished) return finished.take_error();
    if (*finished) {
      step.written.push_back(id == 0 ? target.catalog_path() : target.workspace_path(id));
      ++backup->next;
      ++backup->copied;
    }
    step.copied = backup->copied;
    return step;
  }

  // ---- Replication (options.replicate): see api/replica_command.hpp ----

  Response replicate(const api::ReplicaCommand& command) {
    using api::ReplicaOp;
    if (!options.replicate) return api::error_reply(Error{ErrorCode::Internal, "the engine was not opened to replicate"});
    if (command.op == ReplicaOp::Settle) return settle(command);
    if (command.op == ReplicaOp::CreateMissing) {
      auto created = create_missing_workspaces();
      if (!created) return api::error_reply(created.error());
      nlohmann::json names = nlohmann::json::array();
      for (auto id : *created) names.push_back(format_id(kWorkspaceIdPrefix, id));
      Response response = api::success_reply(200, {{"created", names}});
      add_written(*created, response.written);
      response.committed = !response.written.empty();
      return response;
    }
    const auto id = command.workspace_id;
    if (command.op == ReplicaOp::Discard) {
      if (id == 0 || !workspaces || !owns(id)) return api::error_reply(Error{ErrorCode::Internal, "discard: not a workspace of this engine"});
      forget_ownership(id);
      if (auto discarded = workspaces->discard(id); !discarded) return api::error_reply(discarded.error());
      return api::success_reply(200, {{"discarded", format_id(kWorkspaceIdPrefix, id)}});
    }
    if (command.op == ReplicaOp::InstallSnapshot) return install_snapshot(command);
    auto db = replica_database(id);
    if (!db) return api::error_reply(db.error());
    switch (command.op) {
      case ReplicaOp::Apply: {
        auto outcome = store::apply_entry(**db, {command.changeset, command.previous, {command.sequence, command.epoch}});
        if (!outcome) return api::error_reply(outcome.error());
        const bool applied = *outcome == store::ApplyOutcome::Applied;
        // Another owner wrote the next entry: whatever this engine thought, it owns nothing here now.
        if (applied) forget_ownership(id);
        Response response = api::success_reply(200, {{"applied", applied}, {"sequence", command.sequence}});
        if (!applied) return response;
        response.committed = true;
        response.written = written(id);
        if (id == 0) {
          auto created = create_missing_workspaces();
          if (!created) return api::error_reply(created.error());
          add_written(*created, response.written);
        }
        return response;
      }
      case ReplicaOp::Own: {
        auto floor = store::max_used_id(**db, id == 0 ? store::Schema::Catalog : store::Schema::Workspace);
        if (!floor) return api::error_reply(floor.error());
        ids.observe(*floor);
        owned.insert(id);
        if (id != 0) {
          auto services = workspaces->open(id);
          if (!services) return api::error_reply(services.error());
          auto next = (*services)->jobs.next_unfinished();
          if (!next) return api::error_reply(next.error());
          if (*next) pending_jobs.insert(id);
          note_purge_due(**services, id);
          note_webhooks_due(**services, id);
        }
        return position_reply(**db, false);
      }
      case ReplicaOp::Disown:
        forget_ownership(id);
        return position_reply(**db, false);
      case ReplicaOp::Position: return position_reply(**db, false);
      case ReplicaOp::Snapshot: {
        if (id == 0) return api::error_reply(Error{ErrorCode::Internal, "snapshot: the catalog is not snapshotted"});
        auto vacuum = (*db)->prepare("VACUUM INTO ?");
        if (!vacuum) return api::error_reply(vacuum.error());
        if (auto written = vacuum->bind(1, command.path).run(); !written) return api::error_reply(written.error());
        return position_reply(**db, false);
      }
      case ReplicaOp::Fingerprint: return position_reply(**db, true);
      default: return api::error_reply(Error{ErrorCode::Internal, "unhandled replication op"});
    }
  }

  // Replaces a workspace's copy with a snapshot another node wrote (a log whose history before
  // it was purged, or a rebuild that starts there).
  Response install_snapshot(const api::ReplicaCommand& command) {
    const auto id = command.workspace_id;
    auto db = replica_database(id);
    if (id == 0 || !db) return api::error_reply(Error{ErrorCode::Internal, "install-snapshot: not a workspace of this engine"});
    auto position = store::read_position(**db);
    if (!position) return api::error_reply(position.error());
    if (position->sequence > command.previous)
      return api::error_reply(Error{ErrorCode::Diverged, "the copy is past the entries the snapshot stands for"});
    forget_ownership(id);
    if (auto discarded = workspaces->discard(id); !discarded) return api::error_reply(discarded.error());
    std::error_code failure;
    std::filesystem::rename(command.path, workspaces->path_of(id), failure);
    if (failure) return api::error_reply(Error{ErrorCode::Internal, "install-snapshot: " + failure.message()});
    auto services = workspaces->open(id);
    if (!services) return api::error_reply(services.error());
    {
      auto transaction = store::Transaction::begin((*services)->db);
      if (!transaction) return api::error_reply(transaction.error());
      if (auto moved = store::write_position((*services)->db, {command.sequence, command.epoch}); !moved)
        return api::error_reply(moved.error());
      if (auto committed = transaction->commit(); !committed) return api::error_reply(committed.error());
    }
    Response response = api::success_reply(200, {{"sequence", command.sequence}});
    response.committed = true;
    response.written = written(id);
    return response;
  }

  void forget_ownership(std::int64_t id) {
    owned.erase(id);
    pending_jobs.erase(id);
    purge_due.erase(id);
  }

  Result<store::Database*> replica_database(std::int64_t id) {
    if (id == 0) {
      if (!catalog) return Error{ErrorCode::Internal, "this engine holds no catalog"};
      return catalog.get();
    }
    if (!workspaces || !owns(id)) return Error{ErrorCode::Internal, "this engine does not hold " + format_id(kWorkspaceIdPrefix, id)};
    auto services = workspaces->open(id);
    if (!services) return services.take_error();
    return &(*services)->db;
  }

  Response position_reply(store::Database& db, bool with_fingerprint) {
    auto position = store::read_position(db);
    if (!position) return api::error_reply(position.error());
    nlohmann::json data{{"sequence", position->sequence}, {"epoch", position->epoch}};
    if (with_fingerprint) {
      auto fingerprint = store::content_fingerprint(db, &db == catalog.get());
      if (!fingerprint) return api::error_reply(fingerprint.error());
      data["fingerprint"] = *fingerprint;
    }
    return api::success_reply(200, data);
  }

  // Ends the held write: committed as log entry `sequence` (the log holds it), or rolled back.
  Response settle(const api::ReplicaCommand& command) {
    if (!held) return api::error_reply(Error{ErrorCode::Internal, "settle: no write is held"});
    auto write = std::move(*held);
    held.reset();
    if (!command.commit) return api::success_reply(200, {{"committed", false}});  // `write` rolls back here
    auto current = store::read_position(*write.db);
    if (!current) return api::error_reply(current.error());
    if (command.sequence <= current->sequence || command.epoch < current->epoch)
      return api::error_reply(Error{ErrorCode::Internal, "settle: the entry does not follow the copy's position"});
    if (auto moved = store::write_position(*write.db, {command.sequence, command.epoch}); !moved)
      return api::error_reply(moved.error());
    if (auto committed = write.transaction.commit(); !committed) return api::error_reply(committed.error());
    Response response = api::success_reply(200, {{"committed", true}});
    response.committed = true;
    response.written = std::move(write.written);
    if (write.workspace_id == 0) {
      auto created = create_missing_workspaces();
      if (!created) return api::error_reply(created.error());
      add_written(*created, response.written);
    } else if (auto services = workspaces->open(write.workspace_id); services) {
      after_commit(**services, write.workspace_id, write.queued_job);
    }
    return response;
  }

  // The database of every workspace the catalog names that has none yet, each with its own row
  // as the catalog has it: so every node's copy starts the same, before the log's first entry.
  Result<std::vector<std::int64_t>> create_missing_workspaces() {
    std::vector<std::int64_t> created;
    if (!catalog) return created;
    std::vector<std::tuple<std::int64_t, std::string, std::int64_t>> rows;
    {
      auto select = catalog->prepare("SELECT id, name, created_at FROM workspaces ORDER BY id");
      if (!select) return select.take_error();
      while (select->step()) rows.emplace_back(select->int64(0), select->text(1), select->int64(2));
      if (auto failed = select->status(); !failed) return failed.take_error();
    }
    const auto open = folder.in_memory() && workspaces ? workspaces->open_ids() : std::vector<std::int64_t>{};
    for (const auto& [id, name, created_at] : rows) {
      if (folder.in_memory()) {
        if (std::find(open.begin(), open.end(), id) != open.end()) continue;
      } else {
        std::error_code failure;
        if (std::filesystem::exists(folder.workspace_path(id), failure)) continue;
      }
      if (workspaces) {
        if (auto made = workspaces->create(id, name, created_at); !made) return made.take_error();
      } else {
        api::WorkspacePool creator(folder, {0, 1024, options.exclusive_lock, options.receipt_retention_ms}, ids);
        if (auto made = creator.create(id, name, created_at); !made) return made.take_error();
      }
      created.push_back(id);
    }
    return created;
  }

  Response admin(const nlohmann::json& command) {
    if (options.replicate && api::admin_command_moves_files(command)) {
      return api::error_reply(Error::invalid_field(
          "command", "copies database files, which a cluster's change log cannot carry; run it on a single node"));
    }
    std::optional<unsigned> forward_to;
    std::vector<std::string> touched;
    const bool writes = api::admin_command_writes(command);
    // Replicating, a command that writes a workspace's rows runs in a captured transaction begun
    // when it opens the workspace, and is held like a request's write.
    struct WorkspaceWrite {
      std::int64_t id;
      store::Database* db;
      store::Transaction transaction;
      store::ChangeCapture capture;
    };
    std::optional<WorkspaceWrite> workspace_write;
    api::AdminServices services{
        keys.get(), ids, options.worker_count, catalog.get(), workspaces ? &folder : nullptr, touched,
        [&](std::int64_t id, const std::string& name, std::int64_t now) -> Status {
          // Replicating, every node creates it once the catalog row is committed (create_missing).
          if (options.replicate) return Ok{};
          if (!folder.in_memory()) touched.push_back(folder.workspace_path(id));
          if (workspaces) return workspaces->create(id, name, now);
          // The catalog's engine creates the file and lets go of it: the owning engine opens it.
          api::WorkspacePool creator(folder, {0, 1024, options.exclusive_lock, options.receipt_retention_ms}, ids);
          return creator.create(id, name, now);
        },
        [&](std::int64_t id) -> Result<api::Services*> {
          if (keys) {
            auto known = keys->workspace_exists(id);
            if (!known) return known.take_error();
            if (!*known) return Error{ErrorCode::NotFound, "Workspace not found"};
          }
          if (!owns(id)) {
            forward_to = store::owning_worker(id, options.worker_count);
            return Error{ErrorCode::Unavailable, "forwarded"};
          }
          if (options.replicate && writes && !catalog) {
            if (!answers_for(id)) return Error{ErrorCode::Unavailable, "This node is not answering for the workspace now"};
            auto opened = workspaces->open(id);
            if (!opened) return opened.take_error();
            auto transaction = store::Transaction::begin((*opened)->db);
            if (!transaction) return transaction.take_error();
            auto capture = store::ChangeCapture::start((*opened)->db);
            if (!capture) return capture.take_error();
            workspace_write.emplace(WorkspaceWrite{id, &(*opened)->db, std::move(*transaction), std::move(*capture)});
            return opened;
          }
          if (!folder.in_memory()) touched.push_back(folder.workspace_path(id));
          return workspaces->open(id);
        },
        [&](const std::function<void(const std::string&, store::Database&)>& visit) -> Status {
          if (catalog) visit("catalog", *catalog);
          if (!workspaces) return Ok{};
          auto present = folder.in_memory() ? Result<std::vector<std::int64_t>>(workspaces->open_ids())
                                            : folder.workspace_ids();
          if (!present) return present.take_error();
          // One at a time: opening the next may close the last (the pool is bounded).
          for (auto id : *present) {
            if (!owns(id)) continue;
            auto opened = workspaces->open(id);
            if (!opened) return opened.take_error();
            visit(format_id(kWorkspaceIdPrefix, id), (*opened)->db);
          }
          return Ok{};
        }};
    const auto forwarded = [&]() {
      Response forward;
      forward.forward = Response::Forward{*forward_to, ""};
      return forward;
    };
    if (!writes || !catalog) {
      auto result = api::run_admin_command(services, command, clock());
      if (forward_to) return forwarded();
      if (workspace_write && result) {
        auto changes = workspace_write->capture.changeset();
        if (!changes) return api::error_reply(changes.error());
        auto response = reply(std::move(result), 0);
        if (hold(workspace_write->transaction, *workspace_write->db, workspace_write->id,
                 written(workspace_write->id), false, *changes)) {
          response.held = true;
          response.changeset = std::move(*changes);
        }
        return response;
      }
      auto response = reply(std::move(result), 0);
      if (response.status < 300 && !touched.empty()) {
        response.committed = true;
        response.written = touched;
      }
      return response;
    }
    auto transaction = store::Transaction::begin(*catalog);
    if (!transaction) return api::error_reply(transaction.error());
    // Only a cluster's catalog travels as changes; elsewhere a catalog write has no reader for them.
    std::optional<store::ChangeCapture> capture;
    if (options.replicate) {
      auto started = store::ChangeCapture::start(*catalog);
      if (!started) return api::error_reply(started.error());
      capture.emplace(std::move(*started));
    }
    auto result = api::run_admin_command(services, command, clock());
    if (forward_to) return forwarded();
    if (!result) return api::error_reply(result.error());
    if (capture) {
      auto changes = capture->changeset();
      if (!changes) return api::error_reply(changes.error());
      if (hold(*transaction, *catalog, 0, written(0), false, *changes)) {
        auto response = reply(std::move(result), 0);
        response.held = true;
        response.changeset = std::move(*changes);
        return response;
      }
    }
    if (auto committed = transaction->commit(); !committed) return api::error_reply(committed.error());
    auto response = reply(std::move(result), 0);
    response.committed = true;
    response.written = written(0);
    for (auto& path : touched) response.written.push_back(path);
    return response;
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const std::string& data_dir, EngineOptions options) {
  if (options.worker_count == 0 || options.worker_index >= options.worker_count || options.worker_count > IdGenerator::kOrigins - 1)
    return Error{ErrorCode::Internal, "worker_index must be below worker_count (1 to 15)"};
  auto impl = std::make_unique<Impl>(std::move(options), data_dir);
  if (auto opened = impl->open(); !opened) return opened.take_error();
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Response Engine::handle(const Request& request) {
  if (impl_->held) return held_refusal();
  Response response;
  try {
    response = impl_->run(request, false);
  } catch (const std::exception& failure) {
    // Unexpected (a bug or resource exhaustion); the open transaction, if any, rolled back.
    response = internal_error();
    response.log_detail = std::string("exception: ") + failure.what();
  }
  if (response.status == 500) {
    auto route = std::move(response.route);
    response = internal_reply(request.request_id, std::move(response.log_detail));
    response.route = std::move(route);
  }
  return response;
}

StreamChunk Engine::read_stream(unsigned stream) {
  try {
    return impl_->read_stream(stream);
  } catch (const std::exception&) {
    impl_->close_stream(stream);
    return StreamChunk{"", true, "Internal error"};
  }
}

void Engine::close_stream(unsigned stream) { impl_->close_stream(stream); }

WorkSlice Engine::work() {
  if (impl_->held) return {};
  try {
    return impl_->work();
  } catch (const std::exception&) {
    return {};
  }
}

BackupStep Engine::backup_step(const std::string& directory) {
  try {
    auto step = impl_->backup_step(directory);
    if (step) return std::move(*step);
    impl_->backup.reset();
    BackupStep failed;
    failed.failure = step.error().message;
    return failed;
  } catch (const std::exception& failure) {
    impl_->backup.reset();
    BackupStep failed;
    failed.failure = failure.what();
    return failed;
  }
}

Response Engine::validate(const Request& request) {
  try {
    return impl_->run(request, true);
  } catch (const std::exception&) {
    return internal_error();
  }
}

Response Engine::replicate(const std::string& command_json) {
  try {
    auto command = validation::parse_strict_json(command_json, "command");
    if (!command) return api::error_reply(command.error());
    auto decoded = api::decode_replica_command(*command);
    if (!decoded) return api::error_reply(decoded.error());
    if (impl_->held && decoded->op != api::ReplicaOp::Settle) return held_refusal();
    return impl_->replicate(*decoded);
  } catch (const std::exception& failure) {
    auto response = internal_error();
    response.log_detail = std::string("exception: ") + failure.what();
    return response;
  }
}

Response Engine::deliver(const std::string& command_json) {
  try {
    if (impl_->held) return held_refusal();
    auto command = validation::parse_strict_json(command_json, "command");
    if (!command) return api::error_reply(command.error());
    return impl_->deliver(*command);
  } catch (const std::exception& failure) {
    auto response = internal_error();
    response.log_detail = std::string("exception: ") + failure.what();
    return response;
  }
}

Response Engine::admin(const std::string& command_json) {
  try {
    if (impl_->held) return held_refusal();
    auto command = validation::parse_strict_json(command_json, "command");
    if (!command) return api::error_reply(command.error());
    return impl_->admin(*command);
  } catch (const std::exception&) {
    return internal_error();
  }
}

}  // namespace leadline
