#pragma once
// Base64 (RFC 4648, standard alphabet): how changesets cross a JSON head, and how webhook
// secrets and signatures are written.

#include <optional>
#include <string>
#include <string_view>

namespace leadline::validation {

/// `bytes` in base64, with padding.
std::string base64(std::string_view bytes);

/// The bytes `text` encodes in base64 (padding optional); nullopt if it is not base64.
std::optional<std::string> from_base64(std::string_view text);

}  // namespace leadline::validation
