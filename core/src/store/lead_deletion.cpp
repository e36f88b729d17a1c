#include "store/lead_deletion.hpp"

#include "store/lead_row.hpp"
#include "store/lead_visibility.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace leadline::store {
namespace {

constexpr const char* kSelected = "(SELECT id FROM temp.selected_leads)";

Result<std::vector<std::int64_t>> read_ids(Statement& stmt) {
  std::vector<std::int64_t> ids;
  while (stmt.step()) ids.push_back(stmt.int64(0));
  if (auto status = stmt.status(); !status) return status.take_error();
  return ids;
}

}  // namespace

Status LeadDeletion::reset_selection() {
  if (auto status = db_.exec("CREATE TEMP TABLE IF NOT EXISTS selected_leads (id INTEGER PRIMARY KEY)"); !status)
    return status;
  return db_.exec("DELETE FROM temp.selected_leads");
}

Result<std::int64_t> LeadDeletion::select(const SqlCondition& condition, const std::vector<std::int64_t>& exclude_ids) {
  if (auto status = reset_selection(); !status) return status.take_error();
  std::string sql = "INSERT INTO temp.selected_leads (id) SELECT l.id FROM " + live_leads("l") + " WHERE " + condition.sql;
  if (!exclude_ids.empty()) sql += " AND l.id NOT IN (SELECT value FROM json_each(?))";
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  const int next = condition.bind(*stmt);
  if (!exclude_ids.empty()) stmt->bind(next, nlohmann::json(exclude_ids).dump());
  if (auto status = stmt->run(); !status) return status.take_error();
  return db_.changes();
}

Result<std::int64_t> LeadDeletion::select_ids(const std::vector<std::int64_t>& lead_ids) {
  if (auto status = reset_selection(); !status) return status.take_error();
  // Only leads that are there and not already marked: a job's ids may have been deleted since.
  static const std::string sql = "INSERT INTO temp.selected_leads (id) SELECT l.id FROM " + live_leads("l") +
                                 " WHERE l.id IN (SELECT value FROM json_each(?)) AND " + lead_is_unmarked("l");
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, nlohmann::json(lead_ids).dump()).run(); !status) return status.take_error();
  return db_.changes();
}

Result<std::vector<std::int64_t>> LeadDeletion::selected_ids() {
  auto stmt = db_.prepare("SELECT id FROM temp.selected_leads ORDER BY id");
  if (!stmt) return stmt.take_error();
  return read_ids(*stmt);
}

Result<ActiveCampaignImpact> LeadDeletion::active_campaign_impact() {
  // One pass over the selection's live memberships in active campaigns (a lead in two counts once).
  auto stmt = db_.prepare(
      std::string("SELECT cl.lead_id, c.id, c.name FROM campaign_leads cl JOIN campaigns c ON c.id = cl.campaign_id "
                  "WHERE c.status = 'active' AND cl.status <> 'removed' AND cl.lead_id IN ") + kSelected);
  if (!stmt) return stmt.take_error();
  std::set<std::int64_t> leads;
  std::map<std::int64_t, std::string> campaigns;  // by id: creation order
  while (stmt->step()) {
    leads.insert(stmt->int64(0));
    if (!campaigns.count(stmt->int64(1))) campaigns.emplace(stmt->int64(1), stmt->text(2));
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  ActiveCampaignImpact impact;
  impact.affected_leads = static_cast<std::int64_t>(leads.size());
  for (auto& [id, name] : campaigns) impact.campaign_names.push_back(std::move(name));
  return impact;
}

Result<std::int64_t> LeadDeletion::drop_current_members(bool only_active_campaigns) {
  // Checked lead by lead through campaign_leads_by_lead, so the cost follows the selection (a
  // slice of a job) instead of every membership of every active campaign (which an IN list
  // would collect on each call: 41% of a 100k-lead delete before this was changed).
  auto stmt = db_.prepare(std::string("DELETE FROM temp.selected_leads WHERE EXISTS (SELECT 1 FROM campaign_leads cl ") +
                          (only_active_campaigns ? "JOIN campaigns c ON c.id = cl.campaign_id AND c.status = 'active' " : "") +
                          "WHERE cl.lead_id = selected_leads.id AND cl.status <> 'removed')");
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->run(); !status) return status.take_error();
  return db_.changes();
}

Result<std::int64_t> LeadDeletion::drop_protected() { return drop_current_members(true); }

Result<std::vector<Lead>> LeadDeletion::sample_selected(int limit) {
  auto stmt = db_.prepare(std::string("SELECT ") + kLeadColumns + " FROM leads l WHERE l.id IN " + kSelected +
                          " ORDER BY l.id LIMIT ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, limit);
  std::vector<Lead> leads;
  while (stmt->step()) leads.push_back(read_lead(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  return leads;
}

Result<nlohmann::json> LeadDeletion::capture_selected(ReceiptStore& receipts, std::int64_t receipt_id) {
  const std::string selected = kSelected;
  struct Capture {
    const char* table;
    const char* report_key;
    std::string where;
  };
  // Exactly what delete_selected changes besides the leads (which it marks, so they need no
  // copy); `removed` memberships are history it leaves alone.
  const Capture captures[] = {
      {"campaign_leads", "leadMemberships", "lead_id IN " + selected + " AND status <> 'removed'"},
      {"scheduled_emails", "scheduledEmails", "lead_id IN " + selected},
      {"conversation_messages", "messages", "lead_id IN " + selected},
  };
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& capture : captures) {
    auto count = receipts.capture(receipt_id, capture.table, capture.where);
    if (!count) return count.take_error();
    counts[capture.report_key] = *count;
  }
  return counts;
}

Result<std::int64_t> LeadDeletion::capture_selected_memberships(ReceiptStore& receipts, std::int64_t receipt_id,
                                                                std::int64_t campaign_id) {
  return receipts.capture(receipt_id, "campaign_leads",
                          std::string("campaign_id = ? AND status <> 'removed' AND lead_id IN ") + kSelected,
                          {campaign_id});
}

Result<std::int64_t> LeadDeletion::delete_selected(std::optional<std::int64_t> mark_for_receipt) {
  const std::string selected = kSelected;
  const std::vector<std::string> steps{
      "UPDATE campaign_leads SET status = 'removed' WHERE lead_id IN " + selected +
          " AND campaign_id IN (SELECT id FROM campaigns WHERE status = 'active')",
      "DELETE FROM campaign_leads WHERE lead_id IN " + selected + " AND status <> 'removed'",
      "DELETE FROM scheduled_emails WHERE lead_id IN " + selected,
      "DELETE FROM conversation_messages WHERE lead_id IN " + selected,
  };
  for (const auto& sql : steps) {
    auto stmt = db_.prepare(sql);
    if (!stmt) return stmt.take_error();
    if (auto status = stmt->run(); !status) return status.take_error();
  }
  if (mark_for_receipt) {
    auto mark = db_.prepare("INSERT INTO deleted_leads (lead_id, receipt_id) SELECT id, ? FROM temp.selected_leads");
    if (!mark) return mark.take_error();
    if (auto status = mark->bind(1, *mark_for_receipt).run(); !status) return status.take_error();
    return db_.changes();
  }
  // lead_tags rows go by ON DELETE CASCADE.
  auto remove = db_.prepare("DELETE FROM leads WHERE id IN " + selected);
  if (!remove) return remove.take_error();
  if (auto status = remove->run(); !status) return status.take_error();
  return db_.changes();
}

Result<std::vector<std::int64_t>> LeadDeletion::members_by_external_id(std::int64_t workspace_id,
                                                                      std::int64_t campaign_id,
                                                                      const std::string& external_id) {
  static const std::string sql =
      "SELECT l.id FROM " + live_leads("l") + " JOIN campaign_leads cl ON cl.lead_id = l.id AND cl.campaign_id = ? "
      "AND cl.status <> 'removed' WHERE l.workspace_id = ? AND l.external_id = ? AND " + lead_is_unmarked("l");
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id).bind(2, workspace_id).bind(3, external_id);
  return read_ids(*stmt);
}

Result<std::vector<std::int64_t>> LeadDeletion::members_by_phone(std::int64_t workspace_id, std::int64_t campaign_id,
                                                                const std::string& phone) {
  static const std::string sql =
      "SELECT l.id FROM " + live_leads("l") + " JOIN campaign_leads cl ON cl.lead_id = l.id AND cl.campaign_id = ? "
      "AND cl.status <> 'removed' WHERE l.workspace_id = ? AND l.phone_number = ? AND " + lead_is_unmarked("l") +
      " ORDER BY l.id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id).bind(2, workspace_id).bind(3, phone);
  return read_ids(*stmt);
}

Result<std::int64_t> LeadDeletion::leave_campaign(std::int64_t campaign_id, bool campaign_active) {
  auto leave = db_.prepare(std::string(campaign_active ? "UPDATE campaign_leads SET status = 'removed'"
                                                       : "DELETE FROM campaign_leads") +
                           " WHERE campaign_id = ? AND lead_id IN " + kSelected);
  if (!leave) return leave.take_error();
  if (auto status = leave->bind(1, campaign_id).run(); !status) return status.take_error();
  return drop_current_members(false);
}

}  // namespace leadline::store
