#include "validation/lead_merge_input.hpp"

#include "validation/body_fields.hpp"
#include "validation/limits.hpp"
#include "validation/problems.hpp"

namespace leadline::validation {
namespace {

using json = nlohmann::json;

bool is_id_text(const json& value) {
  return value.is_string() && !value.get_ref<const std::string&>().empty() && value.get_ref<const std::string&>().size() <= kMaxIdLength;
}

}  // namespace

const std::vector<std::string>& mergeable_fields() {
  static const std::vector<std::string> fields{"firstName", "lastName", "companyName", "jobTitle", "phoneNumber",
                                               "country", "status", "emailVerificationStatus", "customFields", "metadata"};
  return fields;
}

Result<MergeLeadsRequest> decode_merge_leads_body(const json& body) {
  Problems problems;
  if (!check_fields(body, {"primaryId", "duplicateIds", "fields"}, problems)) return Error::invalid_field("body", "must be a JSON object");
  if (!problems.empty()) return problems.to_error();
  MergeLeadsRequest request;
  if (!body.contains("primaryId") || !is_id_text(body["primaryId"])) {
    problems.add("primaryId", "is required: the id of the lead that stays");
  } else {
    request.primary_id = body["primaryId"].get<std::string>();
  }
  const auto& duplicates = body.contains("duplicateIds") ? body["duplicateIds"] : json();
  if (!duplicates.is_array() || duplicates.empty() || duplicates.size() > kMaxMergeDuplicates) {
    problems.add("duplicateIds", "must list 1 to " + std::to_string(kMaxMergeDuplicates) + " lead ids");
  } else {
    for (std::size_t i = 0; i < duplicates.size(); ++i) {
      const auto path = index_path("duplicateIds", i);
      if (!is_id_text(duplicates[i])) {
        problems.add(path, "must be a lead id");
        continue;
      }
      const auto id = duplicates[i].get<std::string>();
      if (id == request.primary_id) problems.add(path, "is the primary lead; a lead cannot be merged into itself");
      else if (contains(request.duplicate_ids, id)) problems.add(path, "is listed twice");
      else request.duplicate_ids.push_back(id);
    }
  }
  if (body.contains("fields")) {
    const auto& fields = body["fields"];
    if (!fields.is_array()) {
      problems.add("fields", "must be an array of field names");
    } else {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (!fields[i].is_string() || !contains(mergeable_fields(), fields[i].get<std::string>())) {
          problems.add(index_path("fields", i), "must be one of " + join(mergeable_fields()));
        } else if (!contains(request.fields, fields[i].get<std::string>())) {
          request.fields.push_back(fields[i].get<std::string>());
        }
      }
    }
  }
  if (!problems.empty()) return problems.to_error();
  return request;
}

}  // namespace leadline::validation
