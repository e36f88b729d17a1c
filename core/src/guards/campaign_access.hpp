#pragma once
// Keys restricted to listed campaigns (docs/hardening.md, "Campaign-restricted keys"): what they may reach.

#include "guards/api_key.hpp"
#include "leadline/result.hpp"

#include <cstdint>

namespace leadline::guards {

/// True when the key may act on every campaign of its workspace.
inline bool is_unrestricted(const Principal& principal) { return !principal.campaign_ids.has_value(); }

/// 403 FORBIDDEN ("Forbidden") unless the key may act on `campaign_id`. Call it after the
/// campaign was found in the key's workspace: another workspace's campaign is a 404 first.
Status require_campaign_access(const Principal& principal, std::int64_t campaign_id);

/// 403 FORBIDDEN for a campaign-restricted key on a route that reaches the whole workspace
/// (every lead, or creating campaigns): such a key only sees its campaigns.
Status require_workspace_access(const Principal& principal);

}  // namespace leadline::guards
