#pragma once
// Decoding and checking of lead fields from request JSON (create and update), with every
// problem named by its field path.

#include "domain/vocabulary.hpp"
#include "leadline/lead.hpp"
#include "validation/problems.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace leadline::validation {

/// A field as a request gave it: absent (outer nullopt), null (inner nullopt) or a value.
template <class T>
using Given = std::optional<std::optional<T>>;

/// The lead fields present in a request, already normalised.
struct LeadInput {
  Given<std::string> email, first_name, last_name, company_name, job_title, phone_number, external_id, country;
  std::optional<std::string> status;
  std::optional<std::string> email_verification_status;
  std::optional<std::vector<std::string>> tags;
  Given<nlohmann::json> custom_fields;  ///< object: merged on update; null clears
  Given<nlohmann::json> metadata;       ///< object: merged on update (RFC 7396); null clears
};

/// Decodes `object` (must be a JSON object) found at `path` ("" for the body itself). Unknown
/// fields, wrong types, bad formats and limits are recorded in `problems`. `extra_allowed`
/// names fields the caller handles itself (e.g. "leadId" in add-to-campaign entries).
LeadInput decode_lead_input(const nlohmann::json& object, const std::string& path, Problems& problems,
                            const std::vector<std::string>& extra_allowed = {});

/// A new lead from `input` (defaults for what is absent). Records a problem at `path` when
/// none of email, phoneNumber and externalId is given.
Lead lead_from_input(const LeadInput& input, const std::string& path, Problems& problems);

/// Applies `input` to `lead` as an update: given values replace, null clears, metadata and
/// customFields merge. Records a problem when the update would leave no identifier.
void apply_lead_update(Lead& lead, const LeadInput& input, const std::string& path, Problems& problems);

/// A tags array at `field`: strings, trimmed, non-empty, at most kMaxTags, duplicates dropped;
/// null is the empty list. nullopt (with problems recorded) when anything is wrong.
std::optional<std::vector<std::string>> read_tag_list(const nlohmann::json& value, const std::string& field,
                                                     Problems& problems);

/// `onDuplicate` of a create or import body, when given: one of domain::kDuplicatePolicies (a
/// problem otherwise).
std::optional<domain::DuplicatePolicy> read_duplicate_policy(const nlohmann::json& body, Problems& problems);

/// True when `value` is one of the lead statuses (domain/vocabulary.hpp).
bool is_lead_status(const std::string& value);
/// True when `value` is one of the email verification statuses (domain/vocabulary.hpp).
bool is_verification_status(const std::string& value);

}  // namespace leadline::validation
