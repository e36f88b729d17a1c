#pragma once
// The route table and path matching. `/api/v1/...` and `/v1/...` serve the same routes.

#include "api/route_context.hpp"
#include "validation/query_params.hpp"
#include "validation/request_controls.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace leadline::api {

enum class Scope { None, Read, Write };
enum class BodyRule { None, Optional, Required };
/// What a route can reach: nothing stored (Public), the whole workspace (refused to keys
/// restricted to campaigns), or named campaigns (the handler checks each campaign).
enum class Reach { Public, Workspace, Campaign };

/// Bodies above this are refused (413) before parsing. Batch routes take the large limit.
enum class BodySize { Ordinary, Batch };

struct Route {
  std::string_view method;
  std::string_view pattern;  ///< after the version prefix, e.g. "/leads/:id"
  Scope scope;
  BodyRule body;
  Reach reach;
  Handler handler;
  /// The safety controls the route accepts (validation::ControlSet bits). A route that
  /// accepts `dryRun` reports `Reply::affected`, which `expectedCount` is checked against.
  unsigned controls = validation::kNoControls;
  /// The query parameters it reads; anything else is refused before the handler runs.
  validation::QueryShape query = {};
  BodySize body_size = BodySize::Ordinary;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::string> params;
};

/// Every route the API serves.
const std::vector<Route>& route_table();

/// The route for `method` and `path`: 404 NOT_FOUND for an unknown path, 405 (with `allow`)
/// when the path exists under other methods.
Result<RouteMatch> match_route(std::string_view method, std::string_view path);

}  // namespace leadline::api
