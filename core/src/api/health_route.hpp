#pragma once
// GET /health: liveness and schema version, without authentication.

#include "api/route_context.hpp"

namespace leadline::api {

Result<Reply> health(RouteContext& context, NothingDecoded&);

}  // namespace leadline::api
