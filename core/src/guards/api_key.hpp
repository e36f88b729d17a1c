#pragma once
// API keys: generation, display form, extraction from a request, and authentication.

#include "leadline/http.hpp"
#include "leadline/result.hpp"
#include "store/key_store.hpp"
#include "validation/query_params.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::guards {

inline constexpr std::string_view kWorkspaceKeyPrefix = "sk_";
inline constexpr std::string_view kPlatformKeyPrefix = "sk_user_";

/// A new random key: "sk_" or "sk_user_" followed by 32 base62 characters (~190 bits).
std::string generate_api_key(bool platform);

/// What may be shown of a key after creation: its prefix, four characters, "…", last four.
std::string display_form(const std::string& key);

/// Whether `text` holds something shaped like a secret: an API key (`sk_…`), a webhook signing
/// secret (`whsec_…`) or a long unbroken token after either. Records that outlive a request (the
/// audit trail) store no such value, under whatever name it came.
bool looks_like_secret(std::string_view text);

/// Whether a field or parameter name says its value is a secret (key, token, secret, password,
/// authorization, in any case).
bool names_a_secret(std::string_view name);

/// Who is calling, after authentication.
struct Principal {
  std::int64_t key_id = 0;
  std::int64_t workspace_id = 0;
  bool can_read = false;
  bool can_write = false;
  std::optional<std::vector<std::int64_t>> campaign_ids;  ///< nullopt: every campaign
  std::string key_display;
};

/// Finds the key in `X-Api-Key`, `Authorization: Bearer` or `?api_key=` (401 if two differ,
/// or none is given), checks it is known and active (401 "Invalid or inactive API key"), and
/// resolves the workspace (platform keys name it in `X-Workspace-Id`; 400 if missing, 403 if the
/// key's user is not a member). With `allow_query_key` false, a key in `?api_key=` is refused
/// (401) instead of read.
Result<Principal> authenticate(const Request& request, const validation::QueryParams& query,
                               store::KeyStore& keys, bool allow_query_key = true);

/// 403 FORBIDDEN unless the principal holds `scope` ("read" or "write").
Status require_scope(const Principal& principal, std::string_view scope);

}  // namespace leadline::guards
