#include "guards/webhook_signature.hpp"

#include "guards/sha256.hpp"
#include "validation/base64.hpp"

#include <random>

namespace leadline::guards {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kSecretBytes = 32;

}  // namespace

std::optional<std::string> webhook_secret_key(std::string_view secret) {
  if (secret.substr(0, kSecretPrefix.size()) != kSecretPrefix) return std::nullopt;
  auto key = validation::from_base64(secret.substr(kSecretPrefix.size()));
  if (!key || key->size() < 24 || key->size() > 64) return std::nullopt;
  return key;
}

std::string new_webhook_secret() {
  std::random_device entropy;  // the OS CSPRNG natively, crypto.getRandomValues under wasm
  std::string key(kSecretBytes, '\0');
  for (auto& byte : key) byte = static_cast<char>(entropy() & 0xff);
  return std::string(kSecretPrefix) + validation::base64(key);
}

std::string sign_webhook(std::string_view secret, std::string_view id, std::int64_t timestamp, std::string_view body) {
  const auto key = webhook_secret_key(secret).value_or(std::string{});
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  const auto digest = hmac_sha256(key, content);
  return "v1," + validation::base64(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string webhook_signature_header(const std::vector<std::string>& secrets, std::string_view id, std::int64_t timestamp,
                                     std::string_view body) {
  std::string header;
  for (const auto& secret : secrets) {
    if (!header.empty()) header += ' ';
    header += sign_webhook(secret, id, timestamp, body);
  }
  return header;
}

}  // namespace leadline::guards
