#pragma once
// What a route handler receives and returns.

#include "guards/api_key.hpp"
#include "leadline/http.hpp"
#include "leadline/ids.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/key_store.hpp"
#include "store/lead_store.hpp"
#include "validation/query_params.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::api {

/// The engine's stores and shared state, owned by Engine::Impl.
struct Services {
  store::Database& db;
  store::KeyStore keys;
  store::LeadStore leads;
  IdGenerator& ids;
};

struct RouteContext {
  const Request& request;
  const validation::QueryParams& query;
  std::vector<std::string> path_params;    ///< captures of the route's ":param" segments, in order
  const nlohmann::json* body = nullptr;    ///< parsed JSON body, or null when the request had none
  const guards::Principal* principal = nullptr;  ///< null only in validate-only mode
  bool validate_only = false;              ///< decode and check, then stop before touching data
  Services& services;
  std::int64_t now = 0;                    ///< ms since epoch, one value per request
};

/// A handler's successful outcome, wrapped in the success envelope by the engine.
struct Reply {
  int status = 200;
  nlohmann::json data;
  std::optional<std::string> message;
};

/// What validate-only mode replies once the input has passed every check.
inline Reply validated_reply() { return Reply{200, {{"valid", true}}, std::nullopt}; }

using Handler = Result<Reply> (*)(RouteContext&);

}  // namespace leadline::api
