#pragma once
// What the audit trail records of one committed write.

#include "api/route_context.hpp"
#include "store/audit_store.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace leadline::api {

/// The audit entry for a write that is about to commit: who (key prefix), what (method,
/// path, route pattern, the request summarised), and the outcome (status, the numeric
/// fields of the reply's data as counts, the receipt if the reply names one). A purge, and a
/// request whose reply `keeps_no_request` (an erasure), record no body or query, since they
/// may hold the very data being erased.
store::AuditEntry audit_entry_for(std::string_view route, const RouteContext& context, int status,
                                  const nlohmann::json& data, bool keeps_no_request = false);

/// `body` with every list longer than 20 items replaced by {"count": n} and every text longer
/// than 200 bytes by {"length": n}, so the trail of a 5,000-lead request or a CSV import stays small;
/// a text that looks like a secret, or any value under a name that says it is one, becomes
/// "[redacted]" (the trail is readable with any read key).
nlohmann::json summarise_body(const nlohmann::json& body);

}  // namespace leadline::api
