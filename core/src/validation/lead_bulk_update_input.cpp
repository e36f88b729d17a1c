#include "validation/lead_bulk_update_input.hpp"

#include "leadline/ids.hpp"
#include "validation/body_fields.hpp"
#include "validation/campaign_input.hpp"
#include "validation/limits.hpp"

#include <unordered_set>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

// Ids mode, as DELETE /leads reads it: ids are opaque, so one that is not a Leadline id names no
// lead and is reported not found rather than refused.
void read_requested_ids(const json& ids, BulkUpdateRequest& request, Problems& problems) {
  if (!ids.is_array() || ids.empty()) {
    problems.add("leadIds", "must be a non-empty array of lead ids");
    return;
  }
  if (ids.size() > kMaxLeadsPerCreate) {
    problems.add("leadIds", "must list at most " + std::to_string(kMaxLeadsPerCreate) + " ids");
    return;
  }
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& id = ids[i];
    if (!id.is_string() || id.get_ref<const std::string&>().empty() ||
        id.get_ref<const std::string&>().size() > kMaxIdLength) {
      problems.add(index_path("leadIds", i),
                   "must be a lead id: a string of 1 to " + std::to_string(kMaxIdLength) + " characters");
      continue;
    }
    const auto& text = id.get_ref<const std::string&>();
    if (!seen.insert(text).second) continue;
    request.requested_ids.push_back(text);
    if (auto parsed = parse_id(kLeadIdPrefix, text)) request.lead_ids.push_back(*parsed);
  }
}

}  // namespace

const std::vector<std::string>& bulk_settable_fields() {
  static const std::vector<std::string> fields{"status",   "emailVerificationStatus", "country", "companyName",
                                               "jobTitle", "customFields",            "metadata"};
  return fields;
}

Result<BulkUpdateRequest> decode_bulk_update_body(const json& body) {
  Problems problems;
  if (!check_fields(body, {"leadIds", "filters", "excludeIds", "set", "addTags", "removeTags"}, problems)) {
    return Error::invalid_field("body", "must be a JSON object");
  }
  if (!problems.empty()) return problems.to_error();
  BulkUpdateRequest request;
  request.by_ids = body.contains("leadIds");
  if (request.by_ids == body.contains("filters")) {
    return Error{ErrorCode::ValidationError,
                 request.by_ids ? "Provide either leadIds or filters, not both"
                                : "Provide leadIds, or filters ({} for every lead) with optional excludeIds",
                 {{"field", "leadIds"}}};
  }
  if (request.by_ids) {
    if (body.contains("excludeIds")) return Error::invalid_field("excludeIds", "applies only with filters");
    read_requested_ids(body["leadIds"], request, problems);
  } else {
    if (!body["filters"].is_object()) problems.add("filters", "must be an object ({} for every lead)");
    else request.filters = decode_lead_filters(body["filters"], "filters", problems);
    if (body.contains("excludeIds"))
      request.exclude_ids = read_lead_id_list(body["excludeIds"], "excludeIds", kMaxExcludeIds, problems);
  }

  if (body.contains("set")) {
    const auto& set = body["set"];
    if (!set.is_object()) {
      problems.add("set", "must be an object of the fields to set");
    } else {
      for (const auto& [key, value] : set.items()) {
        if (!contains(bulk_settable_fields(), key)) {
          problems.add("set." + key, "cannot be set in bulk; allowed: " + join(bulk_settable_fields()));
        }
      }
      if (problems.empty()) request.set = decode_lead_input(set, "set", problems);
      if (set.empty()) problems.add("set", "must name at least one field");
    }
  }
  for (const char* key : {"addTags", "removeTags"}) {
    if (!body.contains(key)) continue;
    if (body[key].is_null()) {
      problems.add(key, "must be an array of tags");
      continue;
    }
    auto tags = read_tag_list(body[key], key, problems);
    if (!tags) continue;
    if (tags->empty()) problems.add(key, "must name at least one tag");
    (std::string_view(key) == "addTags" ? request.add_tags : request.remove_tags) = std::move(*tags);
  }
  for (const auto& tag : request.add_tags) {
    if (contains(request.remove_tags, tag)) problems.add("removeTags", "\"" + tag + "\" is also in addTags");
  }
  if (problems.empty() && !body.contains("set") && !body.contains("addTags") && !body.contains("removeTags")) {
    return Error{ErrorCode::ValidationError, "Provide set, addTags or removeTags: the changes to make",
                 {{"field", "set"}}};
  }
  if (!problems.empty()) return problems.to_error();
  return request;
}

}  // namespace leadline::validation
