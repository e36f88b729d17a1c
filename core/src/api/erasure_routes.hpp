#pragma once
// Erasure on request (GDPR article 17, HubSpot's and Mautic's "delete and blocklist"): a person's
// personal data goes from everywhere Leadline keeps it (store/personal_data_erasure.hpp), and
// the person stays suppressed under a keyed hash of their address and number, so an import can
// never bring them back. Not restorable; an erasure record (a receipt that restores nothing)
// keeps the counts.

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/erasure_input.hpp"

namespace leadline::api {

/// POST /leads/{id}/erase — one lead, live or deleted and kept for undo (404 otherwise).
Result<Reply> erase_lead(RouteContext& context, bool&);
/// POST /leads/erase — by `leadIds` or by `emails` (an email with no lead is still suppressed).
Result<Reply> erase_leads(RouteContext& context, validation::EraseLeadsRequest& decoded);

}  // namespace leadline::api
