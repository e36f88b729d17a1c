#pragma once
// Decoding of `POST /leads/merge`: one lead that stays, the duplicates folded into it, and the
// fields to take from the duplicates even where the primary has a value.

#include "leadline/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace leadline::validation {

/// The lead fields a merge may take from a duplicate (identifiers stay the primary's).
const std::vector<std::string>& mergeable_fields();

/// `{primaryId, duplicateIds (1–100, distinct, not the primary), fields?}`.
struct MergeLeadsRequest {
  std::string primary_id;
  std::vector<std::string> duplicate_ids;
  std::vector<std::string> fields;  ///< of mergeable_fields
};
Result<MergeLeadsRequest> decode_merge_leads_body(const nlohmann::json& body);

}  // namespace leadline::validation
