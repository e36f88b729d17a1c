#pragma once
// `PATCH /leads`, the bulk edit of leads by ids or filters, and the background slices of a large
// one. Every edit keeps a receipt whose restore puts back what it changed.

#include "api/route_context.hpp"
#include "store/job_store.hpp"
#include "validation/lead_bulk_update_input.hpp"

#include <string>

namespace leadline::api {

/// PATCH /leads — `{updatedCount, matchedCount, receiptId}` (+ `notFoundIds` by ids); above
/// 10,000 matched leads a 202 with the job, its receipt and `matchedCount`. `expectedCount`
/// guards the matched count; a dry run previews a sample before → after.
Result<Reply> update_leads(RouteContext& context, validation::BulkUpdateRequest& decoded);

/// The kind of the receipt an edit keeps.
inline constexpr const char* kLeadEditReceiptKind = "lead_update";

/// One slice of a background edit: the next ids of the job's payload, edited into its receipt.
Status run_update_slice(Services& services, store::JobRecord& job, const std::string& payload, std::int64_t now);

}  // namespace leadline::api
