#include "store/campaign_owned_store.hpp"

#include "store/campaign_owned_tables.hpp"

#include <nlohmann/json.hpp>

namespace leadline::store {
namespace {

using json = nlohmann::json;

Result<std::int64_t> count_rows(Database& db, const std::string& sql, std::int64_t campaign_id) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id);
  std::int64_t count = 0;
  if (stmt->step()) count = stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return count;
}

}  // namespace

Result<OwnedCounts> CampaignOwnedStore::owned_counts(std::int64_t campaign_id) {
  OwnedCounts counts;
  for (const auto& owned : kOwnedTables) {
    auto count = count_rows(db_, std::string("SELECT count(*) FROM ") + owned.table + " WHERE campaign_id = ?",
                            campaign_id);
    if (!count) return count.take_error();
    counts.*owned.count = *count;
  }
  return counts;
}

Result<std::vector<SequenceStep>> CampaignOwnedStore::sequences(std::int64_t campaign_id) {
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

Status CampaignOwnedStore::append_sequence(SequenceStep& step) {
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

Result<bool> CampaignOwnedStore::delete_sequence(std::int64_t campaign_id, std::int64_t sequence_id) {
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

Result<std::vector<Webhook>> CampaignOwnedStore::webhooks(std::int64_t campaign_id) {
  auto stmt = db_.prepare(
      "SELECT id, campaign_id, name, url, events, created_at FROM campaign_webhooks WHERE campaign_id = ? ORDER BY id");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id);
  std::vector<Webhook> hooks;
  while (stmt->step()) {
    hooks.push_back({stmt->int64(0), stmt->int64(1), stmt->optional_text(2), stmt->text(3),
                     json::parse(stmt->text(4)).get<std::vector<std::string>>(), stmt->int64(5), {}});
  }
  if (auto status = stmt->status(); !status) return status.take_error();
  return hooks;
}

Status CampaignOwnedStore::insert_webhook(const Webhook& webhook) {
  auto stmt = db_.prepare(
      "INSERT INTO campaign_webhooks (id, campaign_id, name, url, events, created_at, secret) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, webhook.id)
      .bind(2, webhook.campaign_id)
      .bind(3, webhook.name)
      .bind(4, webhook.url)
      .bind(5, json(webhook.events).dump())
      .bind(6, webhook.created_at)
      .bind(7, webhook.secret)
      .run();
}

Result<bool> CampaignOwnedStore::delete_webhook(std::int64_t campaign_id, std::int64_t webhook_id) {
  auto stmt = db_.prepare("DELETE FROM campaign_webhooks WHERE id = ? AND campaign_id = ?");
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, webhook_id).bind(2, campaign_id).run(); !status) return status.take_error();
  return db_.changes() > 0;
}

Result<OwnedCounts> CampaignOwnedStore::record_demo_activity(std::int64_t campaign_id, std::int64_t now) {
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
