#include "guards/campaign_status.hpp"

#include "leadline/ids.hpp"

#include <algorithm>
#include <cctype>

namespace leadline::guards {
namespace {

struct TransitionRow {
  std::string_view from;
  std::vector<std::string> to;
};

// draft→active|stopped; active↔paused; active|paused→stopped|completed; any→archived. Archived
// is handled apart: its only way out is the status it had before. A draft may be stopped so
// that Smartlead's "stop it first, then delete" works on a campaign that never started.
const std::vector<TransitionRow>& transition_table() {
  static const std::vector<TransitionRow> rows{
      {"draft", {"active", "stopped", "archived"}},
      {"active", {"paused", "stopped", "completed", "archived"}},
      {"paused", {"active", "stopped", "completed", "archived"}},
      {"stopped", {"archived"}},
      {"completed", {"archived"}},
  };
  return rows;
}

std::string join(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

}  // namespace

const std::vector<std::string>& campaign_statuses() {
  static const std::vector<std::string> statuses{"draft", "active", "paused", "stopped", "completed", "archived"};
  return statuses;
}

const std::vector<std::string>& membership_statuses() {
  static const std::vector<std::string> statuses{"pending", "active",       "paused",      "completed",
                                                 "replied", "bounced", "unsubscribed", "removed"};
  return statuses;
}

bool is_campaign_status(std::string_view value) {
  const auto& statuses = campaign_statuses();
  return std::find(statuses.begin(), statuses.end(), value) != statuses.end();
}

std::optional<std::string> parse_requested_status(std::string_view value) {
  std::string lower(value);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "start") return std::string("active");
  if (is_campaign_status(lower)) return lower;
  return std::nullopt;
}

std::vector<std::string> allowed_transitions(const Campaign& campaign) {
  if (campaign.status == "archived") {
    return {campaign.status_before_archive.value_or("draft")};
  }
  for (const auto& row : transition_table()) {
    if (row.from == campaign.status) return row.to;
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
