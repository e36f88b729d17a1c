#include "validation/network_address.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

namespace leadline::validation {
namespace {

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t value = 0;
  int parts = 0;
  std::size_t at = 0;
  while (parts < 4) {
    const auto end = text.find('.', at);
    const auto piece = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (piece.empty() || piece.size() > 3) return std::nullopt;
    if (piece.size() > 1 && piece[0] == '0') return std::nullopt;  // octal spellings are ambiguous: refused
    unsigned octet = 0;
    auto [ptr, error] = std::from_chars(piece.data(), piece.data() + piece.size(), octet);
    if (error != std::errc() || ptr != piece.data() + piece.size() || octet > 255) return std::nullopt;
    value = (value << 8) | octet;
    ++parts;
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  if (parts != 4 || text.find('.', at) != std::string_view::npos) return std::nullopt;
  return value;
}

bool in(std::uint32_t address, std::uint32_t network, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (address & mask) == (network & mask);
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) { return (a << 24) | (b << 16) | (c << 8) | d; }

AddressClass classify_ipv4(std::uint32_t address) {
  if (in(address, v4(0, 0, 0, 0), 8)) return AddressClass::Unspecified;
  if (in(address, v4(127, 0, 0, 0), 8)) return AddressClass::Loopback;
  if (in(address, v4(10, 0, 0, 0), 8) || in(address, v4(172, 16, 0, 0), 12) || in(address, v4(192, 168, 0, 0), 16) ||
      in(address, v4(100, 64, 0, 0), 10))
    return AddressClass::Private;
  if (in(address, v4(169, 254, 0, 0), 16)) return AddressClass::LinkLocal;
  if (in(address, v4(192, 0, 0, 0), 24) || in(address, v4(192, 0, 2, 0), 24) || in(address, v4(198, 18, 0, 0), 15) ||
      in(address, v4(198, 51, 100, 0), 24) || in(address, v4(203, 0, 113, 0), 24) || in(address, v4(224, 0, 0, 0), 4) ||
      in(address, v4(240, 0, 0, 0), 4))
    return AddressClass::Reserved;
  return AddressClass::Public;
}

// Eight 16-bit groups; "::" and a trailing dotted quad allowed, zone ids ("%eth0") refused.
std::optional<std::array<std::uint16_t, 8>> parse_ipv6(std::string_view text) {
  if (text.find('%') != std::string_view::npos || text.find(':') == std::string_view::npos) return std::nullopt;
  std::vector<std::uint16_t> head, tail;
  bool gap = false;
  const auto gap_at = text.find("::");
  if (gap_at != std::string_view::npos) {
    if (text.find("::", gap_at + 1) != std::string_view::npos) return std::nullopt;
    gap = true;
  }
  auto read_groups = [](std::string_view part, std::vector<std::uint16_t>& out, bool last) -> bool {
    if (part.empty()) return true;
    std::size_t at = 0;
    for (;;) {
      const auto end = part.find(':', at);
      const auto piece = part.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
      if (end == std::string_view::npos && last && piece.find('.') != std::string_view::npos) {
        auto quad = parse_ipv4(piece);
        if (!quad) return false;
        out.push_back(static_cast<std::uint16_t>(*quad >> 16));
        out.push_back(static_cast<std::uint16_t>(*quad & 0xFFFF));
        return true;
      }
      if (piece.empty() || piece.size() > 4) return false;
      unsigned group = 0;
      auto [ptr, error] = std::from_chars(piece.data(), piece.data() + piece.size(), group, 16);
      if (error != std::errc() || ptr != piece.data() + piece.size()) return false;
      out.push_back(static_cast<std::uint16_t>(group));
      if (end == std::string_view::npos) return true;
      at = end + 1;
    }
  };
  if (gap) {
    if (!read_groups(text.substr(0, gap_at), head, false) || !read_groups(text.substr(gap_at + 2), tail, true))
      return std::nullopt;
    if (head.size() + tail.size() > 7) return std::nullopt;
  } else {
    if (!read_groups(text, head, true) || head.size() != 8) return std::nullopt;
  }
  std::array<std::uint16_t, 8> groups{};
  for (std::size_t i = 0; i < head.size(); ++i) groups[i] = head[i];
  for (std::size_t i = 0; i < tail.size(); ++i) groups[8 - tail.size() + i] = tail[i];
  return groups;
}

AddressClass classify_ipv6(const std::array<std::uint16_t, 8>& g) {
  bool zero_prefix = true;
  for (int i = 0; i < 5; ++i) zero_prefix = zero_prefix && g[i] == 0;
  if (zero_prefix && g[5] == 0xFFFF) return classify_ipv4((std::uint32_t{g[6]} << 16) | g[7]);  // ::ffff:a.b.c.d
  if (zero_prefix && g[5] == 0 && g[6] == 0 && g[7] == 0) return AddressClass::Unspecified;
  if (zero_prefix && g[5] == 0 && g[6] == 0 && g[7] == 1) return AddressClass::Loopback;
  if ((g[0] & 0xFE00) == 0xFC00) return AddressClass::Private;    // fc00::/7 unique local
  if ((g[0] & 0xFFC0) == 0xFE80) return AddressClass::LinkLocal;  // fe80::/10
  if ((g[0] & 0xFF00) == 0xFF00 || (g[0] == 0x2001 && g[1] == 0x0DB8) || zero_prefix) return AddressClass::Reserved;
  if (g[0] == 0x0064 && g[1] == 0xFF9B) return classify_ipv4((std::uint32_t{g[6]} << 16) | g[7]);  // NAT64
  return AddressClass::Public;
}

}  // namespace

std::optional<AddressClass> classify_address(std::string_view text) {
  if (auto address = parse_ipv4(text)) return classify_ipv4(*address);
  if (auto groups = parse_ipv6(text)) return classify_ipv6(*groups);
  return std::nullopt;
}

const char* refused_address_reason(AddressClass kind) {
  switch (kind) {
    case AddressClass::Public: return nullptr;
    case AddressClass::Loopback: return "a loopback address";
    case AddressClass::Private: return "a private network address";
    case AddressClass::LinkLocal: return "a link-local or cloud metadata address";
    case AddressClass::Unspecified: return "an unspecified address";
    case AddressClass::Reserved: return "a reserved address";
  }
  return "a refused address";
}

}  // namespace leadline::validation
