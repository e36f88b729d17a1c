#pragma once
// Decides, for a batch of new leads, which to create and which to skip as duplicates — of an
// earlier entry in the same request or of a lead already stored — before anything is written.

#include "leadline/lead.hpp"
#include "leadline/result.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace leadline::batch {

struct LeadBatchOutcome {
  bool create = true;
  std::string reason;                           ///< when skipped: "duplicate_email" or "duplicate_external_id"
  std::optional<std::int64_t> existing_lead_id;  ///< when skipped for a stored lead
  std::optional<std::size_t> duplicate_of;       ///< when skipped for an earlier entry
};

/// Looks up a stored lead id by normalised email or by externalId.
using LeadIdLookup = std::function<Result<std::optional<std::int64_t>>(const std::string&)>;

/// One outcome per lead, in order. Email is checked before externalId; the first entry with a
/// given identifier wins within the batch.
Result<std::vector<LeadBatchOutcome>> plan_lead_batch(const std::vector<Lead>& leads, const LeadIdLookup& by_email,
                                                      const LeadIdLookup& by_external_id);

}  // namespace leadline::batch
