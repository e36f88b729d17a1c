#include "guards/api_key.hpp"

#include "guards/sha256.hpp"
#include "leadline/ids.hpp"
#include "validation/normalise.hpp"

#include <algorithm>
#include <cctype>
#include <random>

namespace leadline::guards {
namespace {

Error invalid_key() { return Error{ErrorCode::Unauthorized, "Invalid or inactive API key"}; }

// The presented key, from whichever of the three places carries it.
Result<std::string> presented_key(const Request& request, const validation::QueryParams& query,
                                  bool allow_query_key) {
  std::vector<std::string> found;
  if (auto header = find_header(request, "x-api-key")) found.emplace_back(validation::trim(*header));
  if (auto header = find_header(request, "authorization")) {
    const auto value = validation::trim(*header);
    constexpr std::string_view kBearer = "Bearer ";
    if (value.size() > kBearer.size() && std::equal(kBearer.begin(), kBearer.end(), value.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      found.emplace_back(validation::trim(value.substr(kBearer.size())));
    } else {
      return Error{ErrorCode::Unauthorized, "Invalid or inactive API key",
                   {{"details", {{"message", "Authorization must be \"Bearer <key>\""}}}}};
    }
  }
  // Hosts join a repeated header with ", " (as HTTP does), and a key never holds a comma: a
  // request that carries a credential twice, equal or not, is refused whole rather than read
  // one way by one layer and another way by the next.
  const auto query_keys = std::count_if(query.begin(), query.end(), [](const auto& p) { return p.first == "api_key"; });
  const bool repeated_header = std::any_of(found.begin(), found.end(), [](const std::string& key) {
    return key.find(',') != std::string::npos;
  });
  if (query_keys > 1 || repeated_header) {
    return Error{ErrorCode::Unauthorized, "Invalid or inactive API key",
                 {{"details", {{"message", "The request carries more than one API key; send exactly one"}}}}};
  }
  if (auto param = validation::query_value(query, "api_key")) {
    if (!allow_query_key) {
      return Error{ErrorCode::Unauthorized, "Invalid or inactive API key",
                   {{"details", {{"message", "?api_key= is switched off on this server: send the key in X-Api-Key or "
                                             "Authorization: Bearer (a URL ends up in logs and browser history)"}}}}};
    }
    found.emplace_back(validation::trim(*param));
  }
  if (found.empty()) {
    return Error{ErrorCode::Unauthorized, "Invalid or inactive API key",
                 {{"details", {{"message", "Send your key in X-Api-Key, Authorization: Bearer, or ?api_key="}}}}};
  }
  for (const auto& key : found) {
    if (key != found.front()) {
      return Error{ErrorCode::Unauthorized, "Invalid or inactive API key",
                   {{"details", {{"message", "The request carries two different API keys"}}}}};
    }
  }
  return found.front();
}

}  // namespace

bool looks_like_secret(std::string_view text) {
  constexpr std::size_t kMinSecretTail = 12;
  for (std::string_view prefix : {std::string_view("sk_"), std::string_view("whsec_")}) {
    for (auto at = text.find(prefix); at != std::string_view::npos; at = text.find(prefix, at + 1)) {
      std::size_t tail = 0;
      for (auto i = at + prefix.size(); i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!std::isalnum(c) && c != '_' && c != '-') break;
        ++tail;
      }
      if (tail >= kMinSecretTail) return true;
    }
  }
  return false;
}

bool names_a_secret(std::string_view name) {
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : {"key", "token", "secret", "password", "authorization"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string generate_api_key(bool platform) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::random_device entropy;  // the OS CSPRNG natively, crypto.getRandomValues under wasm
  std::string key(platform ? kPlatformKeyPrefix : kWorkspaceKeyPrefix);
  while (key.size() < (platform ? kPlatformKeyPrefix : kWorkspaceKeyPrefix).size() + 32) {
    const auto value = entropy() & 0xFF;
    if (value < 248) key.push_back(kAlphabet[value % 62]);  // 248 = 4 * 62: no modulo bias
  }
  return key;
}

std::string display_form(const std::string& key) {
  const auto prefix = key.rfind(kPlatformKeyPrefix, 0) == 0 ? kPlatformKeyPrefix : kWorkspaceKeyPrefix;
  if (key.size() < prefix.size() + 8) return std::string(prefix) + "…";
  return key.substr(0, prefix.size() + 4) + "…" + key.substr(key.size() - 4);
}

Result<std::string> read_presented_key(const Request& request, const validation::QueryParams& query,
                                       bool allow_query_key) {
  auto key = presented_key(request, query, allow_query_key);
  if (!key) return key.take_error();
  if (key->rfind(kWorkspaceKeyPrefix, 0) != 0 || key->size() > 200) return invalid_key();
  return key;
}

Status judge_key_record(const std::array<std::uint8_t, 32>& presented_hash, const std::optional<domain::ApiKeyRecord>& record) {
  // Found by its SHA-256 (the index's timing depends on the hash, which an attacker cannot steer
  // toward a real key's); the match is confirmed in constant time, so no comparison of ours ends
  // early on the first differing byte.
  if (!record || !constant_time_equal(presented_hash, record->stored_hash) || record->revoked_at) return invalid_key();
  return Ok{};
}

Result<std::optional<std::int64_t>> read_requested_workspace(const Request& request) {
  const auto header = find_header(request, "x-workspace-id");
  if (!header) return std::optional<std::int64_t>{};
  auto requested = parse_id(kWorkspaceIdPrefix, validation::trim(*header));
  if (!requested) return Error::invalid_field("X-Workspace-Id", "is not a workspace id (ws_…)");
  return std::optional<std::int64_t>{*requested};
}

Result<Principal> principal_for(const domain::ApiKeyRecord& found, std::optional<std::int64_t> requested, bool member) {
  Principal principal;
  principal.key_id = found.id;
  principal.can_read = std::find(found.scopes.begin(), found.scopes.end(), "read") != found.scopes.end();
  principal.can_write = std::find(found.scopes.begin(), found.scopes.end(), "write") != found.scopes.end();
  principal.campaign_ids = found.campaign_ids;
  principal.key_display = found.display;
  if (found.kind == "workspace") {
    if (requested && *requested != *found.workspace_id) {
      return Error{ErrorCode::Forbidden, "Forbidden",
                   {{"details", {{"message", "This key belongs to another workspace"}}}}};
    }
    principal.workspace_id = *found.workspace_id;
    return principal;
  }
  if (!requested) {
    return Error::invalid_field("X-Workspace-Id", "is required with a platform key (sk_user_…)");
  }
  if (!member) {
    return Error{ErrorCode::Forbidden, "Forbidden",
                 {{"details", {{"message", "This key has no access to that workspace"}}}}};
  }
  principal.workspace_id = *requested;
  return principal;
}

Status require_scope(const Principal& principal, std::string_view scope) {
  const bool allowed = scope == "read" ? principal.can_read : principal.can_write;
  if (allowed) return Ok{};
  return Error{ErrorCode::Forbidden, "Forbidden",
               {{"details", {{"message", "This key lacks the " + std::string(scope) + " scope"}}}}};
}

}  // namespace leadline::guards
