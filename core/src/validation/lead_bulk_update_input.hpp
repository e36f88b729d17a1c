#pragma once
// Decoding of `PATCH /leads`, the bulk edit: which leads (ids, or filters with exclusions) and
// what changes (fields set, tags added and removed). Nothing here knows the store.

#include "leadline/result.hpp"
#include "validation/lead_filters.hpp"
#include "validation/lead_input.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace leadline::validation {

/// The fields a bulk edit may set: the ones that describe a lead rather than identify it.
const std::vector<std::string>& bulk_settable_fields();

/// `PATCH /leads`: `leadIds` (1–5000) or `filters` (an object; `{}` is every lead) with optional
/// `excludeIds`; then `set` (bulk_settable_fields; customFields and metadata merge as in a
/// single-lead PATCH), `addTags`, `removeTags` — at least one change, and no tag both added and
/// removed.
struct BulkUpdateRequest {
  bool by_ids = false;
  std::vector<std::int64_t> lead_ids;      ///< ids mode: the well-formed ids, duplicates removed
  std::vector<std::string> requested_ids;  ///< ids mode: every id as sent, duplicates removed, in order
  LeadFilters filters;                     ///< filters mode
  std::vector<std::int64_t> exclude_ids;   ///< filters mode
  LeadInput set;                           ///< only bulk_settable_fields are ever given
  std::vector<std::string> add_tags;
  std::vector<std::string> remove_tags;
};
Result<BulkUpdateRequest> decode_bulk_update_body(const nlohmann::json& body);

}  // namespace leadline::validation
