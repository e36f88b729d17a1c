#pragma once
// What a route's decode step reads and hands on. Nothing here reaches stored data, so the decode
// steps (route_decoders.cpp) build into the validation library, which links no store and no SQLite.

#include "leadline/http.hpp"
#include "leadline/result.hpp"
#include "validation/query_params.hpp"
#include "validation/request_controls.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace leadline::api {

/// What a route's decode step reads: the request and its parsed parts, never stored data — so
/// decoding, and validate-only mode with it, needs no database.
struct DecodeInput {
  const Request& request;
  const validation::QueryParams& query;
  const std::vector<std::string>& path_params;  ///< captures of the route's ":param" segments, in order
  const nlohmann::json* body = nullptr;          ///< parsed JSON body, or null when the request had none
  const validation::RequestControls& controls;
};

/// What a decode step hands on when it only checks (the route reads nothing but its path).
struct NothingDecoded {};
inline Result<NothingDecoded> decode_nothing(const DecodeInput&) { return NothingDecoded{}; }

}  // namespace leadline::api
