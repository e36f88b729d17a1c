#pragma once
// The workspace's suppression list (do-not-contact): add entries, list them, ask whether a
// person is on it, lift an entry. What the list stops is enforced where leads are made and
// added (lead_routes, campaign adds, imports, restores).

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/suppression_input.hpp"

namespace leadline::api {

/// POST /suppressions — adds entries (1–10,000): counts added, already there and invalid (with
/// per-entry errors); `impact` counts the stored leads the entries hit and their memberships that
/// still receive email, which `unsubscribeMemberships` sets to unsubscribed. `dryRun` previews.
Result<Reply> add_suppressions(RouteContext& context, validation::AddSuppressionsRequest& decoded);
/// GET /suppressions — newest first, by kind, source or search; cursor pages.
Result<Reply> list_suppressions(RouteContext& context, validation::SuppressionListQuery& decoded);
/// GET /suppressions/check — whether an email or phone number is suppressed, and by which entry.
Result<Reply> check_suppression(RouteContext& context, validation::SuppressionCheckQuery& decoded);
/// DELETE /suppressions/{id} — lifts an entry; 409 for an entry from a complaint or an erasure.
Result<Reply> lift_suppression(RouteContext& context, NothingDecoded&);

}  // namespace leadline::api
