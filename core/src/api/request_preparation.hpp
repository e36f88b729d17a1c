#pragma once
// What every request goes through between its route and its decode step, in the order that makes
// a refused request change nothing: the query's shape, the body rule, its size, its media type,
// UTF-8, strict JSON, and the safety controls taken out. Shared by the engine and the validation
// build, so both refuse exactly the same requests.

#include "api/router.hpp"
#include "leadline/http.hpp"
#include "leadline/result.hpp"
#include "validation/query_params.hpp"
#include "validation/request_controls.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace leadline::api {

/// The largest body of an ordinary and of a batch route (EngineOptions).
struct BodyLimits {
  std::size_t ordinary;
  std::size_t batch;
};

struct PreparedInput {
  nlohmann::json body;  ///< the parsed body, null when there was none
  bool has_body = false;
  validation::RequestControls controls;
};

/// Checks and parses what `route` takes of `request`; takes the safety controls out of `query`
/// and the body.
Result<PreparedInput> prepare_input(const Request& request, validation::QueryParams& query, const Route& route,
                                    BodyLimits limits);

/// Whether the method may change stored data.
bool is_write_method(std::string_view method);

}  // namespace leadline::api
