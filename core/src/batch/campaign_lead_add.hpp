#pragma once
// Explicit mode of adding leads to a campaign (SendKit): each entry names an existing lead
// (`leadId`) or an email (an unknown email creates the lead, unless the key is restricted to
// campaigns). A bad entry is reported and
// skipped; it never fails the valid rest.

#include "leadline/campaign.hpp"
#include "leadline/ids.hpp"
#include "leadline/result.hpp"
#include "store/membership_store.hpp"
#include "store/lead_store.hpp"
#include "store/suppression_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace leadline::batch {

struct ExplicitAddOutcome {
  std::int64_t added = 0;    ///< new memberships
  std::int64_t skipped = 0;  ///< already in the campaign, or named twice in the request
  std::int64_t created = 0;  ///< leads created from unknown emails
  std::int64_t suppressed = 0;  ///< entries naming a person on the suppression list (never added or created)
  nlohmann::json errors = nlohmann::json::array();  ///< [{index, entry, message}]
};

/// Applies every entry of `entries` (a JSON array) to `campaign` at time `now`. Store
/// failures abort (the caller's transaction rolls back); entry problems are outcomes.
/// `reach`, for a campaign-restricted key, is its campaigns: an entry then resolves only to a
/// lead already in one of them, and nothing is created — any other entry is "Lead not found",
/// whether or not such a lead exists elsewhere in the workspace.
Result<ExplicitAddOutcome> add_explicit_entries(const Campaign& campaign, const nlohmann::json& entries,
                                                store::LeadStore& leads, store::MembershipStore& campaigns,
                                                store::SuppressionStore& suppressions, IdGenerator& ids, std::int64_t now,
                                                const std::optional<std::vector<std::int64_t>>& reach = std::nullopt);

}  // namespace leadline::batch
