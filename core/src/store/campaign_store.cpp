#include "store/campaign_store.hpp"

#include "store/page_rows.hpp"

#include <nlohmann/json.hpp>

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

}  // namespace leadline::store
