#pragma once
/// Domain failures as values: a stable UPPER_SNAKE code, a human message and optional details.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace leadline {

/// Every failure the API can report. The one table mapping each to its wire code and HTTP
/// status lives in error.cpp (`error_code_name`, `http_status_for`).
enum class ErrorCode {
  ValidationError,       ///< 400: bad input, including the active-campaign refusal
  Unauthorized,          ///< 401: missing, unknown or revoked key
  Forbidden,             ///< 403: scope or campaign access
  NotFound,              ///< 404: unknown route or object (also another workspace's object)
  LeadNotFound,          ///< 404: a lead id that does not exist in this workspace
  MethodNotAllowed,      ///< 405: known path, other method
  Conflict,              ///< 409: state conflict (e.g. a duplicate email)
  CountMismatch,         ///< 409: `expectedCount` differs from what the request would change
  IdempotencyKeyInUse,   ///< 409: a request with the same Idempotency-Key is still in flight
  Diverged,              ///< 409: a cluster copy cannot follow its log (host-internal: it is rebuilt)
  PayloadTooLarge,       ///< 413
  UnsupportedMediaType,  ///< 415: a body that is not JSON
  InvalidTransition,     ///< 422: status transition not allowed
  IdempotencyKeyReused,  ///< 422: an Idempotency-Key sent again with a different request
  Suppressed,            ///< 422: the person is on the workspace's suppression list
  RateLimited,           ///< 429
  Internal,              ///< 500
  Unavailable,           ///< 503
};

/// The wire code, e.g. "VALIDATION_ERROR".
std::string_view error_code_name(ErrorCode code);

/// The HTTP status for a code; the single place that mapping is defined.
int http_status_for(ErrorCode code);

/// A failure. `extra` holds fields placed beside `code` and `message` in the error envelope
/// (for example `field`, `errors`, `details`, `affectedLeads`).
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  nlohmann::json extra = nlohmann::json::object();

  /// A 400 naming the offending field: message "<field>: <problem>", `field` beside it.
  static Error invalid_field(const std::string& field, const std::string& problem);
};

}  // namespace leadline
