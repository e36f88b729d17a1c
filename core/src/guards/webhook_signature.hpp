#pragma once
// Webhook signatures as the Standard Webhooks specification defines them: a secret is
// `whsec_` + base64 of its key bytes; the signed content is `<webhook-id>.<webhook-timestamp>.<body>`;
// a signature is `v1,` + base64 of HMAC-SHA256 over it. The `webhook-signature` header carries
// one or more signatures separated by spaces (several while a rotated secret overlaps the new one).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::guards {

/// The key bytes of a `whsec_…` secret; nullopt unless it is that prefix and base64 of 24–64 bytes.
std::optional<std::string> webhook_secret_key(std::string_view secret);

/// A new secret (`whsec_` + base64 of 32 random bytes from the OS's CSPRNG).
std::string new_webhook_secret();

/// `v1,<base64 signature>` of the message `id` sent at `timestamp` (seconds) with `body`, under
/// the key of `secret` (a `whsec_…` value that webhook_secret_key accepts).
std::string sign_webhook(std::string_view secret, std::string_view id, std::int64_t timestamp, std::string_view body);

/// The `webhook-signature` header: one signature per secret, space-separated, in the order given.
std::string webhook_signature_header(const std::vector<std::string>& secrets, std::string_view id, std::int64_t timestamp,
                                     std::string_view body);

}  // namespace leadline::guards
