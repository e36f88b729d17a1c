#include "guards/campaign_access.hpp"

#include <algorithm>

namespace leadline::guards {

Status require_campaign_access(const Principal& principal, std::int64_t campaign_id) {
  if (is_unrestricted(principal)) return Ok{};
  const auto& allowed = *principal.campaign_ids;
  if (std::find(allowed.begin(), allowed.end(), campaign_id) != allowed.end()) return Ok{};
  return Error{ErrorCode::Forbidden, "Forbidden",
               {{"details", {{"reason", "This API key is restricted to other campaigns"}}}}};
}

Status require_workspace_access(const Principal& principal) {
  if (is_unrestricted(principal)) return Ok{};
  return Error{ErrorCode::Forbidden, "Forbidden",
               {{"details", {{"reason", "This API key is restricted to campaigns and cannot reach the whole workspace"}}}}};
}

}  // namespace leadline::guards
