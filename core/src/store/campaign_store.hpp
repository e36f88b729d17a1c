#pragma once
// Persistence of campaigns, their memberships and everything they own, always scoped to one
// workspace by the caller having loaded the campaign through `find`.

#include "leadline/campaign.hpp"
#include "leadline/lead.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/receipt_store.hpp"
#include "store/lead_selection.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace leadline::store {

struct CampaignPage {
  std::vector<Campaign> campaigns;
  bool has_more = false;
};

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

/// How many rows of each kind a campaign owns (or a cascade delete removed).
struct OwnedCounts {
  std::int64_t sequences = 0;
  std::int64_t lead_memberships = 0;
  std::int64_t statistics = 0;
  std::int64_t webhooks = 0;
  std::int64_t scheduled_emails = 0;
  std::int64_t messages = 0;
};

/// An ordered step of a campaign's email sequence.
struct SequenceStep {
  std::int64_t id = 0;
  std::int64_t campaign_id = 0;
  int step_number = 0;
  std::optional<std::string> subject;
  std::string body;
  int delay_days = 0;
  std::int64_t created_at = 0;
};

struct Webhook {
  std::int64_t id = 0;
  std::int64_t campaign_id = 0;
  std::optional<std::string> name;
  std::string url;
  std::vector<std::string> events;
  std::int64_t created_at = 0;
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

  Result<OwnedCounts> owned_counts(std::int64_t campaign_id);
  /// Copies the campaign and every row it owns into a receipt (before `delete_cascade`).
  Status capture_cascade(ReceiptStore& receipts, std::int64_t receipt_id, std::int64_t campaign_id);
  /// Up to `limit` leads that are live members of the campaign — only those added at
  /// `added_at` when given (what one add request just added) — oldest lead first.
  Result<std::vector<Lead>> sample_member_leads(std::int64_t campaign_id, std::optional<std::int64_t> added_at,
                                                int limit);
  /// Deletes the campaign and every row it owns; returns what was removed.
  Result<OwnedCounts> delete_cascade(std::int64_t campaign_id);

  Result<std::vector<SequenceStep>> sequences(std::int64_t campaign_id);
  /// Appends a step after the last one; fills in `step_number`.
  Status append_sequence(SequenceStep& step);
  /// Removes a step and renumbers the ones after it; false when no such step.
  Result<bool> delete_sequence(std::int64_t campaign_id, std::int64_t sequence_id);

  Result<std::vector<Webhook>> webhooks(std::int64_t campaign_id);
  Status insert_webhook(const Webhook& webhook);
  Result<bool> delete_webhook(std::int64_t campaign_id, std::int64_t webhook_id);

  /// Demo activity: for each current member, a scheduled email, a `sent` statistic and an
  /// outbound message, so the cascade and the statistics have something to show.
  Result<OwnedCounts> record_demo_activity(std::int64_t campaign_id, std::int64_t now);

 private:
  Database& db_;
};

}  // namespace leadline::store
