#include "store/key_store.hpp"

#include <nlohmann/json.hpp>

namespace leadline::store {
namespace {

constexpr const char* kKeyColumns =
    "id, kind, workspace_id, user_id, display, scopes, campaign_ids, label, created_at, revoked_at";

KeyRecord read_key(const Statement& row) {
  KeyRecord key;
  key.id = row.int64(0);
  key.kind = row.text(1);
  if (!row.is_null(2)) key.workspace_id = row.int64(2);
  if (!row.is_null(3)) key.user_id = row.int64(3);
  key.display = row.text(4);
  key.scopes = nlohmann::json::parse(row.text(5)).get<std::vector<std::string>>();
  if (!row.is_null(6)) key.campaign_ids = nlohmann::json::parse(row.text(6)).get<std::vector<std::int64_t>>();
  key.label = row.optional_text(7);
  key.created_at = row.int64(8);
  if (!row.is_null(9)) key.revoked_at = row.int64(9);
  return key;
}

Result<bool> exists(Database& db, const std::string& sql, std::int64_t a, std::optional<std::int64_t> b = {}) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, a);
  if (b) stmt->bind(2, *b);
  const bool found = stmt->step();
  if (auto status = stmt->status(); !status) return status.take_error();
  return found;
}

}  // namespace

Status KeyStore::insert_workspace(const WorkspaceRecord& workspace) {
  auto stmt = db_.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, workspace.id).bind(2, workspace.name).bind(3, workspace.created_at).run();
}

Result<std::vector<WorkspaceRecord>> KeyStore::list_workspaces() {
  auto stmt = db_.prepare("SELECT id, name, created_at FROM workspaces ORDER BY id");
  if (!stmt) return stmt.take_error();
  std::vector<WorkspaceRecord> workspaces;
  while (stmt->step()) workspaces.push_back({stmt->int64(0), stmt->text(1), stmt->int64(2)});
  if (auto status = stmt->status(); !status) return status.take_error();
  return workspaces;
}

Result<bool> KeyStore::workspace_exists(std::int64_t id) {
  return exists(db_, "SELECT 1 FROM workspaces WHERE id = ?", id);
}

Status KeyStore::insert_user(std::int64_t id, const std::string& name, std::int64_t now) {
  auto stmt = db_.prepare("INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, id).bind(2, name).bind(3, now).run();
}

Result<bool> KeyStore::user_exists(std::int64_t id) { return exists(db_, "SELECT 1 FROM users WHERE id = ?", id); }

Status KeyStore::add_user_to_workspace(std::int64_t user_id, std::int64_t workspace_id) {
  auto stmt = db_.prepare("INSERT OR IGNORE INTO user_workspaces (user_id, workspace_id) VALUES (?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, user_id).bind(2, workspace_id).run();
}

Result<bool> KeyStore::is_member(std::int64_t user_id, std::int64_t workspace_id) {
  return exists(db_, "SELECT 1 FROM user_workspaces WHERE user_id = ? AND workspace_id = ?", user_id, workspace_id);
}

Status KeyStore::insert_key(const KeyRecord& key, const std::array<std::uint8_t, 32>& hash) {
  auto stmt = db_.prepare(
      "INSERT INTO api_keys (id, kind, workspace_id, user_id, key_hash, display, scopes, campaign_ids, label, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, key.id).bind(2, key.kind);
  key.workspace_id ? stmt->bind(3, *key.workspace_id) : stmt->bind_null(3);
  key.user_id ? stmt->bind(4, *key.user_id) : stmt->bind_null(4);
  stmt->bind_blob(5, hash.data(), static_cast<int>(hash.size()));
  stmt->bind(6, key.display).bind(7, nlohmann::json(key.scopes).dump());
  key.campaign_ids ? stmt->bind(8, nlohmann::json(*key.campaign_ids).dump()) : stmt->bind_null(8);
  stmt->bind(9, key.label).bind(10, key.created_at);
  return stmt->run();
}

Result<std::optional<KeyRecord>> KeyStore::find_key_by_hash(const std::array<std::uint8_t, 32>& hash) {
  auto stmt = db_.prepare(std::string("SELECT ") + kKeyColumns + ", key_hash FROM api_keys WHERE key_hash = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind_blob(1, hash.data(), static_cast<int>(hash.size()));
  std::optional<KeyRecord> key;
  if (stmt->step()) {
    key = read_key(*stmt);
    key->stored_hash = stmt->blob(10);
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  return key;
}

Result<std::vector<KeyRecord>> KeyStore::list_keys(std::optional<std::int64_t> workspace_id) {
  auto stmt = db_.prepare(
      std::string("SELECT ") + kKeyColumns +
      " FROM api_keys WHERE ?1 IS NULL OR workspace_id = ?1 OR user_id IN "
      "(SELECT user_id FROM user_workspaces WHERE workspace_id = ?1) ORDER BY id");
  if (!stmt) return stmt.take_error();
  workspace_id ? stmt->bind(1, *workspace_id) : stmt->bind_null(1);
  std::vector<KeyRecord> keys;
  while (stmt->step()) keys.push_back(read_key(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  return keys;
}

Result<bool> KeyStore::revoke_key(std::int64_t id, std::int64_t now) {
  auto stmt = db_.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, now).bind(2, id).run(); !status) return status.take_error();
  return db_.changes() > 0;
}

}  // namespace leadline::store
