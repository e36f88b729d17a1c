#include "store/campaign_store.hpp"

#include "store/lead_row.hpp"
#include "store/page_rows.hpp"

namespace leadline::store {
namespace {

using json = nlohmann::json;

constexpr const char* kCampaignColumns =
    "id, workspace_id, name, status, status_before_archive, created_at, updated_at";

Campaign read_campaign(const Statement& row) {
  Campaign campaign;
  campaign.id = row.int64(0);
  campaign.workspace_id = row.int64(1);
  campaign.name = row.text(2);
  campaign.status = row.text(3);
  campaign.status_before_archive = row.optional_text(4);
  campaign.created_at = row.int64(5);
  campaign.updated_at = row.int64(6);
  return campaign;
}

// Runs a statement that changes rows for one campaign and returns how many it changed.
Result<std::int64_t> run_counted(Database& db, const std::string& sql, std::int64_t campaign_id) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, campaign_id).run(); !status) return status.take_error();
  return db.changes();
}

Result<std::int64_t> count_rows(Database& db, const std::string& sql, std::int64_t campaign_id) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id);
  std::int64_t count = 0;
  if (stmt->step()) count = stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return count;
}

// A lead that was removed from the campaign and is added again gets a fresh membership.
constexpr const char* kRejoin =
    " ON CONFLICT (campaign_id, lead_id) DO UPDATE SET status = excluded.status, added_at = excluded.added_at";

// The tables a campaign owns, in the order a cascade removes them (dependents first).
struct OwnedTable {
  const char* table;
  std::int64_t OwnedCounts::*count;
};
constexpr OwnedTable kOwnedTables[] = {
    {"scheduled_emails", &OwnedCounts::scheduled_emails},
    {"email_statistics", &OwnedCounts::statistics},
    {"conversation_messages", &OwnedCounts::messages},
    {"campaign_webhooks", &OwnedCounts::webhooks},
    {"campaign_sequences", &OwnedCounts::sequences},
    {"campaign_leads", &OwnedCounts::lead_memberships},
};

}  // namespace

Result<std::optional<Campaign>> CampaignStore::find(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kCampaignColumns + " FROM campaigns WHERE id = ? AND workspace_id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id).bind(2, workspace_id);
  std::optional<Campaign> campaign;
  if (stmt->step()) campaign = read_campaign(*stmt);
  if (auto status = stmt->status(); !status) return status.take_error();
  return campaign;
}

Status CampaignStore::insert(const Campaign& campaign) {
  auto stmt = db_.prepare(
      "INSERT INTO campaigns (id, workspace_id, name, status, status_before_archive, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, campaign.id)
      .bind(2, campaign.workspace_id)
      .bind(3, campaign.name)
      .bind(4, campaign.status)
      .bind(5, campaign.status_before_archive)
      .bind(6, campaign.created_at)
      .bind(7, campaign.updated_at)
      .run();
}

Status CampaignStore::update(const Campaign& campaign) {
  auto stmt = db_.prepare(
      "UPDATE campaigns SET name = ?, status = ?, status_before_archive = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, campaign.name)
      .bind(2, campaign.status)
      .bind(3, campaign.status_before_archive)
      .bind(4, campaign.updated_at)
      .bind(5, campaign.id)
      .run();
}

Result<CampaignPage> CampaignStore::list(std::int64_t workspace_id, const CampaignListFilter& filter, int limit,
                                         std::optional<std::int64_t> before_id) {
  std::string sql = std::string("SELECT ") + kCampaignColumns + " FROM campaigns WHERE workspace_id = ?";
  if (!filter.statuses.empty()) sql += " AND status IN (SELECT value FROM json_each(?))";
  else if (!filter.include_archived) sql += " AND status <> 'archived'";
  if (filter.only_ids) sql += " AND id IN (SELECT value FROM json_each(?))";
  if (before_id) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  int index = 1;
  stmt->bind(index++, workspace_id);
  if (!filter.statuses.empty()) stmt->bind(index++, json(filter.statuses).dump());
  if (filter.only_ids) stmt->bind(index++, json(*filter.only_ids).dump());
  if (before_id) stmt->bind(index++, *before_id);
  stmt->bind(index, rows_to_fetch(limit));
  CampaignPage page;
  while (stmt->step()) page.campaigns.push_back(read_campaign(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  page.has_more = trim_to_page(page.campaigns, limit);
  return page;
}

Result<std::int64_t> CampaignStore::change_membership_statuses(std::int64_t campaign_id,
                                                               const std::vector<std::string>& from,
                                                               const std::string& to) {
  auto stmt = db_.prepare(
      "UPDATE campaign_leads SET status = ? WHERE campaign_id = ? AND status IN (SELECT value FROM json_each(?))");
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, to).bind(2, campaign_id).bind(3, json(from).dump()).run(); !status)
    return status.take_error();
  return db_.changes();
}

Result<std::map<std::string, std::int64_t>> CampaignStore::membership_counts(std::int64_t campaign_id) {
  auto stmt = db_.prepare("SELECT status, count(*) FROM campaign_leads WHERE campaign_id = ? GROUP BY status");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id);
  std::map<std::string, std::int64_t> counts;
  while (stmt->step()) counts[stmt->text(0)] = stmt->int64(1);
  if (auto status = stmt->status(); !status) return status.take_error();
  return counts;
}

Result<MembershipPage> CampaignStore::memberships(std::int64_t campaign_id, const MembershipSlice& slice) {
  std::string sql = std::string("SELECT cl.campaign_id, cl.lead_id, cl.status, cl.added_at, l.id IS NOT NULL, ") +
                    kLeadColumns + " FROM campaign_leads cl LEFT JOIN leads l ON l.id = cl.lead_id WHERE cl.campaign_id = ?";
  if (!slice.statuses.empty()) sql += " AND cl.status IN (SELECT value FROM json_each(?))";
  if (slice.boundary_lead_id) sql += slice.ascending ? " AND cl.lead_id > ?" : " AND cl.lead_id < ?";
  sql += slice.ascending ? " ORDER BY cl.lead_id ASC LIMIT ?" : " ORDER BY cl.lead_id DESC LIMIT ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  int index = 1;
  stmt->bind(index++, campaign_id);
  if (!slice.statuses.empty()) stmt->bind(index++, json(slice.statuses).dump());
  if (slice.boundary_lead_id) stmt->bind(index++, *slice.boundary_lead_id);
  stmt->bind(index, rows_to_fetch(slice.limit));
  MembershipPage page;
  while (stmt->step()) {
    MembershipRow row{{stmt->int64(0), stmt->int64(1), stmt->text(2), stmt->int64(3)}, std::nullopt};
    if (stmt->int64(4) != 0) row.lead = read_lead(*stmt, 5);
    page.rows.push_back(std::move(row));
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  page.has_more = trim_to_page(page.rows, slice.limit);
  return page;
}

Result<bool> CampaignStore::has_member(std::int64_t campaign_id, std::int64_t lead_id) {
  auto stmt = db_.prepare("SELECT 1 FROM campaign_leads WHERE campaign_id = ? AND lead_id = ? AND status <> 'removed'");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id).bind(2, lead_id);
  const bool found = stmt->step();
  if (auto status = stmt->status(); !status) return status.take_error();
  return found;
}

Result<bool> CampaignStore::is_member_of_any(const std::vector<std::int64_t>& campaign_ids, std::int64_t lead_id) {
  auto stmt = db_.prepare(
      "SELECT 1 FROM campaign_leads WHERE lead_id = ? AND status <> 'removed' AND campaign_id IN "
      "(SELECT value FROM json_each(?)) LIMIT 1");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, lead_id).bind(2, json(campaign_ids).dump());
  const bool found = stmt->step();
  if (auto status = stmt->status(); !status) return status.take_error();
  return found;
}

Status CampaignStore::add_member(std::int64_t campaign_id, std::int64_t lead_id, const std::string& status,
                                 std::int64_t now) {
  auto stmt = db_.prepare(std::string("INSERT INTO campaign_leads (campaign_id, lead_id, status, added_at) VALUES (?, ?, ?, ?)") +
                          kRejoin);
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, campaign_id).bind(2, lead_id).bind(3, status).bind(4, now).run();
}

Result<std::pair<std::int64_t, std::int64_t>> CampaignStore::add_selected(std::int64_t campaign_id,
                                                                          const SqlCondition& selection,
                                                                          const std::vector<std::int64_t>& exclude_ids,
                                                                          const std::string& status,
                                                                          std::int64_t now) {
  std::string where = selection.sql;
  if (!exclude_ids.empty()) where += " AND l.id NOT IN (SELECT value FROM json_each(?))";
  const auto bind_where = [&](Statement& stmt, int first) {
    int next = selection.bind(stmt, first);
    if (!exclude_ids.empty()) stmt.bind(next++, json(exclude_ids).dump());
    return next;
  };

  auto count = db_.prepare("SELECT count(*) FROM leads l WHERE " + where);
  if (!count) return count.take_error();
  bind_where(*count, 1);
  std::int64_t matched = 0;
  if (count->step()) matched = count->int64(0);
  if (auto failed = count->status(); !failed) return failed.take_error();

  // One INSERT … SELECT: the selection never travels through C++, whatever its size.
  auto insert = db_.prepare(
      "INSERT INTO campaign_leads (campaign_id, lead_id, status, added_at) SELECT ?, l.id, ?, ? FROM leads l WHERE " +
      where +
      " AND NOT EXISTS (SELECT 1 FROM campaign_leads m WHERE m.campaign_id = ? AND m.lead_id = l.id AND m.status <> "
      "'removed')" + kRejoin);
  if (!insert) return insert.take_error();
  insert->bind(1, campaign_id).bind(2, status).bind(3, now);
  const int next = bind_where(*insert, 4);
  insert->bind(next, campaign_id);
  if (auto failed = insert->run(); !failed) return failed.take_error();
  return std::pair{matched, db_.changes()};
}

Result<OwnedCounts> CampaignStore::owned_counts(std::int64_t campaign_id) {
  OwnedCounts counts;
  for (const auto& owned : kOwnedTables) {
    auto count = count_rows(db_, std::string("SELECT count(*) FROM ") + owned.table + " WHERE campaign_id = ?",
                            campaign_id);
    if (!count) return count.take_error();
    counts.*owned.count = *count;
  }
  return counts;
}

Status CampaignStore::capture_cascade(ReceiptStore& receipts, std::int64_t receipt_id, std::int64_t campaign_id) {
  if (auto captured = receipts.capture(receipt_id, "campaigns", "id = ?", {campaign_id}); !captured)
    return captured.take_error();
  for (const auto& owned : kOwnedTables) {
    if (auto captured = receipts.capture(receipt_id, owned.table, "campaign_id = ?", {campaign_id}); !captured)
      return captured.take_error();
  }
  return Ok{};
}

Result<std::vector<Lead>> CampaignStore::sample_member_leads(std::int64_t campaign_id,
                                                             std::optional<std::int64_t> added_at, int limit) {
  auto stmt = db_.prepare(std::string("SELECT ") + kLeadColumns +
                          " FROM campaign_leads cl JOIN leads l ON l.id = cl.lead_id WHERE cl.campaign_id = ? AND "
                          "cl.status <> 'removed' AND (?2 IS NULL OR cl.added_at = ?2) ORDER BY cl.lead_id LIMIT ?3");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id);
  if (added_at) stmt->bind(2, *added_at);
  else stmt->bind_null(2);
  stmt->bind(3, limit);
  std::vector<Lead> leads;
  while (stmt->step()) leads.push_back(read_lead(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  return leads;
}

Result<OwnedCounts> CampaignStore::delete_cascade(std::int64_t campaign_id) {
  // Explicit deletes (rather than relying on ON DELETE CASCADE alone) so the reply can say
  // how many rows of each kind went.
  OwnedCounts removed;
  for (const auto& owned : kOwnedTables) {
    auto count = run_counted(db_, std::string("DELETE FROM ") + owned.table + " WHERE campaign_id = ?", campaign_id);
    if (!count) return count.take_error();
    removed.*owned.count = *count;
  }
  if (auto count = run_counted(db_, "DELETE FROM campaigns WHERE id = ?", campaign_id); !count)
    return count.take_error();
  return removed;
}

Result<std::vector<SequenceStep>> CampaignStore::sequences(std::int64_t campaign_id) {
  auto stmt = db_.prepare(
      "SELECT id, campaign_id, step_number, subject, body, delay_days, created_at FROM campaign_sequences "
      "WHERE campaign_id = ? ORDER BY step_number");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id);
  std::vector<SequenceStep> steps;
  while (stmt->step()) {
    steps.push_back({stmt->int64(0), stmt->int64(1), static_cast<int>(stmt->int64(2)), stmt->optional_text(3),
                     stmt->text(4), static_cast<int>(stmt->int64(5)), stmt->int64(6)});
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  return steps;
}

Status CampaignStore::append_sequence(SequenceStep& step) {
  auto last = count_rows(db_, "SELECT coalesce(max(step_number), 0) FROM campaign_sequences WHERE campaign_id = ?",
                         step.campaign_id);
  if (!last) return last.take_error();
  step.step_number = static_cast<int>(*last) + 1;
  auto stmt = db_.prepare(
      "INSERT INTO campaign_sequences (id, campaign_id, step_number, subject, body, delay_days, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, step.id)
      .bind(2, step.campaign_id)
      .bind(3, step.step_number)
      .bind(4, step.subject)
      .bind(5, step.body)
      .bind(6, step.delay_days)
      .bind(7, step.created_at)
      .run();
}

Result<bool> CampaignStore::delete_sequence(std::int64_t campaign_id, std::int64_t sequence_id) {
  auto find = db_.prepare("SELECT step_number FROM campaign_sequences WHERE id = ? AND campaign_id = ?");
  if (!find) return find.take_error();
  find->bind(1, sequence_id).bind(2, campaign_id);
  std::optional<std::int64_t> step_number;
  if (find->step()) step_number = find->int64(0);
  if (auto status = find->status(); !status) return status.take_error();
  if (!step_number) return false;

  auto remove = db_.prepare("DELETE FROM campaign_sequences WHERE id = ?");
  if (!remove) return remove.take_error();
  if (auto status = remove->bind(1, sequence_id).run(); !status) return status.take_error();
  // Close the gap in two moves so UNIQUE (campaign_id, step_number) never sees a collision.
  auto park = db_.prepare(
      "UPDATE campaign_sequences SET step_number = -(step_number - 1) WHERE campaign_id = ? AND step_number > ?");
  if (!park) return park.take_error();
  if (auto status = park->bind(1, campaign_id).bind(2, *step_number).run(); !status) return status.take_error();
  auto settle = db_.prepare("UPDATE campaign_sequences SET step_number = -step_number WHERE campaign_id = ? AND step_number < 0");
  if (!settle) return settle.take_error();
  if (auto status = settle->bind(1, campaign_id).run(); !status) return status.take_error();
  return true;
}

Result<std::vector<Webhook>> CampaignStore::webhooks(std::int64_t campaign_id) {
  auto stmt = db_.prepare(
      "SELECT id, campaign_id, name, url, events, created_at FROM campaign_webhooks WHERE campaign_id = ? ORDER BY id");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id);
  std::vector<Webhook> hooks;
  while (stmt->step()) {
    hooks.push_back({stmt->int64(0), stmt->int64(1), stmt->optional_text(2), stmt->text(3),
                     json::parse(stmt->text(4)).get<std::vector<std::string>>(), stmt->int64(5)});
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  return hooks;
}

Status CampaignStore::insert_webhook(const Webhook& webhook) {
  auto stmt = db_.prepare(
      "INSERT INTO campaign_webhooks (id, campaign_id, name, url, events, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, webhook.id)
      .bind(2, webhook.campaign_id)
      .bind(3, webhook.name)
      .bind(4, webhook.url)
      .bind(5, json(webhook.events).dump())
      .bind(6, webhook.created_at)
      .run();
}

Result<bool> CampaignStore::delete_webhook(std::int64_t campaign_id, std::int64_t webhook_id) {
  auto stmt = db_.prepare("DELETE FROM campaign_webhooks WHERE id = ? AND campaign_id = ?");
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, webhook_id).bind(2, campaign_id).run(); !status) return status.take_error();
  return db_.changes() > 0;
}

Result<OwnedCounts> CampaignStore::record_demo_activity(std::int64_t campaign_id, std::int64_t now) {
  constexpr const char* kMembers = " FROM campaign_leads WHERE campaign_id = ?2 AND status <> 'removed'";
  const auto insert = [&](const std::string& sql, std::int64_t time) -> Result<std::int64_t> {
    auto stmt = db_.prepare(sql + kMembers);
    if (!stmt) return stmt.take_error();
    if (auto status = stmt->bind(1, time).bind(2, campaign_id).run(); !status) return status.take_error();
    return db_.changes();
  };
  OwnedCounts added;
  auto scheduled = insert(
      "INSERT INTO scheduled_emails (campaign_id, lead_id, sequence_id, scheduled_at, status) SELECT campaign_id, "
      "lead_id, (SELECT s.id FROM campaign_sequences s WHERE s.campaign_id = ?2 ORDER BY s.step_number LIMIT 1), "
      "?1, 'scheduled'",
      now + 86400000);
  if (!scheduled) return scheduled.take_error();
  added.scheduled_emails = *scheduled;
  auto statistics = insert(
      "INSERT INTO email_statistics (campaign_id, lead_id, step_number, event, occurred_at) "
      "SELECT campaign_id, lead_id, 1, 'sent', ?1",
      now);
  if (!statistics) return statistics.take_error();
  added.statistics = *statistics;
  auto messages = insert(
      "INSERT INTO conversation_messages (campaign_id, lead_id, direction, subject, body, sent_at) "
      "SELECT campaign_id, lead_id, 'outbound', 'Hello', 'Demo message', ?1",
      now);
  if (!messages) return messages.take_error();
  added.messages = *messages;
  return added;
}

}  // namespace leadline::store
