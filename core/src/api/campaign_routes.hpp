#pragma once
// The campaigns resource: CRUD, the status machine, and the cascade delete (Smartlead's `DELETE /campaigns/{id}`).

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/campaign_input.hpp"
#include "leadline/campaign.hpp"

namespace leadline::api {

/// POST /campaigns — {name}; a new campaign starts as a draft.
Result<Reply> create_campaign(RouteContext& context, std::string& decoded);
/// GET /campaigns — `status` filter, archived hidden unless asked for, cursor pagination.
Result<Reply> list_campaigns(RouteContext& context, validation::CampaignListQuery& decoded);
/// GET /campaigns/{id} — the campaign, its membership counts and what it owns.
Result<Reply> get_campaign(RouteContext& context, NothingDecoded&);
/// PATCH /campaigns/{id} — {name}.
Result<Reply> update_campaign(RouteContext& context, std::string& decoded);
/// PATCH /campaigns/{id}/status — {status}; 422 with the allowed list for other moves.
Result<Reply> change_campaign_status(RouteContext& context, std::string& decoded);
/// DELETE /campaigns/{id} — removes the campaign and everything it owns; an active campaign
/// needs `?force=true`. Leads stay.
Result<Reply> delete_campaign(RouteContext& context, bool& force);

/// The campaign named by `campaign_id` in the caller's workspace: 404 NOT_FOUND "Campaign not
/// found" when absent or another workspace's, 403 when the key is restricted to others.
Result<Campaign> load_campaign(RouteContext& context, const std::string& campaign_id);

}  // namespace leadline::api
