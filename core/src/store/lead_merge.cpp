#include "store/lead_merge.hpp"

#include "domain/vocabulary.hpp"
#include "leadline/ids.hpp"
#include "store/lead_visibility.hpp"

namespace leadline::store {
namespace {

using json = nlohmann::json;

// "(1, 2, 3)": ids are integers, so they may stand in the statement text.
std::string id_list(std::int64_t primary, const std::vector<std::int64_t>& duplicates, bool with_primary) {
  std::string list = with_primary ? std::to_string(primary) : "";
  for (auto id : duplicates) list += (list.empty() ? "" : ", ") + std::to_string(id);
  return "(" + list + ")";
}

// CASE status WHEN 'unsubscribed' THEN 7 … END: domain::merge_precedence as SQL.
std::string precedence(const std::string& column) {
  std::string sql = "CASE " + column;
  for (const auto& term : domain::kMembershipStatuses)
    sql += " WHEN '" + std::string(term.name) + "' THEN " + std::to_string(domain::merge_precedence(term.value));
  return sql + " ELSE 0 END";
}

std::string field(const std::string& column) { return captured_value("r.row", column); }

Status run(Database& db, const std::string& sql, std::int64_t receipt_id) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, receipt_id).run();
}

Result<std::int64_t> single_int(Database& db, const std::string& sql, std::int64_t receipt_id) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, receipt_id);
  std::int64_t value = 0;
  if (stmt->step()) value = stmt->is_null(0) ? 0 : stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return value;
}

}  // namespace

Result<json> LeadMerge::capture(ReceiptStore& receipts, std::int64_t receipt_id, std::int64_t primary,
                                const std::vector<std::int64_t>& duplicates) {
  const auto everyone = id_list(primary, duplicates, true);
  const auto others = id_list(primary, duplicates, false);
  struct Capture {
    const char* table;
    const char* report_key;  ///< nullptr: not counted in the reply
    std::string where;
  };
  const Capture captures[] = {
      {"leads", nullptr, "id = " + std::to_string(primary)},
      {"lead_tags", nullptr, "lead_id = " + std::to_string(primary)},
      {"campaign_leads", "leadMemberships", "lead_id IN " + everyone},
      {"scheduled_emails", "scheduledEmails", "lead_id IN " + others},
      {"email_statistics", "statistics", "lead_id IN " + others},
      {"conversation_messages", "messages", "lead_id IN " + others},
  };
  json counts = json::object();
  for (const auto& capture : captures) {
    auto count = receipts.capture(receipt_id, capture.table, capture.where);
    if (!count) return count.take_error();
    if (capture.report_key) counts[capture.report_key] = *count;
  }
  return counts;
}

Result<std::int64_t> LeadMerge::move_to_primary(std::int64_t primary, const std::vector<std::int64_t>& duplicates) {
  const auto everyone = id_list(primary, duplicates, true);
  const auto others = id_list(primary, duplicates, false);
  const auto lead = std::to_string(primary);
  if (auto status = db_.exec("CREATE TEMP TABLE IF NOT EXISTS merged_memberships (campaign_id INTEGER PRIMARY KEY, "
                             "status TEXT NOT NULL, added_at INTEGER NOT NULL)");
      !status)
    return status.take_error();
  if (auto status = db_.exec("DELETE FROM temp.merged_memberships"); !status) return status.take_error();
  // Per campaign any of them is in: the best status (the primary's on a tie) and the earliest join.
  if (auto status = db_.exec("INSERT INTO temp.merged_memberships (campaign_id, status, added_at) SELECT campaign_id, status, "
                             "first_added FROM (SELECT campaign_id, status, min(added_at) OVER (PARTITION BY campaign_id) AS "
                             "first_added, row_number() OVER (PARTITION BY campaign_id ORDER BY " + precedence("status") +
                             " DESC, lead_id = " + lead + " DESC) AS n FROM campaign_leads WHERE lead_id IN " + everyone +
                             ") WHERE n = 1");
      !status)
    return status.take_error();
  if (auto status = db_.exec("DELETE FROM campaign_leads WHERE lead_id IN " + everyone); !status) return status.take_error();
  if (auto status = db_.exec("INSERT INTO campaign_leads (campaign_id, lead_id, status, added_at) SELECT campaign_id, " + lead +
                             ", status, added_at FROM temp.merged_memberships");
      !status)
    return status.take_error();
  const auto memberships = db_.changes();
  for (const char* table : {"scheduled_emails", "email_statistics", "conversation_messages"}) {
    if (auto status = db_.exec(std::string("UPDATE ") + table + " SET lead_id = " + lead + " WHERE lead_id IN " + others); !status)
      return status.take_error();
  }
  return memberships;
}

Result<json> restore_lead_merge(ReceiptStore& receipts, const ReceiptRecord& receipt) {
  auto& db = receipts.database();
  const auto primary = receipt.summary.value("primaryLeadId", std::int64_t{0});
  const auto primary_id = format_id(kLeadIdPrefix, primary);
  auto primary_live = single_int(db, "SELECT count(*) FROM leads l WHERE l.id = " + std::to_string(primary) + " AND " +
                                         lead_is_live("l.id"), receipt.id);
  if (!primary_live) return primary_live.take_error();
  if (*primary_live == 0) {
    return Error{ErrorCode::Conflict, "The merged lead " + primary_id + " is deleted; restore it first, then un-merge",
                 {{"details", {{"leadId", primary_id}}}}};
  }
  // A duplicate's email or externalId taken by a lead created since: un-merging would make two.
  auto taken = db.prepare("SELECT d.lead_id, l.id FROM deleted_leads d JOIN leads m ON m.id = d.lead_id JOIN leads l ON "
                          "l.workspace_id = m.workspace_id AND l.id <> m.id AND ((l.email = m.email) OR (l.external_id = "
                          "m.external_id)) WHERE d.receipt_id = ?1 AND " + lead_is_live("l.id") + " LIMIT 1");
  if (!taken) return taken.take_error();
  taken->bind(1, receipt.id);
  if (taken->step()) {
    const auto duplicate = format_id(kLeadIdPrefix, taken->int64(0));
    const auto holder = format_id(kLeadIdPrefix, taken->int64(1));
    return Error{ErrorCode::Conflict, "Cannot un-merge: " + duplicate + "'s email or externalId now belongs to " + holder,
                 {{"details", {{"leadId", duplicate}, {"existingLeadId", holder}}}}};
  }
  if (auto status = taken->status(); !status) return status.take_error();

  const std::string rows = " FROM receipt_rows r WHERE r.receipt_id = ?1 AND r.table_name = ";
  // The duplicates' rows go back to them (those deleted since stay deleted).
  for (const char* table : {"scheduled_emails", "email_statistics", "conversation_messages"}) {
    if (auto status = run(db, std::string("UPDATE ") + table + " SET lead_id = (SELECT " + field("lead_id") + rows + "'" +
                                  table + "' AND " + field("id") + " = " + table + ".id) WHERE id IN (SELECT " + field("id") +
                                  rows + "'" + table + "')",
                          receipt.id);
        !status)
      return status.take_error();
  }
  // Memberships as they were: the primary's of those campaigns go, the captured ones come back.
  if (auto status = run(db, "DELETE FROM campaign_leads WHERE lead_id = " + std::to_string(primary) +
                                " AND campaign_id IN (SELECT " + field("campaign_id") + rows + "'campaign_leads')",
                        receipt.id);
      !status)
    return status.take_error();
  if (auto status = run(db, "INSERT OR REPLACE INTO campaign_leads (campaign_id, lead_id, status, added_at) SELECT " +
                                field("campaign_id") + ", " + field("lead_id") + ", " + field("status") + ", " +
                                field("added_at") + rows + "'campaign_leads' AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = " +
                                field("campaign_id") + ")",
                        receipt.id);
      !status)
    return status.take_error();
  const auto memberships = db.changes();

  // The primary's fields, unless written since the merge (then its newer values stay).
  auto untouched = single_int(db, "SELECT count(*) FROM leads WHERE id = " + std::to_string(primary) + " AND updated_at = " +
                                      std::to_string(receipt.summary.value("mergedAt", std::int64_t{0})),
                              receipt.id);
  if (!untouched) return untouched.take_error();
  json report = json::object();
  if (*untouched > 0) {
    auto columns = receipts.columns("leads");
    if (!columns) return columns.take_error();
    std::string assignments;
    for (const auto& column : *columns) {
      if (column == "id") continue;
      assignments += (assignments.empty() ? "" : ", ") + column + " = " + field(column);
    }
    if (auto status = run(db, "UPDATE leads SET " + assignments +
                                  " FROM receipt_rows r WHERE r.receipt_id = ?1 AND r.table_name = 'leads' AND leads.id = " + field("id"),
                          receipt.id);
        !status)
      return status.take_error();
    if (auto status = run(db, "DELETE FROM lead_tags WHERE lead_id = " + std::to_string(primary), receipt.id);
        !status)
      return status.take_error();
    if (auto status = run(db, "INSERT OR IGNORE INTO lead_tags (workspace_id, tag, lead_id) SELECT " + field("workspace_id") +
                                  ", " + field("tag") + ", " + field("lead_id") + rows + "'lead_tags'",
                          receipt.id);
        !status)
      return status.take_error();
  } else {
    report["primaryKept"] = true;
  }
  auto unmarked = db.prepare("DELETE FROM deleted_leads WHERE receipt_id = ?");
  if (!unmarked) return unmarked.take_error();
  if (auto status = unmarked->bind(1, receipt.id).run(); !status) return status.take_error();
  report["restored"] = {{"leads", db.changes()}, {"leadMemberships", memberships}};
  report["skipped"] = json::object();
  report["conflicts"] = json::array();
  return report;
}

}  // namespace leadline::store
