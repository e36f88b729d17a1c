#pragma once
// A campaign's leads: adding them (SendKit's three modes), listing memberships, and the CSV
// export (Smartlead's "export leads first").

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/campaign_input.hpp"

namespace leadline::api {

/// POST /campaigns/{id}/leads — explicit `leads` (≤5000; leadId or email), `filters`, or
/// `selectAll: true` with `excludeIds`. Explicit replies {added, skipped, errors}; the others
/// {added, skipped, matched}.
Result<Reply> add_campaign_leads(RouteContext& context, validation::AddLeadsRequest& decoded);
/// GET /campaigns/{id}/leads — memberships with their leads, `status` filter, cursor pages.
Result<Reply> list_campaign_leads(RouteContext& context, validation::MembershipQuery& decoded);
/// GET /campaigns/{id}/leads-export — RFC 4180 CSV of the memberships and their leads,
/// streamed in chunks.
Result<Reply> export_campaign_leads(RouteContext& context, validation::MembershipQuery& decoded);

}  // namespace leadline::api
