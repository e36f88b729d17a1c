#include "guards/campaign_status.hpp"

#include "domain/vocabulary.hpp"
#include "leadline/ids.hpp"

#include <algorithm>
#include <cctype>

namespace leadline::guards {
namespace {

std::string join(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

}  // namespace

std::vector<std::string> allowed_transitions(const Campaign& campaign) {
  if (campaign.status == "archived") {
    return {campaign.status_before_archive.value_or("draft")};
  }
  for (const auto& row : domain::kCampaignTransitions) {
    if (domain::to_string(row.from) != campaign.status) continue;
    std::vector<std::string> to;
    for (const auto& next : row.to) {
      if (next) to.emplace_back(domain::to_string(*next));
    }
    return to;
  }
  return {};
}

Status check_transition(const Campaign& campaign, const std::string& target) {
  if (target == campaign.status) return Ok{};
  auto allowed = allowed_transitions(campaign);
  if (std::find(allowed.begin(), allowed.end(), target) != allowed.end()) return Ok{};
  return Error{ErrorCode::InvalidTransition,
               "Cannot change a " + campaign.status + " campaign to " + target + "; allowed: " + join(allowed),
               {{"currentStatus", campaign.status}, {"requestedStatus", target}, {"allowed", allowed}}};
}

std::optional<MembershipChange> membership_change_for(const std::string& target) {
  // Waiting and paused leads start (or resume) sending with the campaign; pausing pauses
  // the active ones; completing finishes everyone still in progress. Stopping and archiving
  // keep each lead's status as history.
  if (target == "active") return MembershipChange{{"pending", "paused"}, "active"};
  if (target == "paused") return MembershipChange{{"active"}, "paused"};
  if (target == "completed") return MembershipChange{{"pending", "active", "paused"}, "completed"};
  return std::nullopt;
}

std::string initial_membership_status(const Campaign& campaign) {
  return campaign.status == "active" ? "active" : "pending";
}

Status check_accepts_leads(const Campaign& campaign) {
  if (campaign.status == "stopped" || campaign.status == "completed" || campaign.status == "archived") {
    return Error{ErrorCode::Conflict, "Cannot add leads to a " + campaign.status + " campaign",
                 {{"details", {{"campaignId", format_id(kCampaignIdPrefix, campaign.id)}, {"status", campaign.status}}}}};
  }
  return Ok{};
}

}  // namespace leadline::guards
