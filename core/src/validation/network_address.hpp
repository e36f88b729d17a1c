#pragma once
// Which network a literal IP address belongs to, for the webhook rule that nothing is sent to
// this machine, a private network or a cloud's metadata service (server-side request forgery).

#include <optional>
#include <string_view>

namespace leadline::validation {

enum class AddressClass {
  Public,
  Loopback,     ///< 127.0.0.0/8, ::1
  Private,      ///< 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier NAT), fc00::/7
  LinkLocal,    ///< 169.254/16 (which holds the metadata services at 169.254.169.254), fe80::/10
  Unspecified,  ///< 0.0.0.0/8, ::
  Reserved,     ///< multicast, broadcast, documentation and other ranges nobody receives webhooks on
};

/// The class of a dotted-quad IPv4 or an IPv6 address (IPv4-mapped IPv6 counts as its IPv4
/// address); nullopt when `text` is not a literal address.
std::optional<AddressClass> classify_address(std::string_view text);

/// Why an address of `kind` may not receive webhooks ("a loopback address", ...); nullptr for
/// a public one.
const char* refused_address_reason(AddressClass kind);

}  // namespace leadline::validation
