#pragma once
// Memberships: which leads are in a campaign, with which status, and adding them.

#include "leadline/campaign.hpp"
#include "leadline/lead.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/lead_selection.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadline::store {

/// A membership and its lead (absent when the lead was deleted and the row kept as history).
struct MembershipRow {
  CampaignMembership membership;
  std::optional<Lead> lead;
};

struct MembershipPage {
  std::vector<MembershipRow> rows;
  bool has_more = false;
};

/// Which memberships, in which order: newest lead first below `before_lead_id` (listing) or
/// oldest first above `after_lead_id` (export, which walks the whole campaign in chunks).
struct MembershipSlice {
  std::vector<std::string> statuses;  ///< any of; empty: all
  int limit = 25;
  bool ascending = false;
  std::optional<std::int64_t> boundary_lead_id;  ///< exclusive
};

class MembershipStore {
 public:
  explicit MembershipStore(Database& db) : db_(db) {}

  /// Moves the campaign's memberships whose status is in `from` to `to`; returns how many.
  Result<std::int64_t> change_membership_statuses(std::int64_t campaign_id, const std::vector<std::string>& from,
                                                  const std::string& to);
  /// Membership counts by status, for one campaign.
  Result<std::map<std::string, std::int64_t>> membership_counts(std::int64_t campaign_id);
  /// One slice of a campaign's memberships with their leads.
  Result<MembershipPage> memberships(std::int64_t campaign_id, const MembershipSlice& slice);
  /// Whether `lead_id` is a current member (a `removed` row does not count).
  Result<bool> has_member(std::int64_t campaign_id, std::int64_t lead_id);
  /// Whether the lead is a member (any status but removed) of at least one of `campaign_ids`.
  Result<bool> is_member_of_any(const std::vector<std::int64_t>& campaign_ids, std::int64_t lead_id);
  /// Adds one membership, or brings back a `removed` one; the caller has checked it is not
  /// a current member.
  Status add_member(std::int64_t campaign_id, std::int64_t lead_id, const std::string& status, std::int64_t now);
  /// Adds every lead `selection` matches, minus `exclude_ids`, that is not a current member.
  /// Returns {matched, added}.
  Result<std::pair<std::int64_t, std::int64_t>> add_selected(std::int64_t campaign_id, const SqlCondition& selection,
                                                             const std::vector<std::int64_t>& exclude_ids,
                                                             const std::string& status, std::int64_t now);
  /// How many leads `selection` matches, minus `exclude_ids`.
  Result<std::int64_t> count_selected(const SqlCondition& selection, const std::vector<std::int64_t>& exclude_ids);
  /// Up to `limit` leads that are live members of the campaign — only those added at
  /// `added_at` when given (what one add request just added) — oldest lead first.
  Result<std::vector<Lead>> sample_member_leads(std::int64_t campaign_id, std::optional<std::int64_t> added_at,
                                                int limit);

 private:
  Database& db_;
};

}  // namespace leadline::store
