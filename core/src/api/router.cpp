#include "api/router.hpp"
#include "api/route_list.hpp"

#include "api/audit_routes.hpp"
#include "api/health_route.hpp"
#include "api/meta_route.hpp"
#include "api/job_routes.hpp"
#include "api/receipt_routes.hpp"
#include "api/erasure_routes.hpp"
#include "api/suppression_routes.hpp"
#include "api/webhook_routes.hpp"
#include "api/campaign_lead_routes.hpp"
#include "api/campaign_owned_routes.hpp"
#include "api/campaign_routes.hpp"
#include "api/lead_delete_routes.hpp"
#include "api/lead_export_route.hpp"
#include "api/lead_routes.hpp"
#include "api/lead_merge_routes.hpp"
#include "api/lead_update_routes.hpp"

namespace leadline::api {

const std::vector<Route>& route_table() {
  // One entry per line of the route list, with both of its steps.
#define LEADLINE_ENGINE_ROUTE(method, pattern, scope, body, reach, decode, execute, controls, query, size) \
  Route{method, pattern, scope, body, reach, steps<decode, execute>(), controls, query, size},
  static const std::vector<Route> routes{LEADLINE_ROUTE_LIST(LEADLINE_ENGINE_ROUTE)};
#undef LEADLINE_ENGINE_ROUTE
  return routes;
}

Result<RouteMatch> match_route(std::string_view method, std::string_view path) {
  return match_route_in(route_table(), method, path);
}

}  // namespace leadline::api
