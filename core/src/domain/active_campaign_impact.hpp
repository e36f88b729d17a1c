#pragma once
// What a delete would do to active campaigns: the fact the active-campaign guard judges, as the
// store measured it.

#include <cstdint>
#include <string>
#include <vector>

namespace leadline::domain {

/// Leads of a selection that are current members of active campaigns.
struct ActiveCampaignImpact {
  std::int64_t affected_leads = 0;
  std::vector<std::string> campaign_names;  ///< distinct, in campaign creation order
};

}  // namespace leadline::domain
