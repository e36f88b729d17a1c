#include "leadline/engine.hpp"

#include "api/admin_commands.hpp"
#include "api/audit_trail.hpp"
#include "api/authentication.hpp"
#include "api/envelope.hpp"
#include "api/idempotency.hpp"
#include "api/job_routes.hpp"
#include "api/request_preparation.hpp"
#include "api/router.hpp"
#include "guards/campaign_access.hpp"
#include "store/migrations.hpp"
#include "validation/normalise.hpp"
#include "validation/strict_json.hpp"

#include <any>
#include <chrono>
#include <map>
#include <exception>

namespace leadline {
namespace {

std::int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}


Response internal_error() { return api::error_reply(Error{ErrorCode::Internal, "Internal error"}); }

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
// Expired receipts and idempotency records are swept inside a write, at most this often.
constexpr std::int64_t kHousekeepingIntervalMs = 60 * 1000;

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
  std::unique_ptr<store::Database> db;
  IdGenerator ids;
  api::Services services;
  std::function<std::int64_t()> clock;
  bool allow_query_key = true;
  std::size_t max_body_bytes;
  std::size_t max_batch_body_bytes;
  std::map<unsigned, std::unique_ptr<api::ChunkSource>> streams;
  unsigned last_stream = 0;

  // Bounded so abandoned exports (a host that never closes them) cannot pile up.
  static constexpr std::size_t kMaxOpenStreams = 32;

  std::int64_t last_housekeeping = 0;

  Impl(std::unique_ptr<store::Database> database, EngineOptions options)
      : db(std::move(database)),
        services{*db,
                 store::KeyStore(*db),
                 store::LeadStore(*db),
                 store::CampaignStore(*db),
                 store::MembershipStore(*db),
                 store::CampaignOwnedStore(*db),
                 store::CampaignCascade(*db),
                 store::LeadDeletion(*db),
                 store::ReceiptStore(*db),
                 store::AuditStore(*db),
                 store::IdempotencyStore(*db),
                 store::JobStore(*db),
                 ids,
                 options.receipt_retention_ms > 0 ? options.receipt_retention_ms : kDefaultReceiptRetentionMs},
        clock(options.clock ? std::move(options.clock) : system_clock_ms),
        allow_query_key(options.allow_query_key),
        max_body_bytes(options.max_body_bytes),
        max_batch_body_bytes(options.max_batch_body_bytes) {}

  Status housekeeping(std::int64_t now) {
    if (now - last_housekeeping < kHousekeepingIntervalMs) return Ok{};
    if (auto purged = services.receipts.purge_expired(now); !purged) return purged.take_error();
    if (auto purged = services.idempotency.purge_before(now - api::kIdempotencyWindowMs); !purged)
      return purged.take_error();
    last_housekeeping = now;
    return Ok{};
  }

  // Route → (auth) → body → handler, in the order that makes a refused request change nothing.
  Response run(const Request& request, bool validate_only) {
    auto query = validation::parse_query_string(request.query);
    if (!query) return api::error_reply(query.error());
    auto match = api::match_route(request.method, request.path);
    if (!match) return api::error_reply(match.error());
    const auto& route = *match->route;

    guards::Principal principal;
    if (route.scope != api::Scope::None && !validate_only) {
      auto authenticated = api::authenticate(request, *query, services.keys, allow_query_key);
      if (!authenticated) {
        auto refused = api::error_reply(authenticated.error());
        if (refused.status == 401) refused.credential = CredentialCheck::Refused;
        return refused;
      }
      principal = std::move(*authenticated);
      auto verified = run_authenticated(request, *query, route, *match, principal, validate_only);
      verified.credential = CredentialCheck::Verified;
      return verified;
    }
    return run_authenticated(request, *query, route, *match, principal, validate_only);
  }

  Response run_authenticated(const Request& request, validation::QueryParams& query_params, const api::Route& route,
                             const api::RouteMatch& match, const guards::Principal& principal, bool validate_only) {
    auto* query = &query_params;
    if (route.scope != api::Scope::None && !validate_only) {
      if (auto allowed = guards::require_scope(principal, route.scope == api::Scope::Read ? "read" : "write");
          !allowed)
        return api::error_reply(allowed.error());
      if (route.reach == api::Reach::Workspace) {
        if (auto allowed = guards::require_workspace_access(principal); !allowed) return api::error_reply(allowed.error());
      }
    }
    auto prepared = api::prepare_input(request, *query, route, {max_body_bytes, max_batch_body_bytes});
    if (!prepared) return api::error_reply(prepared.error());
    const bool has_body = prepared->has_body;
    auto& body = prepared->body;
    const auto* controls = &prepared->controls;
    const api::DecodeInput input{request, *query, match.params, has_body ? &body : nullptr, *controls};
    auto decoded = route.steps.decode(input);
    if (!decoded) return api::error_reply(decoded.error());
    if (validate_only) return reply(api::validated_reply());
    api::RouteContext context{request, *query, match.params, has_body ? &body : nullptr,
                              &principal, services, clock(), *controls};
    if (!api::is_write_method(request.method)) return reply(route.steps.execute(context, *decoded));
    return run_write(route, context, *decoded);
  }

  // A write: idempotency check, one transaction around the handler, count guard, dry-run
  // rollback, audit entry and stored idempotent reply — all committed together or not at all.
  Response run_write(const api::Route& route, api::RouteContext& context, std::any& decoded) {
    const auto& request = context.request;
    auto keyed = api::read_idempotency_key(request, *context.principal);
    if (!keyed) return api::error_reply(keyed.error());
    const bool remember = keyed->has_value() && !context.controls.dry_run;
    if (keyed->has_value()) {
      auto earlier = api::replay_or_refuse(services.idempotency, **keyed, request, context.now);
      if (!earlier) return api::error_reply(earlier.error());
      if (*earlier) return std::move(**earlier);
    }

    auto transaction = store::Transaction::begin(*db);
    if (!transaction) return api::error_reply(transaction.error());
    if (auto swept = housekeeping(context.now); !swept) return api::error_reply(swept.error());
    if (request.test_fault == "sqlite-error") {
      if (auto broken = db->prepare("SELECT no_such_column FROM no_such_table"); !broken)
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
    Response response = reply(std::move(result));
    const std::string route_name = std::string(route.method) + " " + std::string(route.pattern);
    if (auto logged = services.audit.append(api::audit_entry_for(route_name, context, status, data)); !logged)
      return api::error_reply(logged.error());
    if (remember) {
      if (auto stored = api::remember_reply(services.idempotency, **keyed, response, context.now); !stored)
        return api::error_reply(stored.error());
    }
    if (auto committed = transaction->commit(); !committed) return api::error_reply(committed.error());
    response.committed = true;
    return response;
  }

  Response reply(Result<api::Reply> result) {
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
    streams.emplace(response.stream, std::move(result->stream));
    return response;
  }

  // One slice of background work in its own transaction. A slice that fails rolls back and
  // its job is marked failed, so one bad job cannot wedge the queue.
  bool work() {
    const auto now = clock();
    {
      auto transaction = store::Transaction::begin(*db);
      if (!transaction) return false;
      auto worked = api::run_next_job_slice(services, now);
      if (worked) {
        if (!*worked) return false;
        if (transaction->commit()) return true;
      }
    }
    auto transaction = store::Transaction::begin(*db);
    if (!transaction) return false;
    if (!api::fail_next_job(services, "Internal error while importing; rows before this point were kept", now))
      return false;
    return static_cast<bool>(transaction->commit());
  }

  StreamChunk read_stream(unsigned id) {
    StreamChunk chunk;
    auto found = streams.find(id);
    if (found == streams.end()) {
      chunk.done = true;
      chunk.failure = "unknown stream";
      return chunk;
    }
    auto piece = found->second->next();
    if (!piece) {
      chunk.done = true;
      chunk.failure = piece.error().message;
    } else if (!*piece) {
      chunk.done = true;
    } else {
      chunk.data = std::move(**piece);
    }
    if (chunk.done) streams.erase(found);
    return chunk;
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const std::string& path, EngineOptions options) {
  auto db = store::Database::open(path, options.exclusive_lock);
  if (!db) return db.take_error();
  if (auto migrated = store::migrate(**db); !migrated) return migrated.take_error();
  auto impl = std::make_unique<Impl>(std::move(*db), std::move(options));
  auto max_id = impl->services.keys.max_used_id();
  if (!max_id) return max_id.take_error();
  impl->ids.observe(*max_id);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Response Engine::handle(const Request& request) {
  Response response;
  try {
    response = impl_->run(request, false);
  } catch (const std::exception& failure) {
    // Unexpected (a bug or resource exhaustion); the open transaction, if any, rolled back.
    response = internal_error();
    response.log_detail = std::string("exception: ") + failure.what();
  }
  if (response.status == 500) return internal_reply(request.request_id, std::move(response.log_detail));
  return response;
}

StreamChunk Engine::read_stream(unsigned stream) {
  try {
    return impl_->read_stream(stream);
  } catch (const std::exception&) {
    impl_->streams.erase(stream);
    return StreamChunk{"", true, "Internal error"};
  }
}

void Engine::close_stream(unsigned stream) { impl_->streams.erase(stream); }

bool Engine::work() {
  try {
    return impl_->work();
  } catch (const std::exception&) {
    return false;
  }
}

Response Engine::validate(const Request& request) {
  try {
    return impl_->run(request, true);
  } catch (const std::exception&) {
    return internal_error();
  }
}

Response Engine::admin(const std::string& command_json) {
  try {
    auto command = validation::parse_strict_json(command_json, "command");
    if (!command) return api::error_reply(command.error());
    if (!api::admin_command_writes(*command)) {
      return impl_->reply(api::run_admin_command(impl_->services, *command, impl_->clock()));
    }
    auto transaction = store::Transaction::begin(*impl_->db);
    if (!transaction) return api::error_reply(transaction.error());
    auto result = api::run_admin_command(impl_->services, *command, impl_->clock());
    if (!result) return api::error_reply(result.error());
    if (auto committed = transaction->commit(); !committed) return api::error_reply(committed.error());
    auto response = impl_->reply(std::move(result));
    response.committed = true;
    return response;
  } catch (const std::exception&) {
    return internal_error();
  }
}

}  // namespace leadline
