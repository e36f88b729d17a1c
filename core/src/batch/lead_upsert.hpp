#pragma once
// An upsert's update of a stored lead (`onDuplicate: update` on create and import): the fields an
// entry gives fill and overwrite the lead's, customFields and metadata merge, tags are added —
// and what protects a person stays: an unsubscribed or bounced status is kept, and an entry naming
// a suppressed address or number never gets here (it is set aside before duplicates are looked for).

#include "leadline/error.hpp"
#include "leadline/ids.hpp"
#include "leadline/lead.hpp"
#include "leadline/result.hpp"
#include "store/lead_store.hpp"
#include "store/suppression_store.hpp"
#include "validation/lead_input.hpp"

#include <cstdint>
#include <optional>

namespace leadline::batch {

/// The lead as stored after the update, or why this entry cannot update it (nothing changed then):
/// a limit (400) or an email or externalId another lead holds (409, `details.existingLeadId`).
struct UpsertOutcome {
  std::optional<Lead> lead;
  std::optional<Error> refused;
};

/// Updates lead `existing_id` of `workspace_id` with the fields `given` names.
Result<UpsertOutcome> update_existing_lead(store::LeadStore& leads, store::SuppressionStore& suppressions, IdGenerator& ids,
                                           std::int64_t workspace_id, std::int64_t existing_id,
                                           const validation::LeadInput& given, std::int64_t now);

}  // namespace leadline::batch
