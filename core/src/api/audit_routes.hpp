#pragma once
// The audit trail as the API shows it.

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "domain/audit_query.hpp"

namespace leadline::api {

/// GET /audit — every committed write of the workspace, newest first: when, which key
/// (prefix only), the request (endpoint, query, body with long lists as counts), the status,
/// the counts from the reply and the receipt. Filters: method, route, receiptId, since, until.
Result<Reply> list_audit(RouteContext& context, domain::AuditQuery& decoded);

}  // namespace leadline::api
