#include "guards/active_campaign_guard.hpp"

namespace leadline::guards {

Status check_active_campaigns(const domain::ActiveCampaignImpact& impact, bool force) {
  if (impact.affected_leads == 0 || force) return Ok{};
  std::string names;
  for (const auto& name : impact.campaign_names) names += (names.empty() ? "" : ", ") + name;
  return Error{ErrorCode::ValidationError,
               std::to_string(impact.affected_leads) + " lead(s) are in active campaigns: " + names +
                   ". Pass \"force\": true to delete anyway.",
               {{"affectedLeads", impact.affected_leads}, {"campaigns", impact.campaign_names}}};
}

}  // namespace leadline::guards
