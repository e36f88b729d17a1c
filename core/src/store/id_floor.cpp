#include "store/id_floor.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace leadline::store {

Result<std::int64_t> max_used_id(Database& db, Schema schema) {
  static const std::vector<std::string_view> kCatalogTables = {"workspaces", "users", "api_keys"};
  static const std::vector<std::string_view> kWorkspaceTables = {
      "workspaces", "leads", "campaigns", "campaign_sequences", "campaign_webhooks", "receipts", "audit_log", "jobs"};
  std::vector<std::string_view> tables;
  if (schema != Schema::Workspace) tables.insert(tables.end(), kCatalogTables.begin(), kCatalogTables.end());
  if (schema != Schema::Catalog) tables.insert(tables.end(), kWorkspaceTables.begin(), kWorkspaceTables.end());
  if (schema == Schema::Workspace) {  // not in the single-file layout
    for (const char* table : {"suppressions", "webhook_endpoints", "webhook_events"})
      tables.push_back(table);
  }
  std::string sql = "SELECT max(0";
  for (auto table : tables) sql += ", coalesce((SELECT max(id) FROM " + std::string(table) + "), 0)";
  sql += ")";
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  if (!stmt->step()) return db.error("max id");
  return stmt->int64(0);
}

}  // namespace leadline::store
