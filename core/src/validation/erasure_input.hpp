#pragma once
// What the erasure routes accept: `POST /leads/erase` names people by `leadIds` or by `emails`
// (1–1,000 of either, not both); `POST /leads/{id}/erase` takes no body of its own. Both take
// `dryRun` and `expectedCount` (validation/request_controls.hpp).

#include "leadline/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace leadline::validation {

struct EraseLeadsRequest {
  std::vector<std::int64_t> lead_ids;    ///< ids mode: Leadline lead ids, duplicates removed
  std::vector<std::string> unknown_ids;  ///< ids mode: ids that are no Leadline id (nothing to erase)
  std::vector<std::string> emails;       ///< emails mode: normalised, duplicates removed
};

/// The body of `POST /leads/erase`.
Result<EraseLeadsRequest> decode_erase_leads_body(const nlohmann::json& body);

/// `POST /leads/{id}/erase`: no body, or an empty object.
Result<bool> decode_erase_lead_body(const nlohmann::json* body);

}  // namespace leadline::validation
