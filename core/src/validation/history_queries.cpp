#include "validation/history_queries.hpp"

#include "leadline/ids.hpp"
#include "leadline/time_format.hpp"

#include <algorithm>
#include <array>

namespace leadline::validation {

Result<PageRequest> decode_plain_list_query(const QueryParams& params) {
  Problems problems;
  check_known_params(params, {"limit", "cursor"}, problems);
  auto page = decode_page_request(params, problems);
  if (!problems.empty()) return problems.to_error();
  return page;
}

Result<domain::AuditQuery> decode_audit_query(const QueryParams& params) {
  Problems problems;
  check_known_params(params, {"limit", "cursor", "method", "route", "receiptId", "since", "until"}, problems);
  const auto page = decode_page_request(params, problems);
  domain::AuditQuery query;
  query.limit = page.limit;
  query.before_id = page.before_id;
  if (auto method = query_value(params, "method")) {
    constexpr std::array<std::string_view, 4> kWriteMethods{"POST", "PUT", "PATCH", "DELETE"};
    if (std::find(kWriteMethods.begin(), kWriteMethods.end(), *method) == kWriteMethods.end())
      problems.add("method", "must be one of POST, PUT, PATCH, DELETE");
    else query.method = *method;
  }
  if (auto route = query_value(params, "route")) query.route = *route;
  if (auto receipt = query_value(params, "receiptId")) {
    if (auto id = parse_id(kReceiptIdPrefix, *receipt)) query.receipt_id = *id;
    else problems.add("receiptId", "must be a receipt id (rcp_ followed by 16 hex digits)");
  }
  for (const auto* name : {"since", "until"}) {
    auto text = query_value(params, name);
    if (!text) continue;
    auto at = parse_timestamp(*text);
    if (!at) problems.add(name, "must be an ISO 8601 timestamp, e.g. 2024-01-16T15:45:00.000Z");
    else (std::string_view(name) == "since" ? query.since : query.until) = *at;
  }
  if (!problems.empty()) return problems.to_error();
  return query;
}

}  // namespace leadline::validation
