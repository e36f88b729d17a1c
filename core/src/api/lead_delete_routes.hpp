#pragma once
// Every way of deleting leads: one by id (`DELETE /leads/{id}`), by ids or by filter with
// active-campaign protection (SendKit's `DELETE /v1/leads`), and by external identifier inside a
// campaign (Lupitor's bulk delete).

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/lead_delete_input.hpp"

namespace leadline::api {

/// DELETE /leads/{id} — `{id, deletedAt}` with "Lead deleted successfully"; a lead in an
/// active campaign needs `?force=true` (or body `{"force": true}`).
Result<Reply> delete_lead(RouteContext& context, bool& decoded);
/// DELETE /leads — `leadIds`, or `deleteAll: true` + `filters` + `excludeIds`; `force`.
/// Replies `{deletedCount}` (and `notFoundIds` in ids mode). One transaction.
Result<Reply> delete_leads(RouteContext& context, validation::DeleteLeadsRequest& decoded);
/// POST /leads/bulk-delete and /records/bulk-delete — `{campaignId, leads: [{externalId?,
/// phoneNumber?}]}`; partial success `{deleted, notFound, deletedIdentifiers, notFoundIdentifiers}`.
Result<Reply> bulk_delete_by_identifier(RouteContext& context, validation::BulkDeleteRequest& decoded);

}  // namespace leadline::api
