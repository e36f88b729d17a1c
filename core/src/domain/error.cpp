#include "leadline/error.hpp"

#include <array>

namespace leadline {
namespace {

struct ErrorCodeRow {
  ErrorCode code;
  std::string_view name;
  int http_status;
};

// The one table mapping domain codes to wire names and HTTP statuses (docs/api-conventions.md, "Errors").
constexpr std::array kErrorCodes{
    ErrorCodeRow{ErrorCode::ValidationError, "VALIDATION_ERROR", 400},
    ErrorCodeRow{ErrorCode::Unauthorized, "UNAUTHORIZED", 401},
    ErrorCodeRow{ErrorCode::Forbidden, "FORBIDDEN", 403},
    ErrorCodeRow{ErrorCode::NotFound, "NOT_FOUND", 404},
    ErrorCodeRow{ErrorCode::LeadNotFound, "LEAD_NOT_FOUND", 404},
    ErrorCodeRow{ErrorCode::MethodNotAllowed, "METHOD_NOT_ALLOWED", 405},
    ErrorCodeRow{ErrorCode::Conflict, "CONFLICT", 409},
    ErrorCodeRow{ErrorCode::CountMismatch, "COUNT_MISMATCH", 409},
    ErrorCodeRow{ErrorCode::IdempotencyKeyInUse, "IDEMPOTENCY_KEY_IN_USE", 409},
    ErrorCodeRow{ErrorCode::Diverged, "REPLICA_DIVERGED", 409},
    ErrorCodeRow{ErrorCode::PayloadTooLarge, "PAYLOAD_TOO_LARGE", 413},
    ErrorCodeRow{ErrorCode::UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", 415},
    ErrorCodeRow{ErrorCode::InvalidTransition, "INVALID_TRANSITION", 422},
    ErrorCodeRow{ErrorCode::IdempotencyKeyReused, "IDEMPOTENCY_KEY_REUSED", 422},
    ErrorCodeRow{ErrorCode::Suppressed, "SUPPRESSED", 422},
    ErrorCodeRow{ErrorCode::RateLimited, "RATE_LIMITED", 429},
    ErrorCodeRow{ErrorCode::Internal, "INTERNAL", 500},
    ErrorCodeRow{ErrorCode::Unavailable, "UNAVAILABLE", 503},
};

const ErrorCodeRow& row_for(ErrorCode code) {
  for (const auto& row : kErrorCodes) {
    if (row.code == code) return row;
  }
  static const ErrorCodeRow internal{ErrorCode::Internal, "INTERNAL", 500};
  return internal;  // unreachable while the table lists every enumerator
}

}  // namespace

std::string_view error_code_name(ErrorCode code) { return row_for(code).name; }

int http_status_for(ErrorCode code) { return row_for(code).http_status; }

Error Error::invalid_field(const std::string& field, const std::string& problem) {
  return Error{ErrorCode::ValidationError, field + ": " + problem, {{"field", field}}};
}

}  // namespace leadline
