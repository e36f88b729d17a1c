#pragma once
// What a campaign owns besides its memberships: sequence steps, webhooks, and the activity a
// sending engine records (scheduled emails, statistics, messages); and how many of each there are.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadline::store {

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
  std::string secret;  ///< its Standard Webhooks signing secret (written on insert, never listed)
};

class CampaignOwnedStore {
 public:
  explicit CampaignOwnedStore(Database& db) : db_(db) {}

  Result<OwnedCounts> owned_counts(std::int64_t campaign_id);
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
