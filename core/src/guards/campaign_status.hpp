#pragma once
// The campaign status machine (docs/api-conventions.md, "Campaign statuses") and what a transition does to
// the campaign's memberships.

#include "leadline/campaign.hpp"
#include "leadline/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::guards {

/// The statuses `campaign` may move to next, in lifecycle order. An archived campaign may
/// only return to the status it had before archiving.
std::vector<std::string> allowed_transitions(const Campaign& campaign);

/// Checks a move of `campaign` to `target` (already parsed): Ok, or 422 INVALID_TRANSITION
/// naming the current status and listing `allowed`. Moving to the current status is Ok (a
/// repeated request is harmless).
Status check_transition(const Campaign& campaign, const std::string& target);

/// How memberships change when a campaign enters `target`: rows whose status is one of
/// `from` become `to`. Empty when the transition leaves memberships alone.
struct MembershipChange {
  std::vector<std::string> from;
  std::string to;
};
std::optional<MembershipChange> membership_change_for(const std::string& target);

/// The status a new membership starts with: `active` in an active campaign, else `pending`.
std::string initial_membership_status(const Campaign& campaign);

/// Whether leads may be added: refused (409 CONFLICT) for stopped, completed and archived
/// campaigns, which will never send to them.
Status check_accepts_leads(const Campaign& campaign);

}  // namespace leadline::guards
