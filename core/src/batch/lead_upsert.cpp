#include "batch/lead_upsert.hpp"

#include "batch/lead_suppression.hpp"
#include "domain/vocabulary.hpp"
#include "validation/limits.hpp"

#include <algorithm>

namespace leadline::batch {
namespace {

// 409 when the update would give the lead an identifier another lead holds.
Result<std::optional<Error>> identifier_taken(store::LeadStore& leads, std::int64_t workspace_id, const Lead& lead,
                                              const Lead& before) {
  const auto check = [&](const std::optional<std::string>& value, const std::optional<std::string>& previous,
                         const char* field, auto lookup) -> Result<std::optional<Error>> {
    if (!value || value == previous) return std::optional<Error>{};
    auto holder = (leads.*lookup)(workspace_id, *value);
    if (!holder) return holder.take_error();
    if (!*holder || **holder == lead.id) return std::optional<Error>{};
    const auto holder_id = format_id(kLeadIdPrefix, **holder);
    return std::optional<Error>{Error{ErrorCode::Conflict, std::string(field) + " " + *value + " belongs to another lead (" + holder_id + ")",
                                      {{"details", {{"field", field}, {"existingLeadId", holder_id}}}}}};
  };
  auto email = check(lead.email, before.email, "email", &store::LeadStore::find_id_by_email);
  if (!email || *email) return email;
  return check(lead.external_id, before.external_id, "externalId", &store::LeadStore::find_id_by_external_id);
}

}  // namespace

Result<UpsertOutcome> update_existing_lead(store::LeadStore& leads, store::SuppressionStore& suppressions, IdGenerator& ids,
                                           std::int64_t workspace_id, std::int64_t existing_id,
                                           const validation::LeadInput& given, std::int64_t now) {
  auto found = leads.find(workspace_id, existing_id);
  if (!found) return found.take_error();
  if (!*found) return Error{ErrorCode::Internal, "upsert: the lead found as a duplicate is gone"};
  Lead lead = std::move(**found);
  const Lead before = lead;
  validation::LeadInput fields = given;
  fields.tags.reset();  // added below, not replaced
  validation::Problems problems;
  validation::apply_lead_update(lead, fields, "", problems);
  if (given.tags) {
    for (const auto& tag : *given.tags)
      if (std::find(lead.tags.begin(), lead.tags.end(), tag) == lead.tags.end()) lead.tags.push_back(tag);
    if (lead.tags.size() > validation::kMaxTags)
      problems.add("tags", "the lead would have more than " + std::to_string(validation::kMaxTags) + " tags");
  }
  if (!problems.empty()) return UpsertOutcome{std::nullopt, problems.to_error()};
  if (domain::protects_person(before.status)) lead.status = before.status;
  auto taken = identifier_taken(leads, workspace_id, lead, before);
  if (!taken) return taken.take_error();
  if (*taken) return UpsertOutcome{std::nullopt, std::move(**taken)};
  lead.updated_at = now;
  if (auto status = leads.update(lead); !status) return status.take_error();
  if (lead.status != before.status) {
    if (auto status = suppress_for_status(suppressions, lead, ids, now); !status) return status.take_error();
  }
  return UpsertOutcome{std::move(lead), std::nullopt};
}

}  // namespace leadline::batch
