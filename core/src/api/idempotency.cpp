#include "api/idempotency.hpp"

#include "guards/sha256.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace leadline::api {

using json = nlohmann::json;

Result<std::optional<IdempotentRequest>> read_idempotency_key(const Request& request,
                                                              const guards::Principal& principal) {
  auto key = find_header(request, "idempotency-key");
  if (!key) return std::optional<IdempotentRequest>{};
  const bool printable = std::all_of(key->begin(), key->end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (key->empty() || key->size() > 255 || !printable) {
    return Error::invalid_field("Idempotency-Key", "must be 1 to 255 printable ASCII characters");
  }
  IdempotentRequest keyed;
  keyed.scope = {principal.workspace_id, principal.key_id, *key};
  keyed.fingerprint = guards::to_hex(guards::sha256(request.method + "\n" + request.path + "\n" + request.query +
                                                    "\n" + request.body));
  return std::optional<IdempotentRequest>{std::move(keyed)};
}

Result<std::optional<Response>> replay_or_refuse(store::IdempotencyStore& store, const IdempotentRequest& keyed,
                                                 const Request& request, std::int64_t now) {
  if (request.idempotency_key_in_flight) {
    return Error{ErrorCode::IdempotencyKeyInUse,
                 "A request with this Idempotency-Key is still being processed; retry after it completes",
                 {{"retryAfter", 1}}};
  }
  auto stored = store.find(keyed.scope, now - kIdempotencyWindowMs);
  if (!stored) return stored.take_error();
  if (!*stored) return std::optional<Response>{};
  if ((*stored)->fingerprint != keyed.fingerprint) {
    return Error{ErrorCode::IdempotencyKeyReused,
                 "This Idempotency-Key was already used with a different request; use a new key for a new request"};
  }
  Response replay;
  replay.status = (*stored)->status;
  auto headers = json::parse((*stored)->headers, nullptr, false);
  if (headers.is_object()) {
    for (const auto& [name, value] : headers.items()) {
      if (value.is_string()) replay.headers[name] = value.get<std::string>();
    }
  }
  replay.headers["idempotent-replayed"] = "true";
  replay.body = std::move((*stored)->body);
  return std::optional<Response>{std::move(replay)};
}

Status remember_reply(store::IdempotencyStore& store, const IdempotentRequest& keyed, const Response& response,
                      std::int64_t now) {
  return store.save(keyed.scope, {keyed.fingerprint, response.status, json(response.headers).dump(), response.body},
                    now);
}

}  // namespace leadline::api
