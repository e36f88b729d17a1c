#pragma once
// GET /leads/export: the leads a filter selects, as JSON or CSV, streamed — the backup seed
// 001 advises before deleting.

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/query_params.hpp"

namespace leadline::api {

/// `format=json` (default): `{"success": true, "data": {"leads": [...]}}` with every lead as
/// `GET /leads/{id}` shows it. `format=csv`: one row per lead. Oldest lead first.
Result<Reply> export_leads(RouteContext& context, validation::LeadExportQuery& decoded);

}  // namespace leadline::api
