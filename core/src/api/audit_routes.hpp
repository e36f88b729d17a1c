#pragma once
// The audit trail as the API shows it.

#include "api/route_context.hpp"

namespace leadline::api {

/// GET /audit — every committed write of the workspace, newest first: when, which key
/// (prefix only), the request (endpoint, query, body with long lists as counts), the status,
/// the counts from the reply and the receipt. Filters: method, route, receiptId, since, until.
Result<Reply> list_audit(RouteContext& context);

}  // namespace leadline::api
