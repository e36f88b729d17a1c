#pragma once
// Turns LeadFilters into one SQL condition over `leads AS l`, with its parameters. Shared by
// every path that selects leads by filter, so listing and (later) deleting select the same rows.

#include "store/database.hpp"
#include "domain/lead_filters.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace leadline::store {

/// A selection of leads: `SELECT … FROM <live_leads("l")> WHERE <sql>` (the condition names the
/// mark the join brings, so a statement without it fails to prepare instead of seeing marked leads).
struct SqlCondition {
  std::string sql;  ///< "l.workspace_id = ? AND l_mark.lead_id IS NULL AND ..."
  std::vector<std::variant<std::int64_t, std::string>> parameters;

  /// Binds the parameters to `stmt` starting at `first_index`; returns the next free index.
  int bind(Statement& stmt, int first_index = 1) const;
};

/// How a `tags` filter is evaluated. Both select the same leads; they differ in cost.
enum class TagMatch {
  /// The tagged ids are collected once (an index range per tag): cost grows with how many
  /// leads carry the tags. Right for whole selections (deletes, adds, exports) and rare tags.
  CollectTagged,
  /// Each lead is checked as it is visited: cost grows with how many leads are visited. Right
  /// for one page of a common tag, where the page fills after a few hundred leads.
  CheckEachLead,
};

/// The condition selecting the workspace's leads that match every filter. List filters are
/// passed as one JSON array parameter (json_each), so the SQL text depends only on which
/// filters are present and prepared statements are reused. `within_campaigns`, when given,
/// narrows the selection to leads that are members (any status but removed) of one of those
/// campaigns: the reach of a campaign-restricted key.
SqlCondition lead_filter_condition(std::int64_t workspace_id, const domain::LeadFilters& filters,
                                   TagMatch tag_match = TagMatch::CollectTagged,
                                   const std::optional<std::vector<std::int64_t>>& within_campaigns = std::nullopt);

}  // namespace leadline::store
