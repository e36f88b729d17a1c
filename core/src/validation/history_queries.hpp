#pragma once
// Query parameters of the safety-net listings: `GET /receipts` and `GET /audit`.

#include "leadline/result.hpp"
#include "domain/audit_query.hpp"
#include "validation/query_params.hpp"

namespace leadline::validation {

/// `GET /receipts`, `GET /jobs`: `limit` and `cursor` only.
Result<PageRequest> decode_plain_list_query(const QueryParams& params);

/// `GET /audit`: `limit`, `cursor`, and the filters `method` (POST, PUT, PATCH, DELETE),
/// `route` (a route pattern as entries show it, e.g. "DELETE /leads"), `receiptId`, `since`
/// and `until` (ISO 8601; since inclusive, until exclusive).
Result<domain::AuditQuery> decode_audit_query(const QueryParams& params);

}  // namespace leadline::validation
