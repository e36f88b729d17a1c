#pragma once
// Active-campaign protection (SendKit's `DELETE /v1/leads`): leads in active campaigns are not deleted unless the
// request says `force`.

#include "leadline/result.hpp"
#include "domain/active_campaign_impact.hpp"

namespace leadline::guards {

/// Ok when nothing selected is in an active campaign, or `force` is set; otherwise 400
/// VALIDATION_ERROR with SendKit's message
/// `N lead(s) are in active campaigns: A, B. Pass "force": true to delete anyway.`
/// and `affectedLeads` and `campaigns` beside it.
Status check_active_campaigns(const domain::ActiveCampaignImpact& impact, bool force);

}  // namespace leadline::guards
