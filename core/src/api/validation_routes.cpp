#include "api/route_decoders.hpp"
#include "api/route_list.hpp"
#include "api/router.hpp"

namespace leadline::api {

const std::vector<Route>& validation_route_table() {
  // The route list with its decode steps; the execute steps are not even named here.
#define LEADLINE_VALIDATION_ROUTE(method, pattern, scope, body, reach, decode, execute, controls, query, size) \
  Route{method, pattern, scope, body, reach, decode_step<decode>(), controls, query, size},
  static const std::vector<Route> routes{LEADLINE_ROUTE_LIST(LEADLINE_VALIDATION_ROUTE)};
#undef LEADLINE_VALIDATION_ROUTE
  return routes;
}

}  // namespace leadline::api
