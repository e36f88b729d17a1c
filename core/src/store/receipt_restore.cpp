#include "store/receipt_restore.hpp"

#include "leadline/ids.hpp"
#include "store/lead_visibility.hpp"
#include "store/suppression_store.hpp"

#include <algorithm>
#include <string_view>

namespace leadline::store {
namespace {

using json = nlohmann::json;

// A captured row's value of `column` inside the restore statements below (`r` is receipt_rows).
std::string field(const std::string& column) { return captured_value("r.row", column); }

const std::string kSkippedLeads = "(SELECT id FROM temp.restore_skipped_leads)";

std::string campaign_exists() {
  return "EXISTS (SELECT 1 FROM campaigns c WHERE c.id = " + field("campaign_id") + ")";
}
std::string lead_not_skipped() { return field("lead_id") + " NOT IN " + kSkippedLeads; }
std::string lead_exists() {
  return "EXISTS (SELECT 1 FROM leads l WHERE l.id = " + field("lead_id") + ") AND " + lead_is_live(field("lead_id"));
}

struct RestoreStep {
  const char* table;
  const char* report_key;  ///< nullptr: restored with its parent, not reported on its own
  const char* conflict;    ///< "OR IGNORE" / "OR REPLACE" / ""
  std::string condition;
};

// Parents first, so every child's condition sees its parent already back.
std::vector<RestoreStep> restore_steps() {
  return {
      {"campaigns", "campaigns", "", "NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = " + field("id") + ")"},
      {"leads", "leads", "", field("id") + " NOT IN " + kSkippedLeads},
      {"lead_tags", nullptr, "OR IGNORE", lead_not_skipped() + " AND " + lead_exists()},
      // OR REPLACE: a delete in an active campaign left the membership as a `removed` row; the
      // restore gives it back its earlier status.
      {"campaign_leads", "leadMemberships", "OR REPLACE",
       campaign_exists() + " AND " + lead_not_skipped() + " AND (" + field("status") + " = 'removed' OR " +
           lead_exists() + ")"},
      {"campaign_sequences", "sequences", "OR IGNORE", campaign_exists()},
      {"campaign_webhooks", "webhooks", "OR IGNORE", campaign_exists()},
      {"scheduled_emails", "scheduledEmails", "OR IGNORE",
       campaign_exists() + " AND " + lead_not_skipped() + " AND " + lead_exists()},
      {"email_statistics", "statistics", "OR IGNORE", campaign_exists() + " AND " + lead_not_skipped()},
      {"conversation_messages", "messages", "OR IGNORE",
       campaign_exists() + " AND " + lead_not_skipped() + " AND " + lead_exists()},
  };
}

// Leads the receipt would bring back whose id, email or externalId is held by a live lead now:
// each goes to the skipped set and into the report. A receipt brings back the leads it marked
// and, if it was written before deletes marked, the leads it copied as rows.
Result<json> find_lead_conflicts(Database& db, std::int64_t receipt_id) {
  const auto holder = [](const std::string& lead, const std::string& column, const std::string& value) {
    return "(SELECT l.id FROM leads l WHERE l.workspace_id = " + lead + ".workspace_id AND l." + column + " = " + value +
           " AND l.id <> " + lead + ".id AND " + lead_is_live() + " LIMIT 1)";
  };
  const std::string copied_holder = "SELECT l.id FROM leads l WHERE l.workspace_id = " + field("workspace_id") + " AND ";
  auto stmt = db.prepare(
      "SELECT m.id, m.email, m.external_id, NULL, " + holder("m", "email", "m.email") + ", " +
      holder("m", "external_id", "m.external_id") +
      " FROM deleted_leads d JOIN leads m ON m.id = d.lead_id WHERE d.receipt_id = ?1 UNION ALL SELECT " + field("id") +
      ", " + field("email") + ", " + field("external_id") + ", (SELECT l.id FROM leads l WHERE l.id = " + field("id") +
      "), (" + copied_holder + "l.email = " + field("email") + " AND " + lead_is_live() + "), (" + copied_holder +
      "l.external_id = " + field("external_id") + " AND " + lead_is_live() +
      ") FROM receipt_rows r WHERE r.receipt_id = ?1 AND r.table_name = 'leads'");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, receipt_id);
  json conflicts = json::array();
  std::vector<std::int64_t> skipped;
  while (stmt->step()) {
    const auto lead_id = stmt->int64(0);
    json conflict;
    if (!stmt->is_null(3)) conflict = {{"field", "id"}, {"value", format_id(kLeadIdPrefix, lead_id)}, {"existingLeadId", stmt->int64(3)}};
    else if (!stmt->is_null(4)) conflict = {{"field", "email"}, {"value", stmt->text(1)}, {"existingLeadId", stmt->int64(4)}};
    else if (!stmt->is_null(5))
      conflict = {{"field", "externalId"}, {"value", stmt->text(2)}, {"existingLeadId", stmt->int64(5)}};
    else continue;
    conflict["leadId"] = format_id(kLeadIdPrefix, lead_id);
    conflict["existingLeadId"] = format_id(kLeadIdPrefix, conflict["existingLeadId"].get<std::int64_t>());
    conflict["message"] = "not restored: " + conflict["field"].get<std::string>() + " " +
                          conflict["value"].get<std::string>() + " now belongs to " +
                          conflict["existingLeadId"].get<std::string>();
    conflicts.push_back(std::move(conflict));
    skipped.push_back(lead_id);
  }
  if (auto status = stmt->status(); !status) return status.take_error();

  // A person the suppression list stops stays out. The entries a lead's own unsubscribe or bounce
  // made do not count: undoing the delete of an unsubscribed lead gives it back, still suppressed.
  const auto suppressed = [](const std::string& workspace, const std::string& email, const std::string& phone,
                             const std::string& lead) {
    return ", " + SuppressionStore::email_is_suppressed(workspace, email, lead) + " AS by_email, " +
           SuppressionStore::phone_is_suppressed(workspace, phone, lead) + " AS by_phone";
  };
  auto listed = db.prepare(
      "SELECT id, email, phone_number, by_email, by_phone FROM (SELECT m.id AS id, m.email AS email, m.phone_number AS "
      "phone_number" + suppressed("m.workspace_id", "m.email", "m.phone_number", "m.id") +
      " FROM deleted_leads d JOIN leads m ON m.id = d.lead_id WHERE d.receipt_id = ?1 UNION ALL SELECT " + field("id") + ", " +
      field("email") + ", " + field("phone_number") +
      suppressed(field("workspace_id"), field("email"), field("phone_number"), field("id")) +
      " FROM receipt_rows r WHERE r.receipt_id = ?1 AND r.table_name = 'leads')"
      " WHERE EXISTS (SELECT 1 FROM suppressions) AND (by_email OR by_phone)");
  if (!listed) return listed.take_error();
  listed->bind(1, receipt_id);
  while (listed->step()) {
    const auto lead_id = listed->int64(0);
    if (std::find(skipped.begin(), skipped.end(), lead_id) != skipped.end()) continue;
    const bool by_email = listed->int64(3) != 0;
    const auto field_name = by_email ? "email" : "phoneNumber";
    conflicts.push_back({{"leadId", format_id(kLeadIdPrefix, lead_id)},
                         {"field", field_name},
                         {"value", listed->text(by_email ? 1 : 2)},
                         {"suppressed", true},
                         {"message", std::string("not restored: its ") + (by_email ? "email address" : "phone number") +
                                         " is on the suppression list"}});
    skipped.push_back(lead_id);
  }
  if (auto status = listed->status(); !status) return status.take_error();
  auto mark = db.prepare("INSERT OR IGNORE INTO temp.restore_skipped_leads (id) SELECT value FROM json_each(?)");
  if (!mark) return mark.take_error();
  if (auto status = mark->bind(1, json(skipped).dump()).run(); !status) return status.take_error();
  return conflicts;
}

Result<json> find_campaign_conflicts(Database& db, std::int64_t receipt_id) {
  auto stmt = db.prepare("SELECT " + field("id") +
                         " FROM receipt_rows r WHERE r.receipt_id = ? AND r.table_name = 'campaigns' AND EXISTS "
                         "(SELECT 1 FROM campaigns c WHERE c.id = " + field("id") + ")");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, receipt_id);
  json conflicts = json::array();
  while (stmt->step()) {
    const auto id = format_id(kCampaignIdPrefix, stmt->int64(0));
    conflicts.push_back({{"campaignId", id}, {"field", "id"}, {"value", id}, {"message", "not restored: campaign " + id + " exists"}});
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  return conflicts;
}

}  // namespace

Result<json> restore_receipt(ReceiptStore& receipts, const ReceiptRecord& receipt) {
  auto& db = receipts.database();
  if (auto status = db.exec("CREATE TEMP TABLE IF NOT EXISTS restore_skipped_leads (id INTEGER PRIMARY KEY)");
      !status)
    return status.take_error();
  if (auto status = db.exec("DELETE FROM temp.restore_skipped_leads"); !status) return status.take_error();

  auto campaign_conflicts = find_campaign_conflicts(db, receipt.id);
  if (!campaign_conflicts) return campaign_conflicts.take_error();
  auto lead_conflicts = find_lead_conflicts(db, receipt.id);
  if (!lead_conflicts) return lead_conflicts.take_error();
  json conflicts = std::move(*campaign_conflicts);
  for (auto& conflict : *lead_conflicts) conflicts.push_back(std::move(conflict));

  // The marked leads come back by losing their mark (all but the skipped ones).
  std::int64_t marked = 0;
  {
    auto count = db.prepare("SELECT count(*) FROM deleted_leads WHERE receipt_id = ?");
    if (!count) return count.take_error();
    if (count->bind(1, receipt.id).step()) marked = count->int64(0);
    if (auto status = count->status(); !status) return status.take_error();
  }
  std::int64_t unmarked = 0;
  if (marked > 0) {
    auto unmark = db.prepare("DELETE FROM deleted_leads WHERE receipt_id = ? AND lead_id NOT IN " + kSkippedLeads);
    if (!unmark) return unmark.take_error();
    if (auto status = unmark->bind(1, receipt.id).run(); !status) return status.take_error();
    unmarked = db.changes();
  }

  json restored = json::object();
  json skipped = json::object();
  for (const auto& step : restore_steps()) {
    const bool leads_step = std::string_view(step.table) == "leads";
    auto captured = receipts.captured_count(receipt.id, step.table);
    if (!captured) return captured.take_error();
    if (leads_step) *captured += marked;
    if (*captured == 0) continue;
    auto names = receipts.columns(step.table);
    if (!names) return names.take_error();
    std::string column_list;
    std::string values;
    for (const auto& name : *names) {
      column_list += (column_list.empty() ? "" : ", ") + name;
      values += (values.empty() ? "" : ", ") + field(name);
    }
    auto insert = db.prepare(std::string("INSERT ") + step.conflict + " INTO " + step.table + " (" + column_list +
                             ") SELECT " + values + " FROM receipt_rows r WHERE r.receipt_id = ? AND r.table_name = ? AND " +
                             step.condition);
    if (!insert) return insert.take_error();
    if (auto status = insert->bind(1, receipt.id).bind(2, step.table).run(); !status) return status.take_error();
    const auto count = db.changes() + (leads_step ? unmarked : 0);
    if (step.report_key) {
      restored[step.report_key] = count;
      if (*captured > count) skipped[step.report_key] = *captured - count;
    }
  }
  return json{{"restored", std::move(restored)}, {"skipped", std::move(skipped)}, {"conflicts", std::move(conflicts)}};
}

}  // namespace leadline::store
