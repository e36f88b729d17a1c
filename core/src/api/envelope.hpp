#pragma once
// The success and error envelopes every reply uses (docs/api-conventions.md, "Envelope").

#include "leadline/error.hpp"
#include "leadline/http.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace leadline::api {

/// `{"success": true, "message"?: …, "data": …}` with a JSON content type.
Response success_reply(int status, const nlohmann::json& data, const std::optional<std::string>& message = {});

/// `{"success": false, "error": {"code", "message", …extra}}` with the status from the code table.
/// An INTERNAL error says only "Internal error"; its message goes to `Response::log_detail`.
Response error_reply(const Error& error);

}  // namespace leadline::api
