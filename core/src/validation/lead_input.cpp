#include "validation/lead_input.hpp"

#include "domain/vocabulary.hpp"
#include "validation/limits.hpp"
#include "validation/normalise.hpp"

#include <algorithm>
#include <array>
#include <functional>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

template <class E, std::size_t N>
std::string list_of(const std::array<domain::Term<E>, N>& table) {
  std::string text;
  for (const auto& term : table) text += (text.empty() ? "" : ", ") + std::string(term.name);
  return text;
}

const char* type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "number";
  }
}

// Checks a free-text value: a string, clean UTF-8, within `max_length` code points.
std::optional<std::string> read_text(const json& value, const std::string& field, std::size_t max_length,
                                     Problems& problems) {
  if (!value.is_string()) {
    problems.add(field, std::string("must be a string, not ") + type_name(value));
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  if (!is_clean_text(text)) {
    problems.add(field, "must be valid UTF-8 text without control characters");
    return std::nullopt;
  }
  if (code_point_count(text) > max_length) {
    problems.add(field, "must be at most " + std::to_string(max_length) + " characters");
    return std::nullopt;
  }
  return text;
}

// Optional text fields: null clears; an empty or blank string is treated as null.
Given<std::string> read_optional_text(const json& value, const std::string& field, std::size_t max_length,
                                      Problems& problems,
                                      const std::function<std::optional<std::string>(std::string_view)>& normalise,
                                      const std::string& format_problem) {
  if (value.is_null()) return std::optional<std::string>{};
  auto text = read_text(value, field, max_length, problems);
  if (!text) return std::nullopt;
  const auto trimmed = trim(*text);
  if (trimmed.empty()) return std::optional<std::string>{};
  if (!normalise) return std::optional<std::string>{std::string(trimmed)};
  auto normalised = normalise(trimmed);
  if (!normalised) {
    problems.add(field, format_problem);
    return std::nullopt;
  }
  return std::optional<std::string>{std::move(*normalised)};
}

}  // namespace

std::optional<domain::DuplicatePolicy> read_duplicate_policy(const json& body, Problems& problems) {
  if (!body.is_object() || !body.contains("onDuplicate")) return std::nullopt;
  const auto& value = body["onDuplicate"];
  const auto policy = value.is_string() ? domain::parse_term(domain::kDuplicatePolicies, value.get<std::string>()) : std::nullopt;
  if (!policy) problems.add("onDuplicate", "must be one of " + list_of(domain::kDuplicatePolicies));
  return policy;
}

std::optional<std::vector<std::string>> read_tag_list(const json& value, const std::string& field, Problems& problems) {
  if (value.is_null()) return std::vector<std::string>{};
  if (!value.is_array()) {
    problems.add(field, std::string("must be an array of strings, not ") + type_name(value));
    return std::nullopt;
  }
  if (value.size() > kMaxTags) {
    problems.add(field, "must have at most " + std::to_string(kMaxTags) + " tags");
    return std::nullopt;
  }
  std::vector<std::string> tags;
  const std::size_t before = problems.size();
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto tag_field = index_path(field, i);
    auto tag = read_text(value[i], tag_field, kMaxTagLength, problems);
    if (!tag) continue;
    const auto trimmed = std::string(trim(*tag));
    if (trimmed.empty()) {
      problems.add(tag_field, "must not be empty");
      continue;
    }
    if (std::find(tags.begin(), tags.end(), trimmed) == tags.end()) tags.push_back(trimmed);
  }
  if (problems.size() != before) return std::nullopt;
  return tags;
}

namespace {

Given<json> read_custom_fields(const json& value, const std::string& field, Problems& problems) {
  if (value.is_null()) return std::optional<json>{};
  if (!value.is_object()) {
    problems.add(field, std::string("must be an object, not ") + type_name(value));
    return std::nullopt;
  }
  if (value.size() > kMaxCustomFields) {
    problems.add(field, "must have at most " + std::to_string(kMaxCustomFields) + " fields");
    return std::nullopt;
  }
  const std::size_t before = problems.size();
  for (const auto& [key, entry] : value.items()) {
    const auto entry_field = join_path(field, key);
    if (key.empty() || code_point_count(key) > kMaxCustomFieldKeyLength || !is_clean_text(key)) {
      problems.add(entry_field, "field names must be 1 to " + std::to_string(kMaxCustomFieldKeyLength) + " characters");
    } else if (entry.is_string()) {
      read_text(entry, entry_field, kMaxCustomFieldValueLength, problems);
    } else if (!(entry.is_number() || entry.is_boolean() || entry.is_null())) {
      problems.add(entry_field, "must be a string, number, boolean or null");
    }
  }
  if (problems.size() != before) return std::nullopt;
  return std::optional<json>{value};
}

Given<json> read_metadata(const json& value, const std::string& field, Problems& problems) {
  if (value.is_null()) return std::optional<json>{};
  if (!value.is_object()) {
    problems.add(field, std::string("must be an object, not ") + type_name(value));
    return std::nullopt;
  }
  if (value.dump().size() > kMaxMetadataBytes) {
    problems.add(field, "must be at most " + std::to_string(kMaxMetadataBytes) + " bytes as JSON");
    return std::nullopt;
  }
  return std::optional<json>{value};
}

std::optional<std::string> read_enum(const json& value, const std::string& field, Problems& problems,
                                     bool (*allowed)(const std::string&), const std::string& allowed_list) {
  if (!value.is_string()) {
    problems.add(field, std::string("must be a string, not ") + type_name(value));
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  if (!allowed(text)) {
    problems.add(field, "must be one of: " + allowed_list);
    return std::nullopt;
  }
  return text;
}

bool has_identifier(const Lead& lead) { return lead.email || lead.phone_number || lead.external_id; }

template <class T>
void assign(std::optional<T>& target, const Given<T>& given) {
  if (given) target = *given;
}

// Given values replace, null clears, absent fields stay: the same for create and update.
void assign_scalar_fields(Lead& lead, const LeadInput& input) {
  assign(lead.email, input.email);
  assign(lead.first_name, input.first_name);
  assign(lead.last_name, input.last_name);
  assign(lead.company_name, input.company_name);
  assign(lead.job_title, input.job_title);
  assign(lead.phone_number, input.phone_number);
  assign(lead.external_id, input.external_id);
  assign(lead.country, input.country);
  if (input.status) lead.status = *input.status;
  if (input.email_verification_status) lead.email_verification_status = *input.email_verification_status;
  if (input.tags) lead.tags = *input.tags;
}

}  // namespace

bool is_lead_status(const std::string& value) { return domain::parse_term(domain::kLeadStatuses, value).has_value(); }
bool is_verification_status(const std::string& value) {
  return domain::parse_term(domain::kVerificationStatuses, value).has_value();
}

LeadInput decode_lead_input(const json& object, const std::string& path, Problems& problems,
                            const std::vector<std::string>& extra_allowed) {
  LeadInput input;
  if (!object.is_object()) {
    problems.add(path.empty() ? "body" : path, std::string("must be an object, not ") + type_name(object));
    return input;
  }
  for (const auto& [key, value] : object.items()) {
    const auto field = join_path(path, key);
    if (key == "email") {
      input.email = read_optional_text(value, field, kMaxEmailLength, problems, normalise_email,
                                       "must be a valid email address");
    } else if (key == "firstName") {
      input.first_name = read_optional_text(value, field, kMaxTextLength, problems, nullptr, "");
    } else if (key == "lastName") {
      input.last_name = read_optional_text(value, field, kMaxTextLength, problems, nullptr, "");
    } else if (key == "companyName") {
      input.company_name = read_optional_text(value, field, kMaxTextLength, problems, nullptr, "");
    } else if (key == "jobTitle") {
      input.job_title = read_optional_text(value, field, kMaxTextLength, problems, nullptr, "");
    } else if (key == "phoneNumber") {
      input.phone_number = read_optional_text(value, field, kMaxTextLength, problems, normalise_phone,
                                              "must be a phone number in international format, e.g. +15551234567");
    } else if (key == "externalId") {
      input.external_id = read_optional_text(value, field, kMaxTextLength, problems, nullptr, "");
    } else if (key == "country") {
      input.country = read_optional_text(value, field, kMaxTextLength, problems, normalise_country,
                                         "must be an ISO 3166-1 alpha-2 country code, e.g. US");
    } else if (key == "status") {
      input.status = read_enum(value, field, problems, is_lead_status, list_of(domain::kLeadStatuses));
    } else if (key == "emailVerificationStatus") {
      input.email_verification_status =
          read_enum(value, field, problems, is_verification_status, list_of(domain::kVerificationStatuses));
    } else if (key == "tags") {
      input.tags = read_tag_list(value, field, problems);
    } else if (key == "customFields") {
      input.custom_fields = read_custom_fields(value, field, problems);
    } else if (key == "metadata") {
      input.metadata = read_metadata(value, field, problems);
    } else if (std::find(extra_allowed.begin(), extra_allowed.end(), key) == extra_allowed.end()) {
      problems.add(field, "unknown field");
    }
  }
  return input;
}

Lead lead_from_input(const LeadInput& input, const std::string& path, Problems& problems) {
  Lead lead;
  assign_scalar_fields(lead, input);
  if (input.custom_fields && *input.custom_fields) lead.custom_fields = **input.custom_fields;
  if (input.metadata && *input.metadata) lead.metadata = **input.metadata;
  if (!has_identifier(lead)) {
    problems.add(path.empty() ? "body" : path, "at least one of email, phoneNumber or externalId is required");
  }
  return lead;
}

void apply_lead_update(Lead& lead, const LeadInput& input, const std::string& path, Problems& problems) {
  const Lead before = lead;
  assign_scalar_fields(lead, input);
  // Merge patch (RFC 7396): given keys replace, null values remove, absent keys stay.
  if (input.custom_fields) {
    if (*input.custom_fields) lead.custom_fields.merge_patch(**input.custom_fields);
    else lead.custom_fields = json::object();
  }
  if (input.metadata) {
    if (*input.metadata) lead.metadata.merge_patch(**input.metadata);
    else lead.metadata = json::object();
  }
  if (lead.metadata.dump().size() > kMaxMetadataBytes) {
    problems.add(join_path(path, "metadata"),
                 "merged metadata must be at most " + std::to_string(kMaxMetadataBytes) + " bytes as JSON");
  }
  if (lead.custom_fields.size() > kMaxCustomFields) {
    problems.add(join_path(path, "customFields"),
                 "merged customFields must have at most " + std::to_string(kMaxCustomFields) + " fields");
  }
  if (!has_identifier(lead)) {
    problems.add(path.empty() ? "body" : path,
                 "at least one of email, phoneNumber or externalId must remain");
    lead = before;
  }
}

}  // namespace leadline::validation
