#include "store/membership_store.hpp"

#include "store/lead_row.hpp"
#include "store/lead_visibility.hpp"
#include "store/page_rows.hpp"

#include <nlohmann/json.hpp>

namespace leadline::store {
namespace {

using json = nlohmann::json;

// A lead that was removed from the campaign and is added again gets a fresh membership.
constexpr const char* kRejoin =
    " ON CONFLICT (campaign_id, lead_id) DO UPDATE SET status = excluded.status, added_at = excluded.added_at";

}  // namespace

Result<std::int64_t> MembershipStore::change_membership_statuses(std::int64_t campaign_id,
                                                               const std::vector<std::string>& from,
                                                               const std::string& to) {
  auto stmt = db_.prepare(
      "UPDATE campaign_leads SET status = ? WHERE campaign_id = ? AND status IN (SELECT value FROM json_each(?))");
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, to).bind(2, campaign_id).bind(3, json(from).dump()).run(); !status)
    return status.take_error();
  return db_.changes();
}

Result<std::map<std::string, std::int64_t>> MembershipStore::membership_counts(std::int64_t campaign_id) {
  auto stmt = db_.prepare("SELECT status, count(*) FROM campaign_leads WHERE campaign_id = ? GROUP BY status");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id);
  std::map<std::string, std::int64_t> counts;
  while (stmt->step()) counts[stmt->text(0)] = stmt->int64(1);
  if (auto status = stmt->status(); !status) return status.take_error();
  return counts;
}

Result<MembershipPage> MembershipStore::memberships(std::int64_t campaign_id, const MembershipSlice& slice) {
  std::string sql = std::string("SELECT cl.campaign_id, cl.lead_id, cl.status, cl.added_at, l.id IS NOT NULL, ") +
                    kLeadColumns + " FROM campaign_leads cl LEFT JOIN deleted_leads cl_mark ON cl_mark.lead_id = cl.lead_id LEFT JOIN leads l ON "
                    "l.id = cl.lead_id AND cl_mark.lead_id IS NULL WHERE cl.campaign_id = ?";
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

Result<bool> MembershipStore::has_member(std::int64_t campaign_id, std::int64_t lead_id) {
  auto stmt = db_.prepare("SELECT 1 FROM campaign_leads WHERE campaign_id = ? AND lead_id = ? AND status <> 'removed'");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, campaign_id).bind(2, lead_id);
  const bool found = stmt->step();
  if (auto status = stmt->status(); !status) return status.take_error();
  return found;
}

Result<bool> MembershipStore::is_member_of_any(const std::vector<std::int64_t>& campaign_ids, std::int64_t lead_id) {
  auto stmt = db_.prepare(
      "SELECT 1 FROM campaign_leads WHERE lead_id = ? AND status <> 'removed' AND campaign_id IN "
      "(SELECT value FROM json_each(?)) LIMIT 1");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, lead_id).bind(2, json(campaign_ids).dump());
  const bool found = stmt->step();
  if (auto status = stmt->status(); !status) return status.take_error();
  return found;
}

Status MembershipStore::add_member(std::int64_t campaign_id, std::int64_t lead_id, const std::string& status,
                                 std::int64_t now) {
  auto stmt = db_.prepare(std::string("INSERT INTO campaign_leads (campaign_id, lead_id, status, added_at) VALUES (?, ?, ?, ?)") +
                          kRejoin);
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, campaign_id).bind(2, lead_id).bind(3, status).bind(4, now).run();
}

Result<std::pair<std::int64_t, std::int64_t>> MembershipStore::add_selected(std::int64_t campaign_id,
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

  auto matched = count_selected(selection, exclude_ids);
  if (!matched) return matched.take_error();

  // One INSERT … SELECT: the selection never travels through C++, whatever its size.
  auto insert = db_.prepare(
      "INSERT INTO campaign_leads (campaign_id, lead_id, status, added_at) SELECT ?, l.id, ?, ? FROM " + live_leads("l") +
      " WHERE " +
      where +
      " AND NOT EXISTS (SELECT 1 FROM campaign_leads m WHERE m.campaign_id = ? AND m.lead_id = l.id AND m.status <> "
      "'removed')" + kRejoin);
  if (!insert) return insert.take_error();
  insert->bind(1, campaign_id).bind(2, status).bind(3, now);
  const int next = bind_where(*insert, 4);
  insert->bind(next, campaign_id);
  if (auto failed = insert->run(); !failed) return failed.take_error();
  return std::pair{*matched, db_.changes()};
}

Result<std::int64_t> MembershipStore::count_selected(const SqlCondition& selection,
                                                     const std::vector<std::int64_t>& exclude_ids) {
  std::string where = selection.sql;
  if (!exclude_ids.empty()) where += " AND l.id NOT IN (SELECT value FROM json_each(?))";
  auto count = db_.prepare("SELECT count(*) FROM " + live_leads("l") + " WHERE " + where);
  if (!count) return count.take_error();
  const int next = selection.bind(*count, 1);
  if (!exclude_ids.empty()) count->bind(next, json(exclude_ids).dump());
  std::int64_t matched = 0;
  if (count->step()) matched = count->int64(0);
  if (auto failed = count->status(); !failed) return failed.take_error();
  return matched;
}

Result<std::vector<Lead>> MembershipStore::sample_member_leads(std::int64_t campaign_id,
                                                             std::optional<std::int64_t> added_at, int limit) {
  auto stmt = db_.prepare(std::string("SELECT ") + kLeadColumns +
                          " FROM " + live_leads("l") + " JOIN campaign_leads cl ON cl.lead_id = l.id WHERE cl.campaign_id = ? AND "
                          "cl.status <> 'removed' AND (?2 IS NULL OR cl.added_at = ?2) AND " + lead_is_unmarked("l") +
                          " ORDER BY cl.lead_id LIMIT ?3");
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

}  // namespace leadline::store
