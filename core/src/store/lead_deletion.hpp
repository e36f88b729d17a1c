#pragma once
// Deleting leads, always through one scratch selection: the leads a request chose are written
// once to a temporary table, and the protection check, the membership changes and the delete
// all read that same set, so they cannot disagree about which leads are meant.

#include "domain/active_campaign_impact.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"
#include "leadline/lead.hpp"
#include "store/lead_selection.hpp"
#include "store/receipt_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::store {

using domain::ActiveCampaignImpact;

class LeadDeletion {
 public:
  explicit LeadDeletion(Database& db) : db_(db) {}

  /// Replaces the selection with the leads `condition` matches, minus `exclude_ids`; returns
  /// how many were selected.
  Result<std::int64_t> select(const SqlCondition& condition, const std::vector<std::int64_t>& exclude_ids = {});
  /// Replaces the selection with exactly `lead_ids` (already known to be in the workspace).
  Result<std::int64_t> select_ids(const std::vector<std::int64_t>& lead_ids);

  /// The selected lead ids, ascending.
  Result<std::vector<std::int64_t>> selected_ids();

  /// Which selected leads are in active campaigns, and which campaigns.
  Result<ActiveCampaignImpact> active_campaign_impact();

  /// Takes out of the selection the leads that are live members of active campaigns; returns
  /// how many (a background delete without `force` skips leads that became protected).
  Result<std::int64_t> drop_protected();

  /// Up to `limit` of the selected leads, oldest first (what a dry run shows).
  Result<std::vector<Lead>> sample_selected(int limit);

  /// Copies into the receipt what `delete_selected` changes besides the leads themselves (which
  /// it marks with the receipt instead): their live memberships, scheduled emails and messages.
  /// Returns counts by kind ({leadMemberships, scheduledEmails, messages}).
  Result<nlohmann::json> capture_selected(ReceiptStore& receipts, std::int64_t receipt_id);

  /// Copies into the receipt the selected leads' memberships of `campaign_id` (before they are
  /// left with `leave_campaign`). Returns how many.
  Result<std::int64_t> capture_selected_memberships(ReceiptStore& receipts, std::int64_t receipt_id,
                                                    std::int64_t campaign_id);

  /// Deletes the selected leads. Their memberships in active campaigns stay as `removed` rows
  /// (the campaign's history); other memberships, scheduled emails and conversation messages
  /// go with them; email statistics stay as history. With `mark_for_receipt` the lead rows are
  /// marked with that receipt (hidden from every read until a restore or the purge); without,
  /// they are erased now. Returns how many leads were deleted.
  Result<std::int64_t> delete_selected(std::optional<std::int64_t> mark_for_receipt);

  /// Campaign members of `campaign_id` (in `workspace_id`) with this externalId / E.164 phone.
  Result<std::vector<std::int64_t>> members_by_external_id(std::int64_t workspace_id, std::int64_t campaign_id,
                                                           const std::string& external_id);
  Result<std::vector<std::int64_t>> members_by_phone(std::int64_t workspace_id, std::int64_t campaign_id,
                                                     const std::string& phone);

  /// Takes the selected leads out of `campaign_id` (`removed` rows if the campaign is active,
  /// else no rows), then drops from the selection the leads still current members of another
  /// campaign, and returns how many it dropped. The selection left is the leads in no campaign
  /// now: the caller's to delete (`delete_selected`).
  Result<std::int64_t> leave_campaign(std::int64_t campaign_id, bool campaign_active);

 private:
  Status reset_selection();
  /// Takes out of the selection the leads that are live members of a campaign (of an active one,
  /// with `only_active_campaigns`); returns how many.
  Result<std::int64_t> drop_current_members(bool only_active_campaigns);
  Database& db_;
};

}  // namespace leadline::store
