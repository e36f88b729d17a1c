#include "store/lead_store.hpp"

#include "store/lead_row.hpp"
#include "store/lead_selection.hpp"
#include "store/lead_visibility.hpp"
#include "store/page_rows.hpp"

namespace leadline::store {
namespace {

// Binds the mutable columns in the order both INSERT and UPDATE list them (parameters 1–15).
void bind_fields(Statement& stmt, const Lead& lead) {
  stmt.bind(1, lead.email)
      .bind(2, lead.first_name)
      .bind(3, lead.last_name)
      .bind(4, lead.company_name)
      .bind(5, lead.job_title)
      .bind(6, lead.phone_number)
      .bind(7, lead.external_id)
      .bind(8, lead.status)
      .bind(9, nlohmann::json(lead.tags).dump())
      .bind(10, lead.country)
      .bind(11, lead.email_verification_status)
      .bind(12, lead.custom_fields.dump())
      .bind(13, lead.metadata.dump())
      .bind(14, lead.updated_at)
      .bind(15, lead.id);
}

Result<std::optional<std::int64_t>> find_id(Database& db, const std::string& sql, std::int64_t workspace_id,
                                            const std::string& value) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, value);
  std::optional<std::int64_t> id;
  if (stmt->step()) id = stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return id;
}

}  // namespace

Result<std::optional<Lead>> LeadStore::find(std::int64_t workspace_id, std::int64_t id) {
  // Built once: the per-lead lookups below run thousands of times in one batch.
  static const std::string sql = std::string("SELECT ") + kLeadColumns + " FROM " + live_leads("l") +
                                 " WHERE l.id = ? AND l.workspace_id = ? AND " + lead_is_unmarked("l");
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id).bind(2, workspace_id);
  std::optional<Lead> lead;
  if (stmt->step()) lead = read_lead(*stmt);
  if (auto status = stmt->status(); !status) return status.take_error();
  return lead;
}

Result<std::optional<std::int64_t>> LeadStore::find_id_by_email(std::int64_t workspace_id, const std::string& email) {
  static const std::string sql = "SELECT l.id FROM " + live_leads("l") +
                                 " WHERE l.workspace_id = ? AND l.email = ? AND " + lead_is_unmarked("l") + " LIMIT 1";
  return find_id(db_, sql, workspace_id, email);
}

Result<std::optional<std::int64_t>> LeadStore::find_id_by_external_id(std::int64_t workspace_id,
                                                                       const std::string& external_id) {
  static const std::string sql = "SELECT l.id FROM " + live_leads("l") +
                                 " WHERE l.workspace_id = ? AND l.external_id = ? AND " + lead_is_unmarked("l") + " LIMIT 1";
  return find_id(db_, sql, workspace_id, external_id);
}

Status LeadStore::insert(const Lead& lead) {
  auto stmt = db_.prepare(
      "INSERT INTO leads (email, first_name, last_name, company_name, job_title, phone_number, external_id, status, "
      "tags, country, email_verification_status, custom_fields, metadata, updated_at, id, workspace_id, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  bind_fields(*stmt, lead);
  stmt->bind(16, lead.workspace_id).bind(17, lead.created_at);
  if (auto status = stmt->run(); !status) return status;
  return write_tags(lead, false);
}

Status LeadStore::update(const Lead& lead) {
  auto stmt = db_.prepare(
      "UPDATE leads SET email = ?, first_name = ?, last_name = ?, company_name = ?, job_title = ?, phone_number = ?, "
      "external_id = ?, status = ?, tags = ?, country = ?, email_verification_status = ?, custom_fields = ?, "
      "metadata = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return stmt.take_error();
  bind_fields(*stmt, lead);
  if (auto status = stmt->run(); !status) return status;
  return write_tags(lead, true);
}

Result<std::int64_t> LeadStore::count_duplicate_identifiers() {
  static const std::string sql =
      "SELECT (SELECT count(*) FROM (SELECT 1 FROM " + live_leads("l") + " WHERE l.email IS NOT NULL AND " +
      lead_is_unmarked("l") + " GROUP BY l.workspace_id, l.email HAVING count(*) > 1)) + (SELECT count(*) FROM (SELECT 1 FROM " +
      live_leads("l") + " WHERE l.external_id IS NOT NULL AND " + lead_is_unmarked("l") +
      " GROUP BY l.workspace_id, l.external_id HAVING count(*) > 1))";
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  std::int64_t duplicates = 0;
  if (stmt->step()) duplicates = stmt->int64(0);
  if (auto status = stmt->status(); !status) return status.take_error();
  return duplicates;
}

Status LeadStore::write_tags(const Lead& lead, bool replace) {
  if (replace) {
    auto remove = db_.prepare("DELETE FROM lead_tags WHERE lead_id = ?");
    if (!remove) return remove.take_error();
    if (auto status = remove->bind(1, lead.id).run(); !status) return status;
  }
  for (const auto& tag : lead.tags) {
    auto insert = db_.prepare("INSERT OR IGNORE INTO lead_tags (workspace_id, tag, lead_id) VALUES (?, ?, ?)");
    if (!insert) return insert.take_error();
    if (auto status = insert->bind(1, lead.workspace_id).bind(2, tag).bind(3, lead.id).run(); !status) return status;
  }
  return Ok{};
}

Result<LeadPage> LeadStore::list(std::int64_t workspace_id, const domain::LeadFilters& filters, int limit,
                                 std::optional<std::int64_t> before_id) {
  return page(workspace_id, filters, limit, before_id, false);
}

Result<LeadPage> LeadStore::list_ascending(std::int64_t workspace_id, const domain::LeadFilters& filters,
                                           int limit, std::optional<std::int64_t> after_id) {
  return page(workspace_id, filters, limit, after_id, true);
}

// Above this many tagged leads a page checks tags lead by lead instead of collecting every tagged
// id first. Measured on 1,000,000 leads: collecting a tag on 100,000 of them costs ~25 ms per
// page, checking each lead ~1 ms; a rare tag is the other way round (checking scans the
// workspace to fill a page). At 20,000 either way costs a few milliseconds.
constexpr std::int64_t kCommonTagThreshold = 20000;

Result<TagMatch> LeadStore::tag_match_for_page(std::int64_t workspace_id, const domain::LeadFilters& filters) {
  if (filters.tags.empty()) return TagMatch::CollectTagged;
  auto stmt = db_.prepare(
      "SELECT count(*) FROM (SELECT 1 FROM lead_tags WHERE workspace_id = ? AND tag IN (SELECT value FROM json_each(?)) "
      "LIMIT ?)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, nlohmann::json(filters.tags).dump()).bind(3, kCommonTagThreshold);
  if (!stmt->step()) return stmt->status().take_error();
  return stmt->int64(0) >= kCommonTagThreshold ? TagMatch::CheckEachLead : TagMatch::CollectTagged;
}

Result<LeadPage> LeadStore::page(std::int64_t workspace_id, const domain::LeadFilters& filters, int limit,
                                 std::optional<std::int64_t> boundary_id, bool ascending) {
  auto tag_match = tag_match_for_page(workspace_id, filters);
  if (!tag_match) return tag_match.take_error();
  const auto condition = lead_filter_condition(workspace_id, filters, *tag_match);
  std::string sql = std::string("SELECT ") + kLeadColumns + " FROM " + live_leads("l") + " WHERE " + condition.sql;
  if (boundary_id) sql += ascending ? " AND l.id > ?" : " AND l.id < ?";
  sql += ascending ? " ORDER BY l.id ASC LIMIT ?" : " ORDER BY l.id DESC LIMIT ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.take_error();
  int next = condition.bind(*stmt);
  if (boundary_id) stmt->bind(next++, *boundary_id);
  stmt->bind(next, rows_to_fetch(limit));
  LeadPage result;
  while (stmt->step()) result.leads.push_back(read_lead(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  result.has_more = trim_to_page(result.leads, limit);
  return result;
}

}  // namespace leadline::store
