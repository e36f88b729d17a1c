#pragma once
// Decoding of the lead deletion requests: `DELETE /leads` (SendKit), `DELETE /leads/{id}`
// and the identifier bulk delete (Lupitor), with the vendors' exact messages.

#include "leadline/result.hpp"
#include "validation/lead_filters.hpp"
#include "validation/query_params.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::validation {

/// `DELETE /leads`: `leadIds` (1–5000 well-formed ids), or `deleteAll: true` with optional
/// `filters` and `excludeIds`; `force` lets leads in active campaigns go.
struct DeleteLeadsRequest {
  bool delete_all = false;
  std::vector<std::int64_t> lead_ids;     ///< ids mode: the ids that are Leadline lead ids, duplicates removed
  /// ids mode: every id as sent, duplicates removed, in request order. Ids are opaque: one that
  /// is not a Leadline id (another system's `665d4e5f6a7b8c9d0e1f2a3b`) names no lead and is
  /// reported not found, as SendKit's `DELETE /v1/leads` treats ids it does not know.
  std::vector<std::string> requested_ids;
  LeadFilters filters;                    ///< deleteAll mode
  std::vector<std::int64_t> exclude_ids;  ///< deleteAll mode
  bool force = false;
};
Result<DeleteLeadsRequest> decode_delete_leads_body(const nlohmann::json& body);

/// `DELETE /leads/{id}` and `DELETE /campaigns/{id}`: `force` as `?force=true` or a body
/// `{"force": true}`; no body is fine, and nothing else is accepted in either.
Result<bool> decode_force_option(const QueryParams& query, const nlohmann::json* body);

/// One entry of the identifier bulk delete. `external_id` takes priority when both are given.
struct IdentifierEntry {
  std::optional<std::string> external_id;
  std::optional<std::string> phone_number;  ///< E.164, or nullopt when given but not a phone number
  std::string identifier;                   ///< what the reply reports: externalId, else phoneNumber as given
};

/// `POST /leads/bulk-delete`: {campaignId, leads: [{externalId?, phoneNumber?}]} (≤1000). The
/// messages and their order are Lupitor's.
struct BulkDeleteRequest {
  std::string campaign_id;
  std::vector<IdentifierEntry> entries;
};
Result<BulkDeleteRequest> decode_bulk_delete_body(const nlohmann::json& body);

}  // namespace leadline::validation
