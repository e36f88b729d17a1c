#pragma once
// Normalisation of the identity fields, so equal things compare equal:
// emails trimmed and lower-cased, phone numbers in E.164, countries ISO 3166-1 alpha-2.

#include <optional>
#include <string>
#include <string_view>

namespace leadline::validation {

/// Trims surrounding whitespace and lower-cases; nullopt when the result is not a plausible
/// address (one '@', non-empty local part ≤ 64, a dotted domain, no spaces or controls, ≤ 254).
std::optional<std::string> normalise_email(std::string_view raw);

/// E.164 ("+15551234567") from common written forms: "+1 (555) 123-4567", "+1.555.123.4567",
/// "0015551234567", or 11–15 bare digits that already start with a country code. nullopt for
/// anything else, including national numbers without a country code (ambiguous, so refused
/// rather than guessed).
std::optional<std::string> normalise_phone(std::string_view raw);

/// Upper-cased ISO 3166-1 alpha-2 code when `raw` is an assigned one (case-insensitive).
std::optional<std::string> normalise_country(std::string_view raw);

/// `raw` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view raw);

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// True when `text` is valid UTF-8 without control characters other than tab/newline.
bool is_clean_text(std::string_view text);

/// Count of Unicode code points (text assumed valid UTF-8).
std::size_t code_point_count(std::string_view text);

}  // namespace leadline::validation
