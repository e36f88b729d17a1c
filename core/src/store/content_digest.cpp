#include "store/content_digest.hpp"

#include "guards/sha256.hpp"

namespace leadline::store {

const std::vector<WorkspaceTable>& workspace_tables() {
  static const std::vector<WorkspaceTable> kTables{
      {"workspaces", "id = ?1"},
      {"leads", "workspace_id = ?1"},
      {"lead_tags", "workspace_id = ?1"},
      {"campaigns", "workspace_id = ?1"},
      {"campaign_leads", "campaign_id IN (SELECT id FROM campaigns WHERE workspace_id = ?1)"},
      {"campaign_sequences", "campaign_id IN (SELECT id FROM campaigns WHERE workspace_id = ?1)"},
      {"campaign_webhooks", "campaign_id IN (SELECT id FROM campaigns WHERE workspace_id = ?1)"},
      {"scheduled_emails", "campaign_id IN (SELECT id FROM campaigns WHERE workspace_id = ?1)"},
      {"email_statistics", "campaign_id IN (SELECT id FROM campaigns WHERE workspace_id = ?1)"},
      {"conversation_messages", "campaign_id IN (SELECT id FROM campaigns WHERE workspace_id = ?1)"},
      {"receipts", "workspace_id = ?1"},
      {"receipt_rows", "receipt_id IN (SELECT id FROM receipts WHERE workspace_id = ?1)"},
      {"deleted_leads", "receipt_id IN (SELECT id FROM receipts WHERE workspace_id = ?1)", false},
      {"audit_log", "workspace_id = ?1"},
      {"idempotency_keys", "workspace_id = ?1"},
      {"jobs", "workspace_id = ?1"},
      {"job_payloads", "job_id IN (SELECT id FROM jobs WHERE workspace_id = ?1)"},
      {"suppressions", "workspace_id = ?1", false},
      {"suppression_secret", "EXISTS (SELECT 1 FROM workspaces WHERE id = ?1)", false},
      {"webhook_endpoints", "workspace_id = ?1", false},
      {"webhook_events", "workspace_id = ?1", false},
      {"webhook_deliveries", "event_id IN (SELECT id FROM webhook_events WHERE workspace_id = ?1)", false},
      {"webhook_attempts", "delivery_id IN (SELECT d.id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE e.workspace_id = ?1)", false},
  };
  return kTables;
}

const std::vector<std::string_view>& catalog_tables() {
  static const std::vector<std::string_view> kTables{"workspaces", "users", "user_workspaces", "api_keys"};
  return kTables;
}

Result<std::vector<std::string>> table_columns(Database& db, const std::string& schema_name, std::string_view table) {
  auto stmt = db.prepare("SELECT name FROM pragma_table_info(?, ?) ORDER BY cid");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, table).bind(2, schema_name);
  std::vector<std::string> columns;
  while (stmt->step()) columns.push_back(stmt->text(0));
  if (auto status = stmt->status(); !status) return status.take_error();
  if (columns.empty()) return Error{ErrorCode::Internal, "no table " + std::string(table) + " in " + schema_name};
  return columns;
}

Result<TableDigest> digest_table(Database& db, std::string_view table, const std::vector<std::string>& columns,
                                 std::string_view condition, std::int64_t bound) {
  std::string list, order;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      list += ", ";
      order += ", ";
    }
    list += '"';
    list += columns[i];
    list += '"';
    order += std::to_string(i + 1);
  }
  std::string sql = "SELECT " + list + " FROM " + std::string(table);
  if (!condition.empty()) sql += " WHERE " + std::string(condition);
  sql += " ORDER BY " + order;
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  if (!condition.empty()) stmt->bind(1, bound);
  TableDigest digest;
  // Chained over batches: hash(previous digest + the next rows), so memory stays one batch.
  std::string running(32, '\0');
  std::string batch;
  const auto flush = [&] {
    const auto hashed = guards::sha256(running + batch);
    running.assign(reinterpret_cast<const char*>(hashed.data()), hashed.size());
    batch.clear();
  };
  while (stmt->step()) {
    ++digest.rows;
    for (int column = 0; column < static_cast<int>(columns.size()); ++column) {
      // Type, length and bytes: no two different rows serialise alike.
      const int type = stmt->type(column);
      if (type == SQLITE_NULL) {
        batch += 'N';
        continue;
      }
      const auto value = stmt->blob(column);
      batch += static_cast<char>('0' + type);
      batch += std::to_string(value.size());
      batch += ':';
      batch += value;
    }
    batch += '\n';
    if (batch.size() > 64 * 1024) flush();
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  flush();
  digest.sha256 = guards::to_hex(guards::sha256(running));
  return digest;
}

namespace {

// Every row and column of each table named.
Result<std::map<std::string, TableDigest>> digest_tables(Database& db, const std::vector<std::string_view>& names) {
  std::map<std::string, TableDigest> digests;
  for (auto name : names) {
    auto columns = table_columns(db, "main", name);
    if (!columns) return columns.take_error();
    auto digest = digest_table(db, name, *columns);
    if (!digest) return digest.take_error();
    digests.emplace(std::string(name), std::move(*digest));
  }
  return digests;
}

std::vector<std::string_view> workspace_table_names() {
  std::vector<std::string_view> names;
  for (const auto& table : workspace_tables()) names.push_back(table.name);
  return names;
}

}  // namespace

Result<std::map<std::string, TableDigest>> digest_workspace(Database& db) {
  return digest_tables(db, workspace_table_names());
}

Result<std::string> content_fingerprint(Database& db, bool catalog) {
  auto digests = digest_tables(db, catalog ? catalog_tables() : workspace_table_names());
  if (!digests) return digests.take_error();
  std::string summary;
  for (const auto& [name, digest] : *digests) summary += name + ' ' + std::to_string(digest.rows) + ' ' + digest.sha256 + '\n';
  return guards::to_hex(guards::sha256(summary));
}

}  // namespace leadline::store
