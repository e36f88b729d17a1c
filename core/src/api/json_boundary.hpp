#pragma once
// The wasm boundary's framing, shared by JsonEngine and JsonValidator: a request crosses as a JSON
// head plus the body beside it; a reply as one string — a JSON head line, a newline, the body.

#include "leadline/http.hpp"
#include "validation/base64.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace leadline::api {

/// `head` dumped on one line (a compact dump has no raw newline), a newline, then `body`.
std::string frame(const nlohmann::json& head, const std::string& body);

/// A reply framed for the host: its status, headers, stream, credential verdict, commit and log detail.
std::string to_json(const Response& response);

/// The request a host built (`{method, path, query, headers, requestId?, …}` plus the body); nullopt
/// when the host sent something malformed (a host bug, answered 500).
std::optional<Request> request_from_json(const std::string& text, const std::string& body);

// Changesets cross a JSON head in base64 (validation/base64.hpp).
using validation::base64;
using validation::from_base64;

/// The framed 500 for a malformed request from the host.
std::string malformed();

}  // namespace leadline::api
