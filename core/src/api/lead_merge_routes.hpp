#pragma once
// `POST /leads/merge`: duplicates folded into one lead, with a receipt that un-merges.

#include "api/route_context.hpp"
#include "validation/lead_merge_input.hpp"

namespace leadline::api {

/// The kind of the receipt a merge keeps.
inline constexpr const char* kLeadMergeReceiptKind = "lead_merge";

/// POST /leads/merge — `{lead, merged, receiptId}`: the primary as merged, the duplicates' ids.
/// Memberships (the better status where both are in a campaign), messages, statistics, scheduled
/// emails and tags move to the primary; the duplicates are deleted into the receipt. 404 for an id
/// that names no lead; a dry run shows the merged lead.
Result<Reply> merge_leads(RouteContext& context, validation::MergeLeadsRequest& decoded);

}  // namespace leadline::api
