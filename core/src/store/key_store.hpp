#pragma once
// Workspaces, users (owners of platform keys) and API keys. Keys are stored only as SHA-256
// hashes with a display form (prefix and last four characters).

#include "domain/api_key_record.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::store {

using KeyRecord = domain::ApiKeyRecord;

struct WorkspaceRecord {
  std::int64_t id = 0;
  std::string name;
  std::int64_t created_at = 0;
};

class KeyStore {
 public:
  explicit KeyStore(Database& db) : db_(db) {}

  Status insert_workspace(const WorkspaceRecord& workspace);
  Result<std::vector<WorkspaceRecord>> list_workspaces();
  Result<bool> workspace_exists(std::int64_t id);

  Status insert_user(std::int64_t id, const std::string& name, std::int64_t now);
  Result<bool> user_exists(std::int64_t id);
  Status add_user_to_workspace(std::int64_t user_id, std::int64_t workspace_id);
  Result<bool> is_member(std::int64_t user_id, std::int64_t workspace_id);

  Status insert_key(const KeyRecord& key, const std::array<std::uint8_t, 32>& hash);
  /// The key with this hash, revoked or not.
  Result<std::optional<KeyRecord>> find_key_by_hash(const std::array<std::uint8_t, 32>& hash);
  /// Keys of a workspace (workspace keys and platform keys of its members), or all keys.
  Result<std::vector<KeyRecord>> list_keys(std::optional<std::int64_t> workspace_id);
  /// Marks a key revoked; false when no such active key exists.
  Result<bool> revoke_key(std::int64_t id, std::int64_t now);

 private:
  Database& db_;
};

}  // namespace leadline::store
