#include "store/personal_data_erasure.hpp"

#include "store/lead_row.hpp"
#include "store/receipt_store.hpp"
#include "validation/normalise.hpp"

#include <algorithm>
#include <functional>

namespace leadline::store {
namespace {

using json = nlohmann::json;

// What a redacted audit request or stored reply becomes. The audit trail's update trigger lets
// exactly this change through (migrations.cpp).
constexpr const char* kRedactedRequest = R"({"redacted":true})";
constexpr const char* kRedactedReply =
    R"({"success":true,"data":{"redacted":true},"message":"This reply held personal data that has since been erased"})";

// "any of the needles occurs in <column>", ignoring ASCII case (a request may have sent an
// address as Jane@Example.COM). `column` is qualified: json_each has columns named path and id.
std::string mentions(const std::string& column) {
  return "EXISTS (SELECT 1 FROM json_each(?2) n WHERE instr(lower(" + column + "), lower(n.value)) > 0)";
}

// Whether any text in `value` is, once normalised, one of `phone_numbers` (a request may have
// sent "+1 (555) 987-6543" for +15559876543).
bool names_phone(const json& value, const std::vector<std::string>& phone_numbers) {
  if (value.is_string()) {
    const auto normal = validation::normalise_phone(value.get_ref<const std::string&>());
    return normal && std::find(phone_numbers.begin(), phone_numbers.end(), *normal) != phone_numbers.end();
  }
  if (value.is_structured()) {
    for (const auto& item : value) {
      if (names_phone(item, phone_numbers)) return true;
    }
  }
  return false;
}

Status run(Database& db, const std::string& sql, const std::function<void(Statement&)>& bind, std::int64_t* changed) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  bind(*stmt);
  if (auto status = stmt->run(); !status) return status;
  if (changed) *changed += db.changes();
  return Ok{};
}

}  // namespace

json ErasureCounts::to_json() const {
  return {{"leads", leads},
          {"tags", tags},
          {"messages", messages},
          {"membershipsKeptAnonymous", memberships},
          {"statisticsKeptAnonymous", statistics},
          {"receiptRows", receipt_rows},
          {"restoreReports", restore_reports},
          {"idempotentReplies", idempotent_replies},
          {"auditEntries", audit_entries},
          {"suppressionEntriesHashed", suppression_entries}};
}

SecureDeleteScope::SecureDeleteScope(Database& db) : db_(db) { (void)db_.exec("PRAGMA secure_delete = ON"); }
SecureDeleteScope::~SecureDeleteScope() { (void)db_.exec("PRAGMA secure_delete = FAST"); }

Result<std::optional<Lead>> PersonalDataErasure::find_any(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kLeadColumns + " FROM leads l WHERE l.id = ? AND l.workspace_id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id).bind(2, workspace_id);
  std::optional<Lead> lead;
  if (stmt->step()) lead = read_lead(*stmt);
  if (auto status = stmt->status(); !status) return status.take_error();
  return lead;
}

Result<std::vector<Lead>> PersonalDataErasure::find_by_email(std::int64_t workspace_id, const std::string& email) {
  auto stmt = db_.prepare(std::string("SELECT ") + kLeadColumns + " FROM leads l WHERE l.workspace_id = ? AND l.email = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, email);
  std::vector<Lead> leads;
  while (stmt->step()) leads.push_back(read_lead(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  return leads;
}

Result<std::vector<std::int64_t>> PersonalDataErasure::copied_ids_by_email(std::int64_t workspace_id,
                                                                          const std::string& email) {
  auto stmt = db_.prepare("SELECT " + captured_value("r.row", "id") +
                          " FROM receipt_rows r JOIN receipts c ON c.id = r.receipt_id WHERE c.workspace_id = ? AND "
                          "r.table_name = 'leads' AND " + captured_value("r.row", "email") + " = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, email);
  std::vector<std::int64_t> ids;
  while (stmt->step()) ids.push_back(stmt->int64(0));
  if (auto status = stmt->status(); !status) return status.take_error();
  return ids;
}

Result<bool> PersonalDataErasure::pending_import_mentions(std::int64_t workspace_id,
                                                          const std::vector<std::string>& needles) {
  auto stmt = db_.prepare("SELECT EXISTS (SELECT 1 FROM jobs j JOIN job_payloads p ON p.job_id = j.id WHERE "
                          "j.workspace_id = ?1 AND j.kind = 'lead_import' AND j.status IN ('queued', 'running') AND " +
                          mentions("p.payload") + ")");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, json(needles).dump());
  const bool found = stmt->step() && stmt->int64(0) != 0;
  if (auto status = stmt->status(); !status) return status.take_error();
  return found;
}

Status PersonalDataErasure::erase_leads(std::int64_t workspace_id,
                                        const std::vector<std::pair<std::int64_t, std::int64_t>>& ids,
                                        ErasureCounts& counts) {
  if (auto status = db_.exec("CREATE TEMP TABLE IF NOT EXISTS erased_leads (id INTEGER PRIMARY KEY, opaque INTEGER NOT NULL)");
      !status)
    return status;
  if (auto status = db_.exec("DELETE FROM temp.erased_leads"); !status) return status;
  json pairs = json::array();
  for (const auto& [id, opaque] : ids) pairs.push_back({id, opaque});
  if (auto status = run(db_, "INSERT OR IGNORE INTO temp.erased_leads (id, opaque) SELECT json_extract(value, '$[0]'), "
                             "json_extract(value, '$[1]') FROM json_each(?)",
                        [&](Statement& stmt) { stmt.bind(1, pairs.dump()); }, nullptr);
      !status)
    return status;
  const auto none = [](Statement&) {};
  const std::string erased = "(SELECT id FROM temp.erased_leads)";
  const auto opaque_of = [](const std::string& table) {
    return "(SELECT e.opaque FROM temp.erased_leads e WHERE e.id = " + table + ".lead_id)";
  };
  struct Step {
    std::string sql;
    std::int64_t* counted;
  };
  const std::vector<Step> steps{
      {"DELETE FROM lead_tags WHERE lead_id IN " + erased, &counts.tags},
      {"DELETE FROM conversation_messages WHERE lead_id IN " + erased, &counts.messages},
      {"DELETE FROM scheduled_emails WHERE lead_id IN " + erased, &counts.messages},
      {"UPDATE campaign_leads SET lead_id = " + opaque_of("campaign_leads") + " WHERE lead_id IN " + erased,
       &counts.memberships},
      {"UPDATE email_statistics SET lead_id = " + opaque_of("email_statistics") + " WHERE lead_id IN " + erased,
       &counts.statistics},
      {"UPDATE suppressions SET lead_id = NULL WHERE lead_id IN " + erased, nullptr},
      {"DELETE FROM deleted_leads WHERE lead_id IN " + erased, nullptr},
      {"DELETE FROM leads WHERE id IN " + erased, &counts.leads},
      // A receipt's copy of the lead itself, and of every row that named it.
      {"DELETE FROM receipt_rows WHERE receipt_id IN (SELECT id FROM receipts WHERE workspace_id = " +
           std::to_string(workspace_id) + ") AND coalesce(" + captured_value("row", "lead_id") +
           ", CASE WHEN table_name = 'leads' THEN " + captured_value("row", "id") + " END) IN " + erased,
       &counts.receipt_rows},
  };
  for (const auto& step : steps) {
    if (auto status = run(db_, step.sql, none, step.counted); !status) return status;
  }
  return Ok{};
}

Status PersonalDataErasure::redact_mentions(std::int64_t workspace_id, const std::vector<std::string>& needles,
                                            const std::vector<std::string>& phone_numbers, ErasureCounts& counts) {
  if (needles.empty()) return Ok{};
  // Audit entries that name a phone number in another spelling: found by its last four digits,
  // then confirmed by normalising each text of the request.
  if (!phone_numbers.empty()) {
    std::vector<std::string> tails;
    for (const auto& phone : phone_numbers) tails.push_back(phone.substr(phone.size() > 4 ? phone.size() - 4 : 0));
    auto candidates = db_.prepare(std::string("SELECT id, request FROM audit_log WHERE workspace_id = ?1 AND request <> '") +
                                  kRedactedRequest + "' AND " + mentions("audit_log.request"));
    if (!candidates) return candidates.take_error();
    candidates->bind(1, workspace_id).bind(2, json(tails).dump());
    std::vector<std::int64_t> named;
    while (candidates->step()) {
      if (names_phone(json::parse(candidates->text(1), nullptr, false), phone_numbers)) named.push_back(candidates->int64(0));
    }
    if (auto status = candidates->status(); !status) return status;
    if (!named.empty()) {
      if (auto status = run(db_, std::string("UPDATE audit_log SET request = '") + kRedactedRequest +
                                     "' WHERE id IN (SELECT value FROM json_each(?))",
                            [&](Statement& stmt) { stmt.bind(1, json(named).dump()); }, &counts.audit_entries);
          !status)
        return status;
    }
  }
  const auto needles_json = json(needles).dump();
  const auto bind = [&](Statement& stmt) { stmt.bind(1, workspace_id).bind(2, needles_json); };
  const std::vector<std::pair<std::string, std::int64_t*>> steps{
      {std::string("UPDATE audit_log SET request = '") + kRedactedRequest + "' WHERE workspace_id = ?1 AND request <> '" +
           kRedactedRequest + "' AND (" + mentions("audit_log.request") + " OR " + mentions("audit_log.path") + ")",
       &counts.audit_entries},
      {std::string("UPDATE idempotency_keys SET body = '") + kRedactedReply + "', headers = '{}' WHERE workspace_id = ?1 AND " +
           mentions("idempotency_keys.body"),
       &counts.idempotent_replies},
      {std::string("UPDATE receipts SET restore_report = '") + kRedactedRequest +
           "' WHERE workspace_id = ?1 AND restore_report IS NOT NULL AND " + mentions("receipts.restore_report"),
       &counts.restore_reports},
  };
  for (const auto& [sql, counted] : steps) {
    if (auto status = run(db_, sql, bind, counted); !status) return status;
  }
  return Ok{};
}

}  // namespace leadline::store
