#include "leadline/campaign.hpp"

#include "leadline/ids.hpp"
#include "leadline/time_format.hpp"

namespace leadline {

nlohmann::json campaign_to_json(const Campaign& campaign) {
  return nlohmann::json{
      {"id", format_id(kCampaignIdPrefix, campaign.id)},
      {"name", campaign.name},
      {"status", campaign.status},
      {"statusBeforeArchive",
       campaign.status_before_archive ? nlohmann::json(*campaign.status_before_archive) : nlohmann::json(nullptr)},
      {"createdAt", format_timestamp(campaign.created_at)},
      {"updatedAt", format_timestamp(campaign.updated_at)},
  };
}

}  // namespace leadline
