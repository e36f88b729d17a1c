#pragma once
// API keys: generation, display form, extraction from a request, and authentication.

#include "leadline/http.hpp"
#include "leadline/result.hpp"
#include "domain/api_key_record.hpp"
#include "validation/query_params.hpp"

#include <array>
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

/// The key a request presents in `X-Api-Key`, `Authorization: Bearer` or `?api_key=`: 401 when
/// there is none, when a header or parameter carries one twice, when two places carry different
/// keys, or when it cannot be a key at all. With `allow_query_key` false, a key in `?api_key=` is
/// refused (401) instead of read.
Result<std::string> read_presented_key(const Request& request, const validation::QueryParams& query,
                                       bool allow_query_key = true);

/// Judges what the store found for the presented key's hash: 401 "Invalid or inactive API key"
/// unless it is a known, active key whose stored hash matches (compared in constant time).
Status judge_key_record(const std::array<std::uint8_t, 32>& presented_hash, const std::optional<domain::ApiKeyRecord>& record);

/// The workspace `X-Workspace-Id` names, if the header is there (400 when it is not a ws_ id).
Result<std::optional<std::int64_t>> read_requested_workspace(const Request& request);

/// Who a verified key is, in which workspace: a workspace key in its own (403 when the request
/// names another); a platform key in the workspace it names (400 without one, 403 unless
/// `member`: the key's user is a member of that workspace).
Result<Principal> principal_for(const domain::ApiKeyRecord& key, std::optional<std::int64_t> requested, bool member);

/// 403 FORBIDDEN unless the principal holds `scope` ("read" or "write").
Status require_scope(const Principal& principal, std::string_view scope);

}  // namespace leadline::guards
