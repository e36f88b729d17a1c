#include "batch/lead_batch_plan.hpp"

#include <unordered_map>

namespace leadline::batch {

Result<std::vector<LeadBatchOutcome>> plan_lead_batch(const std::vector<Lead>& leads, const LeadIdLookup& by_email,
                                                      const LeadIdLookup& by_external_id) {
  std::vector<LeadBatchOutcome> outcomes(leads.size());
  std::unordered_map<std::string, std::size_t> emails_in_batch;
  std::unordered_map<std::string, std::size_t> external_ids_in_batch;

  for (std::size_t i = 0; i < leads.size(); ++i) {
    const auto& lead = leads[i];
    auto& outcome = outcomes[i];
    // Against the batch itself first: cheaper, and it names the entry the user can see.
    auto skip_for_entry = [&](const std::optional<std::string>& value,
                              std::unordered_map<std::string, std::size_t>& seen, const char* reason) {
      if (!value || !outcome.create) return;
      if (auto found = seen.find(*value); found != seen.end()) {
        outcome = {false, reason, std::nullopt, found->second};
      }
    };
    skip_for_entry(lead.email, emails_in_batch, "duplicate_email");
    skip_for_entry(lead.external_id, external_ids_in_batch, "duplicate_external_id");

    auto skip_for_stored = [&](const std::optional<std::string>& value, const LeadIdLookup& lookup,
                               const char* reason) -> Status {
      if (!value || !outcome.create) return Ok{};
      auto existing = lookup(*value);
      if (!existing) return existing.take_error();
      if (*existing) outcome = {false, reason, **existing, std::nullopt};
      return Ok{};
    };
    if (auto status = skip_for_stored(lead.email, by_email, "duplicate_email"); !status) return status.take_error();
    if (auto status = skip_for_stored(lead.external_id, by_external_id, "duplicate_external_id"); !status)
      return status.take_error();

    if (outcome.create) {
      if (lead.email) emails_in_batch.emplace(*lead.email, i);
      if (lead.external_id) external_ids_in_batch.emplace(*lead.external_id, i);
    }
  }
  return outcomes;
}

}  // namespace leadline::batch
