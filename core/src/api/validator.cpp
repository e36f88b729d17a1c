#include "leadline/validator.hpp"

#include "api/envelope.hpp"
#include "api/request_preparation.hpp"
#include "api/router.hpp"

#include <exception>

namespace leadline {

Response Validator::validate(const Request& request) const {
  try {
    auto query = validation::parse_query_string(request.query);
    if (!query) return api::error_reply(query.error());
    auto match = api::match_route_in(api::validation_route_table(), request.method, request.path);
    if (!match) return api::error_reply(match.error());
    const auto& route = *match->route;
    auto prepared = api::prepare_input(request, *query, route, {options_.max_body_bytes, options_.max_batch_body_bytes});
    if (!prepared) return api::error_reply(prepared.error());
    const api::DecodeInput input{request, *query, match->params, prepared->has_body ? &prepared->body : nullptr,
                                 prepared->controls};
    auto decoded = route.steps.decode(input);
    if (!decoded) return api::error_reply(decoded.error());
    const auto valid = api::validated_reply();
    return api::success_reply(valid.status, valid.data, valid.message);
  } catch (const std::exception&) {
    return api::error_reply(Error{ErrorCode::Internal, "Internal error"});
  }
}

}  // namespace leadline
