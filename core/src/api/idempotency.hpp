#pragma once
// Idempotent retries with Stripe's semantics: the first reply to a write that carried an
// Idempotency-Key is stored with its effect (same transaction) and replayed, byte for byte,
// to a retry with the same key and request within 24 hours.

#include "guards/api_key.hpp"
#include "leadline/http.hpp"
#include "store/idempotency_store.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace leadline::api {

/// How long a stored reply is replayed.
inline constexpr std::int64_t kIdempotencyWindowMs = 24LL * 60 * 60 * 1000;

struct IdempotentRequest {
  store::IdempotencyScope scope;  ///< workspace, API key and the Idempotency-Key
  std::string fingerprint;        ///< what "the same request" means: method, path, query, body
};

/// The request's Idempotency-Key, scoped to the caller: nullopt without one; 400 unless it is
/// 1–255 printable ASCII characters.
Result<std::optional<IdempotentRequest>> read_idempotency_key(const Request& request,
                                                              const guards::Principal& principal);

/// Before running a keyed request: the stored reply to replay (with `Idempotent-Replayed:
/// true`), 422 IDEMPOTENCY_KEY_REUSED when the key came with another request, 409
/// IDEMPOTENCY_KEY_IN_USE when the host reports the first still in flight, or nullopt to run it.
Result<std::optional<Response>> replay_or_refuse(store::IdempotencyStore& store, const IdempotentRequest& keyed,
                                                 const Request& request, std::int64_t now);

/// Stores `response` as the reply to `keyed` (called inside the request's transaction).
Status remember_reply(store::IdempotencyStore& store, const IdempotentRequest& keyed, const Response& response,
                      std::int64_t now);

}  // namespace leadline::api
