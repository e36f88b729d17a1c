#pragma once
// Parses request bodies strictly: well-formed UTF-8 JSON, no duplicate keys, no NUL characters,
// finite numbers that are stored exactly (no 64-bit overflow, no underflow to zero), nesting at
// most kMaxJsonDepth, at most kMaxJsonValues values. Refuses before building anything deeper.

#include "leadline/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace leadline::validation {

inline constexpr int kMaxJsonDepth = 64;
/// Values (scalars and containers) in one document: a 5,000-lead batch with every field,
/// tag and custom field filled stays well below it.
inline constexpr std::size_t kMaxJsonValues = 1'000'000;

/// The parsed document, or a 400 VALIDATION_ERROR naming `field` (usually "body").
Result<nlohmann::json> parse_strict_json(std::string_view text, const std::string& field = "body");

}  // namespace leadline::validation
