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

/// Lower-case hex of a digest.
std::string to_hex(const Sha256Digest& digest);

}  // namespace leadline::guards
