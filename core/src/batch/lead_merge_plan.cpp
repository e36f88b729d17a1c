#include "batch/lead_merge_plan.hpp"

#include "domain/vocabulary.hpp"
#include "validation/limits.hpp"

#include <algorithm>

namespace leadline::batch {
namespace {

using json = nlohmann::json;

bool named(const std::vector<std::string>& fields, const char* field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

// The first duplicate's non-empty value, when the primary's is empty or the field is named.
void fill(std::optional<std::string>& target, const std::vector<Lead>& duplicates,
          std::optional<std::string> Lead::*member, bool take_over) {
  if (target && !take_over) return;
  for (const auto& duplicate : duplicates) {
    if (duplicate.*member) {
      target = duplicate.*member;
      return;
    }
  }
}

// Key by key: whoever comes first holds a key — the primary, or the duplicates when the field is named.
json fill_keys(const json& primary, const std::vector<Lead>& duplicates, json Lead::*member, bool take_over) {
  json merged = json::object();
  const auto add_missing = [&merged](const json& from) {
    for (const auto& [key, value] : from.items())
      if (!merged.contains(key)) merged[key] = value;
  };
  if (!take_over) add_missing(primary);
  for (const auto& duplicate : duplicates) add_missing(duplicate.*member);
  add_missing(primary);
  return merged;
}

}  // namespace

Result<Lead> merge_leads(const Lead& primary, const std::vector<Lead>& duplicates, const std::vector<std::string>& fields) {
  Lead merged = primary;
  fill(merged.first_name, duplicates, &Lead::first_name, named(fields, "firstName"));
  fill(merged.last_name, duplicates, &Lead::last_name, named(fields, "lastName"));
  fill(merged.company_name, duplicates, &Lead::company_name, named(fields, "companyName"));
  fill(merged.job_title, duplicates, &Lead::job_title, named(fields, "jobTitle"));
  fill(merged.phone_number, duplicates, &Lead::phone_number, named(fields, "phoneNumber"));
  fill(merged.country, duplicates, &Lead::country, named(fields, "country"));
  if (!duplicates.empty()) {
    if (named(fields, "status")) merged.status = duplicates.front().status;
    if (named(fields, "emailVerificationStatus")) merged.email_verification_status = duplicates.front().email_verification_status;
  }
  // Whoever said "do not contact me" through any of the records is not contacted through the merged one.
  if (domain::protects_person(primary.status)) merged.status = primary.status;
  for (const auto& duplicate : duplicates) {
    if (domain::protects_person(duplicate.status) && !domain::protects_person(merged.status)) merged.status = duplicate.status;
  }
  merged.custom_fields = fill_keys(primary.custom_fields, duplicates, &Lead::custom_fields, named(fields, "customFields"));
  merged.metadata = fill_keys(primary.metadata, duplicates, &Lead::metadata, named(fields, "metadata"));
  for (const auto& duplicate : duplicates)
    for (const auto& tag : duplicate.tags)
      if (std::find(merged.tags.begin(), merged.tags.end(), tag) == merged.tags.end()) merged.tags.push_back(tag);
  const auto refuse = [](const std::string& field, const std::string& problem) {
    return Error{ErrorCode::ValidationError, "The merged lead would have " + problem, {{"field", field}}};
  };
  if (merged.tags.size() > validation::kMaxTags)
    return refuse("duplicateIds", "more than " + std::to_string(validation::kMaxTags) + " tags");
  if (merged.custom_fields.size() > validation::kMaxCustomFields)
    return refuse("duplicateIds", "more than " + std::to_string(validation::kMaxCustomFields) + " customFields");
  if (merged.metadata.dump().size() > validation::kMaxMetadataBytes)
    return refuse("duplicateIds", "more than " + std::to_string(validation::kMaxMetadataBytes) + " bytes of metadata");
  return merged;
}

}  // namespace leadline::batch
