#pragma once
// Campaign rows: finding, creating, updating and listing the campaigns of a workspace, always
// scoped to one workspace by the caller having loaded the campaign through `find`.

#include "leadline/campaign.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadline::store {

struct CampaignPage {
  std::vector<Campaign> campaigns;
  bool has_more = false;
};

/// Which campaigns a listing returns.
struct CampaignListFilter {
  std::vector<std::string> statuses;                           ///< any of; empty: every status but archived
  bool include_archived = false;                               ///< with no status filter: also archived ones
  std::optional<std::vector<std::int64_t>> only_ids;           ///< a restricted key's campaigns
};

class CampaignStore {
 public:
  explicit CampaignStore(Database& db) : db_(db) {}

  /// The campaign with `id` in `workspace_id`; nullopt when absent or in another workspace.
  Result<std::optional<Campaign>> find(std::int64_t workspace_id, std::int64_t id);
  Status insert(const Campaign& campaign);
  /// Rewrites name, status, status_before_archive and updated_at.
  Status update(const Campaign& campaign);
  /// Newest first, strictly older than `before_id`.
  Result<CampaignPage> list(std::int64_t workspace_id, const CampaignListFilter& filter, int limit,
                            std::optional<std::int64_t> before_id);

 private:
  Database& db_;
};

}  // namespace leadline::store
