#pragma once
// GET /leads/export: the leads a filter selects, as JSON or CSV, streamed — the backup seed
// 001 advises before deleting.

#include "api/route_context.hpp"
#include "validation/query_params.hpp"

namespace leadline::api {

/// `format=json` (default): `{"success": true, "data": {"leads": [...]}}` with every lead as
/// `GET /leads/{id}` shows it. `format=csv`: one row per lead. Oldest lead first.
Result<validation::LeadExportQuery> decode_export_leads(const DecodeInput& context);
Result<Reply> export_leads(RouteContext& context, validation::LeadExportQuery& decoded);

}  // namespace leadline::api
