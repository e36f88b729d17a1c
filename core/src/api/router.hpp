#pragma once
// The route table and path matching. `/api/v1/...` and `/v1/...` serve the same routes.

#include "api/decode_input.hpp"
#include "api/reply.hpp"
#include "validation/query_params.hpp"
#include "validation/request_controls.hpp"

#include <any>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadline::api {

struct RouteContext;  // api/route_context.hpp: what an execute step receives

enum class Scope { None, Read, Write };
enum class BodyRule { None, Optional, Required };
/// What a route can reach: nothing stored (Public), the whole workspace (refused to keys
/// restricted to campaigns), or named campaigns (the handler checks each campaign).
enum class Reach { Public, Workspace, Campaign };

/// Bodies above this are refused (413) before parsing. Batch routes take the large limit.
enum class BodySize { Ordinary, Batch };

/// A route's two steps. `decode` turns the request into what the route needs, or refuses it —
/// validate-only mode stops after it; `execute` acts on stored data with the decoded request.
struct RouteSteps {
  Result<std::any> (*decode)(const DecodeInput&);
  Result<Reply> (*execute)(RouteContext&, std::any&);
};

template <class R>
struct DecodedOf;
template <class T>
struct DecodedOf<Result<T>> {
  using type = T;
};

/// The decode step alone, for the validation build's table.
template <auto Decode>
RouteSteps decode_step() {
  return {[](const DecodeInput& input) -> Result<std::any> {
            auto decoded = Decode(input);
            if (!decoded) return decoded.take_error();
            return std::any(std::move(*decoded));
          },
          nullptr};
}

/// The steps of a route from its typed decode and execute functions:
/// `Result<T> decode(const DecodeInput&)` and `Result<Reply> execute(RouteContext&, T&)`.
template <auto Decode, auto Execute>
RouteSteps steps() {
  using Decoded = typename DecodedOf<decltype(Decode(std::declval<const DecodeInput&>()))>::type;
  return {decode_step<Decode>().decode,
          [](RouteContext& context, std::any& decoded) { return Execute(context, *std::any_cast<Decoded>(&decoded)); }};
}

struct Route {
  std::string_view method;
  std::string_view pattern;  ///< after the version prefix, e.g. "/leads/:id"
  Scope scope;
  BodyRule body;
  Reach reach;
  RouteSteps steps;
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

/// The route of `table` for `method` and `path`: 404 NOT_FOUND for an unknown path, 405 (with
/// `allow`) when the path exists under other methods.
Result<RouteMatch> match_route_in(const std::vector<Route>& table, std::string_view method, std::string_view path);

/// match_route_in over the engine's route table.
Result<RouteMatch> match_route(std::string_view method, std::string_view path);

/// The same routes with their decode steps only (no execute step): what the validation build
/// (`Validator`) serves. It links no store.
const std::vector<Route>& validation_route_table();



}  // namespace leadline::api
