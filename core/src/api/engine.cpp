#include "leadline/engine.hpp"

#include "api/admin_commands.hpp"
#include "api/envelope.hpp"
#include "api/router.hpp"
#include "guards/campaign_access.hpp"
#include "store/migrations.hpp"
#include "validation/normalise.hpp"
#include "validation/strict_json.hpp"

#include <chrono>
#include <map>
#include <exception>

namespace leadline {
namespace {

std::int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// JSON media types are read as JSON. So is a JSON object sent without a content type or as
// application/x-www-form-urlencoded: that is what `curl -d '{...}'` sends, and seed 004's own
// examples do exactly that. A real form body (`a=b`) is still refused with 415.
bool is_json_body(const std::optional<std::string>& content_type, std::string_view body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  const bool looks_like_json_object = first != std::string_view::npos && body[first] == '{';
  if (!content_type) return looks_like_json_object;
  std::string media = content_type->substr(0, content_type->find(';'));
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  media = std::string(validation::trim(media));
  if (media == "application/x-www-form-urlencoded") return looks_like_json_object;
  return media == "application/json" || (media.rfind("application/", 0) == 0 && media.size() > 5 &&
                                         media.compare(media.size() - 5, 5, "+json") == 0);
}

bool is_write_method(std::string_view method) { return method != "GET" && method != "HEAD"; }

Response internal_error() { return api::error_reply(Error{ErrorCode::Internal, "Internal error"}); }

}  // namespace

struct Engine::Impl {
  std::unique_ptr<store::Database> db;
  IdGenerator ids;
  api::Services services;
  std::function<std::int64_t()> clock;
  std::map<unsigned, std::unique_ptr<api::ChunkSource>> streams;
  unsigned last_stream = 0;

  // Bounded so abandoned exports (a host that never closes them) cannot pile up.
  static constexpr std::size_t kMaxOpenStreams = 32;

  Impl(std::unique_ptr<store::Database> database, std::function<std::int64_t()> clock_fn)
      : db(std::move(database)),
        services{*db, store::KeyStore(*db), store::LeadStore(*db), store::CampaignStore(*db),
                 store::LeadDeletion(*db), ids},
        clock(clock_fn ? std::move(clock_fn) : system_clock_ms) {}

  // Route → (auth) → body → handler, in the order that makes a refused request change nothing.
  Response run(const Request& request, bool validate_only) {
    auto query = validation::parse_query_string(request.query);
    if (!query) return api::error_reply(query.error());
    auto match = api::match_route(request.method, request.path);
    if (!match) return api::error_reply(match.error());
    const auto& route = *match->route;

    guards::Principal principal;
    if (route.scope != api::Scope::None && !validate_only) {
      auto authenticated = guards::authenticate(request, *query, services.keys);
      if (!authenticated) return api::error_reply(authenticated.error());
      principal = std::move(*authenticated);
      if (auto allowed = guards::require_scope(principal, route.scope == api::Scope::Read ? "read" : "write");
          !allowed)
        return api::error_reply(allowed.error());
      if (route.reach == api::Reach::Workspace) {
        if (auto allowed = guards::require_workspace_access(principal); !allowed) return api::error_reply(allowed.error());
      }
    }

    nlohmann::json body;
    const bool has_body = !request.body.empty();
    if (route.body == api::BodyRule::Required && !has_body) {
      return api::error_reply(Error::invalid_field("body", "a JSON object is required"));
    }
    if (has_body && route.body != api::BodyRule::None) {
      if (!is_json_body(find_header(request, "content-type"), request.body)) {
        return api::error_reply(
            Error{ErrorCode::UnsupportedMediaType, "Request body must be JSON (Content-Type: application/json)"});
      }
      auto parsed = validation::parse_strict_json(request.body);
      if (!parsed) return api::error_reply(parsed.error());
      body = std::move(*parsed);
    }

    api::RouteContext context{request, *query, match->params, has_body ? &body : nullptr,
                              validate_only ? nullptr : &principal, validate_only, services, clock()};
    if (validate_only || !is_write_method(request.method)) return reply(route.handler(context));

    // One transaction per write request: every change it makes commits together or not at all.
    auto transaction = store::Transaction::begin(*db);
    if (!transaction) return api::error_reply(transaction.error());
    auto result = route.handler(context);
    if (!result) return api::error_reply(result.error());
    if (auto committed = transaction->commit(); !committed) return api::error_reply(committed.error());
    return reply(std::move(result));
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
  auto db = store::Database::open(path);
  if (!db) return db.take_error();
  if (auto migrated = store::migrate(**db); !migrated) return migrated.take_error();
  auto impl = std::make_unique<Impl>(std::move(*db), std::move(options.clock));
  auto max_id = impl->services.keys.max_used_id();
  if (!max_id) return max_id.take_error();
  impl->ids.observe(*max_id);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Response Engine::handle(const Request& request) {
  try {
    return impl_->run(request, false);
  } catch (const std::exception&) {
    // Unexpected (a bug or resource exhaustion); the open transaction, if any, rolled back.
    return internal_error();
  }
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
    auto transaction = store::Transaction::begin(*impl_->db);
    if (!transaction) return api::error_reply(transaction.error());
    auto result = api::run_admin_command(impl_->services, *command, impl_->clock());
    if (!result) return api::error_reply(result.error());
    if (auto committed = transaction->commit(); !committed) return api::error_reply(committed.error());
    return impl_->reply(std::move(result));
  } catch (const std::exception&) {
    return internal_error();
  }
}

}  // namespace leadline
