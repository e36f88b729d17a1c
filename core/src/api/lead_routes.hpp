#pragma once
// The leads resource: create (one or a batch), list with filters, get, update.

#include "api/route_decoders.hpp"
#include "api/route_context.hpp"
#include "validation/lead_input.hpp"

namespace leadline::api {

/// POST /leads — one lead, or {"leads": [...]} (1–5000) with duplicates skipped and reported.
Result<Reply> create_leads(RouteContext& context, LeadsToCreate& decoded);
/// GET /leads — filters and cursor pagination; `data.leads`, `nextCursor`, `hasMore`.
Result<Reply> list_leads(RouteContext& context, validation::LeadListQuery& decoded);
/// GET /leads/{id} — 404 LEAD_NOT_FOUND with details.leadId.
Result<Reply> get_lead(RouteContext& context, NothingDecoded&);
/// PUT/PATCH /leads/{id} — allow-listed fields; metadata and customFields merge.
Result<Reply> update_lead(RouteContext& context, validation::LeadInput& input);

/// The 404 for a lead id that does not exist in the caller's workspace.
Error lead_not_found(const std::string& lead_id);

/// The caller's lead with this public id, or the 404.
Result<Lead> load_lead(RouteContext& context, const std::string& lead_id);

}  // namespace leadline::api
