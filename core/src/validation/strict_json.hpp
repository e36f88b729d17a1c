#pragma once
// Parses request bodies strictly: well-formed UTF-8 JSON, no duplicate keys, no NUL characters,
// finite numbers, nesting at most kMaxJsonDepth. Refuses before building anything deeper.

#include "leadline/result.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace leadline::validation {

inline constexpr int kMaxJsonDepth = 64;

/// The parsed document, or a 400 VALIDATION_ERROR naming `field` (usually "body").
Result<nlohmann::json> parse_strict_json(std::string_view text, const std::string& field = "body");

}  // namespace leadline::validation
