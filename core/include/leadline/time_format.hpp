#pragma once
/// ISO 8601 UTC timestamps with milliseconds, the only time format on the wire.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadline {

/// "2024-01-16T15:45:00.000Z" for `ms` since the epoch.
std::string format_timestamp(std::int64_t ms);

/// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" into ms since the epoch.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

}  // namespace leadline
