#pragma once
// SHA-256 (FIPS 180-4), for storing API keys as hashes. Self-contained so the wasm build needs
// no crypto library.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace leadline::guards {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

/// Whether `a` equals `digest`, taking the same time wherever they differ (every byte is
/// looked at; a length mismatch is simply unequal).
bool constant_time_equal(const Sha256Digest& digest, std::string_view a);

/// Lower-case hex of a digest.
std::string to_hex(const Sha256Digest& digest);

}  // namespace leadline::guards
