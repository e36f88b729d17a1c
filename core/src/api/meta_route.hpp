#pragma once
// GET /meta: the API's vocabulary (statuses, transitions, filter keys, job and event names),
// without authentication. The console builds its choices from it and the OpenAPI test checks
// the document's enums against it, so neither holds a copy of its own.

#include "api/route_context.hpp"

namespace leadline::api {

Result<Reply> meta(RouteContext& context, NothingDecoded&);

/// The vocabulary as `GET /meta` serves it.
nlohmann::json vocabulary_json();

}  // namespace leadline::api
