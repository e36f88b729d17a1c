#pragma once
// A stored API key as authentication judges it: what the store keeps of a key (never the key).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::domain {

struct ApiKeyRecord {
  std::int64_t id = 0;
  std::string kind;  ///< "workspace" or "platform"
  std::optional<std::int64_t> workspace_id;
  std::optional<std::int64_t> user_id;
  std::string display;  ///< e.g. "sk_Ab3d…9xYz"
  std::vector<std::string> scopes;
  std::optional<std::vector<std::int64_t>> campaign_ids;  ///< nullopt: all campaigns
  std::optional<std::string> label;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> revoked_at;
  std::string stored_hash;  ///< the 32 stored hash bytes; filled by lookups by hash only
};

}  // namespace leadline::domain
