#pragma once
/// The Campaign and its membership rows as stored and as replied.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace leadline {

/// A workspace's campaign. `status` is one of draft, active, paused, stopped, completed,
/// archived; `status_before_archive` is set exactly while the campaign is archived.
struct Campaign {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string name;
  std::string status = "draft";
  std::optional<std::string> status_before_archive;
  std::int64_t created_at = 0;  ///< ms since epoch
  std::int64_t updated_at = 0;  ///< ms since epoch
};

/// The wire form: `id` as "cmp_<16 hex>", ISO 8601 timestamps, and `statusBeforeArchive`
/// (null unless archived).
nlohmann::json campaign_to_json(const Campaign& campaign);

/// A lead's membership in a campaign. The lead row may be gone (status `removed` after a
/// forced lead delete), so the membership carries only the lead's id.
struct CampaignMembership {
  std::int64_t campaign_id = 0;
  std::int64_t lead_id = 0;
  std::string status;  ///< pending, active, paused, completed, replied, bounced, unsubscribed, removed
  std::int64_t added_at = 0;
};

}  // namespace leadline
