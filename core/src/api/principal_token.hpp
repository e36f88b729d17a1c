#pragma once
// A principal the catalog resolved, carried to the engine that owns its workspace. Only a host
// sets it (as a field of the request head, never from anything a client sent), so the owning
// engine acts for exactly the caller the catalog authenticated, without a second lookup.

#include "guards/api_key.hpp"
#include "leadline/result.hpp"

#include <string>

namespace leadline::api {

std::string encode_principal(const guards::Principal& principal);

/// The principal back, or an INTERNAL error for a token no engine wrote.
Result<guards::Principal> decode_principal(const std::string& token);

}  // namespace leadline::api
