#pragma once
// Authentication as one step of a request: the guards judge the presented key and the facts the
// key store holds about it; this joins the two.

#include "guards/api_key.hpp"
#include "store/key_store.hpp"

namespace leadline::api {

/// The principal behind the request's key: 401 for a missing, malformed, repeated, unknown or
/// revoked key; 400/403 for the workspace a platform key names (guards/api_key.hpp).
Result<guards::Principal> authenticate(const Request& request, const validation::QueryParams& query,
                                       store::KeyStore& keys, bool allow_query_key);

}  // namespace leadline::api
