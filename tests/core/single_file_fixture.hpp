#pragma once
// A database in the single-file layout (every workspace in one file), as servers before
// workspace databases wrote it: what the upgrade tests convert. Written with the single file's
// own migrations and plain SQL, since no engine writes this layout any more.

#include "guards/api_key.hpp"
#include "guards/sha256.hpp"
#include "leadline/ids.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace leadline::testing {

struct SingleFileWorkspace {
  std::int64_t id = 0;
  std::string key;  ///< a workspace key with read and write scopes
};

inline void must(const Status& status) {
  if (!status) throw std::runtime_error(status.error().message);
}

/// Writes `workspaces` workspaces of `leads` leads each (tagged, two campaigns with members and
/// owned rows, a restorable receipt, audit entries, an idempotent reply and a finished job) to a
/// new single-file database at `path`.
inline std::vector<SingleFileWorkspace> write_single_file_database(const std::string& path, int workspaces, int leads) {
  auto opened = store::Database::open(path);
  if (!opened) throw std::runtime_error(opened.error().message);
  auto& db = **opened;
  must(store::migrate(db, store::Schema::SingleFile));
  must(db.exec("BEGIN"));
  std::vector<SingleFileWorkspace> made;
  const std::int64_t now = 1705420000000;
  for (int w = 0; w < workspaces; ++w) {
    const std::int64_t ws = (now + w) << 16;  // the ids of the time: milliseconds << 16
    const std::string n = std::to_string(w);
    const std::string id = std::to_string(ws);
    const auto key = guards::generate_api_key(false);
    const auto hash = guards::sha256(key);
    must(db.exec("INSERT INTO workspaces VALUES (" + id + ", 'Workspace " + n + "', " + std::to_string(now) + ");"
                 "INSERT INTO users VALUES (" + id + " + 1, 'Owner " + n + "', 0);"
                 "INSERT INTO user_workspaces VALUES (" + id + " + 1, " + id + ");"));
    auto insert_key = db.prepare(
        "INSERT INTO api_keys (id, kind, workspace_id, key_hash, display, scopes, created_at) "
        "VALUES (?, 'workspace', ?, ?, ?, '[\"read\",\"write\"]', 0)");
    if (!insert_key) throw std::runtime_error(insert_key.error().message);
    insert_key->bind(1, ws + 2).bind(2, ws).bind_blob(3, hash.data(), static_cast<int>(hash.size())).bind(4, guards::display_form(key));
    must(insert_key->run());
    must(db.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(leads) + ") "
        "INSERT INTO leads (id, workspace_id, email, first_name, external_id, status, tags, email_verification_status, "
        "custom_fields, created_at, updated_at) SELECT " + id + " + 100 + i, " + id + ", 'w" + n + "-' || i || "
        "'@example.com', 'Lead ' || i, 'x' || i, 'active', '[\"t' || (i % 3) || '\"]', 'unverified', "
        "'{\"n\":' || i || '}', " + std::to_string(now) + ", " + std::to_string(now) + " FROM n;"
        "INSERT INTO lead_tags SELECT workspace_id, json_extract(tags, '$[0]'), id FROM leads WHERE workspace_id = " + id + ";"
        "INSERT INTO campaigns VALUES (" + id + " + 10, " + id + ", 'First', 'ACTIVE', NULL, 0, 0), "
        "(" + id + " + 11, " + id + ", 'Second', 'DRAFTED', NULL, 0, 0);"
        "INSERT INTO campaign_leads SELECT " + id + " + 10, id, 'active', 0 FROM leads WHERE workspace_id = " + id + " AND id % 2 = 0;"
        "INSERT INTO campaign_sequences VALUES (" + id + " + 20, " + id + " + 10, 1, 'Hi', 'Body', 0, 0);"
        "INSERT INTO campaign_webhooks VALUES (" + id + " + 21, " + id + " + 10, NULL, 'https://h.example', '[\"email.sent\"]', 0);"
        "INSERT INTO email_statistics (campaign_id, lead_id, step_number, event, occurred_at) "
        "SELECT " + id + " + 10, lead_id, 1, 'sent', 0 FROM campaign_leads WHERE campaign_id = " + id + " + 10;"
        "INSERT INTO scheduled_emails (campaign_id, lead_id, sequence_id, scheduled_at, status) VALUES (" + id + " + 10, " + id + " + 102, " + id + " + 20, 0, 'scheduled');"
        "INSERT INTO conversation_messages (campaign_id, lead_id, direction, subject, body, sent_at) VALUES (" + id + " + 10, " + id + " + 102, 'outbound', 'Hi', 'Body', 0);"
        "INSERT INTO receipts VALUES (" + id + " + 30, " + id + ", 'lead_delete', 'DELETE /api/v1/leads', '{}', 1, 'sk_', 0, 9999999999999, NULL, NULL);"
        // Two identical rows: only the rowid told them apart, and the copy must keep both.
        "INSERT INTO receipt_rows VALUES (" + id + " + 30, 'lead_tags', '{\"tag\":\"old\"}'), (" + id + " + 30, 'lead_tags', '{\"tag\":\"old\"}');"
        "INSERT INTO audit_log VALUES (" + id + " + 40, " + id + ", 0, 'sk_', 'POST', '/api/v1/leads', 'POST /leads', '{}', 201, '{}', NULL);"
        "INSERT INTO idempotency_keys VALUES (" + id + ", " + id + " + 2, 'retry-1', 'f', 201, '{}', '{\"success\":true}', 0);"
        "INSERT INTO jobs (id, workspace_id, kind, status, key_prefix, plan, cursor, total, processed, result, created_at, updated_at, finished_at) "
        "VALUES (" + id + " + 50, " + id + ", 'lead_import', 'succeeded', 'sk_', '{}', 0, 1, 1, '{}', 0, 0, 0);"
        "INSERT INTO job_payloads VALUES (" + id + " + 50, 'email\\na@example.com');"));
    made.push_back({ws, key});
  }
  must(db.exec("COMMIT"));
  return made;
}

}  // namespace leadline::testing
