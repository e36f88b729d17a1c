#include "validation/lead_delete_input.hpp"

#include "leadline/ids.hpp"
#include "validation/campaign_input.hpp"
#include "validation/limits.hpp"
#include "validation/normalise.hpp"

#include <algorithm>
#include <unordered_set>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

Error plain(const std::string& message, const std::string& field) {
  return Error{ErrorCode::ValidationError, message, {{"field", field}}};
}

std::optional<bool> read_bool(const json& body, const char* key, Problems& problems) {
  if (!body.contains(key)) return std::nullopt;
  if (!body[key].is_boolean()) {
    problems.add(key, "must be true or false");
    return std::nullopt;
  }
  return body[key].get<bool>();
}

// A non-empty, clean string identifier, or nullopt (absent, null or blank).
std::optional<std::string> read_identifier(const json& entry, const char* key, const std::string& path,
                                           std::optional<Error>& failure) {
  if (!entry.contains(key) || entry[key].is_null()) return std::nullopt;
  const auto& value = entry[key];
  if (!value.is_string() || !is_clean_text(value.get<std::string>()) ||
      code_point_count(value.get<std::string>()) > kMaxTextLength) {
    failure = plain(path + "." + key + " must be a string of at most " + std::to_string(kMaxTextLength) +
                        " characters",
                    path + "." + key);
    return std::nullopt;
  }
  const auto trimmed = trim(value.get_ref<const std::string&>());
  if (trimmed.empty()) return std::nullopt;
  return std::string(trimmed);
}

}  // namespace

Result<DeleteLeadsRequest> decode_delete_leads_body(const json& body) {
  Problems problems;
  if (!body.is_object()) return Error::invalid_field("body", "must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "leadIds" && key != "deleteAll" && key != "filters" && key != "excludeIds" && key != "force")
      problems.add(key, "unknown field; allowed: leadIds, deleteAll, filters, excludeIds, force");
  }
  DeleteLeadsRequest request;
  request.delete_all = read_bool(body, "deleteAll", problems).value_or(false);
  request.force = read_bool(body, "force", problems).value_or(false);
  if (!problems.empty()) return problems.to_error();

  const bool by_ids = body.contains("leadIds");
  if (by_ids && request.delete_all) {
    return Error{ErrorCode::ValidationError, "Provide either leadIds or deleteAll: true, not both",
                 {{"field", "leadIds"}}};
  }
  if (!by_ids && !request.delete_all) {
    return Error{ErrorCode::ValidationError, "Provide leadIds, or deleteAll: true with optional filters"};
  }
  if (by_ids) {
    for (const char* key : {"filters", "excludeIds"}) {
      if (body.contains(key)) return Error::invalid_field(key, "applies only with deleteAll: true");
    }
    const auto& ids = body["leadIds"];
    if (ids.is_array() && ids.empty()) return Error::invalid_field("leadIds", "must contain at least one lead id");
    if (!ids.is_array()) return Error::invalid_field("leadIds", "must be an array of lead ids");
    if (ids.size() > kMaxLeadsPerCreate) {
      return Error::invalid_field("leadIds", "must list at most " + std::to_string(kMaxLeadsPerCreate) + " ids");
    }
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto& id = ids[i];
      if (!id.is_string() || id.get_ref<const std::string&>().empty() ||
          id.get_ref<const std::string&>().size() > kMaxIdLength) {
        return Error::invalid_field(index_path("leadIds", i),
                                    "must be a lead id: a string of 1 to " + std::to_string(kMaxIdLength) + " characters");
      }
      const auto& text = id.get_ref<const std::string&>();
      if (!seen.insert(text).second) continue;
      request.requested_ids.push_back(text);
      if (auto parsed = parse_id(kLeadIdPrefix, text)) request.lead_ids.push_back(*parsed);
    }
    return request;
  }
  if (body.contains("filters")) request.filters = decode_lead_filters(body["filters"], "filters", problems);
  if (body.contains("excludeIds")) {
    request.exclude_ids = read_lead_id_list(body["excludeIds"], "excludeIds", kMaxExcludeIds, problems);
  }
  if (!problems.empty()) return problems.to_error();
  return request;
}

Result<bool> decode_force_option(const QueryParams& query, const json* body) {
  auto flags = decode_flag_query(query, {"force"});
  if (!flags) return flags.take_error();
  bool force = !flags->empty();
  if (body) {
    Problems problems;
    if (!body->is_object()) return Error::invalid_field("body", "must be a JSON object");
    for (const auto& [key, value] : body->items()) {
      if (key != "force") problems.add(key, "unknown field; allowed: force");
    }
    if (auto given = read_bool(*body, "force", problems)) force = force || *given;
    if (!problems.empty()) return problems.to_error();
  }
  return force;
}

Result<BulkDeleteRequest> decode_bulk_delete_body(const json& body) {
  if (!body.is_object()) return Error::invalid_field("body", "must be a JSON object");
  BulkDeleteRequest request;
  // Lupitor's checks, in its order and words.
  const auto& campaign = body.contains("campaignId") ? body["campaignId"] : json();
  if (campaign.is_null() || (campaign.is_string() && trim(campaign.get_ref<const std::string&>()).empty()))
    return plain("campaignId is required", "campaignId");
  if (!campaign.is_string()) return plain("campaignId must be a string", "campaignId");
  request.campaign_id = std::string(trim(campaign.get_ref<const std::string&>()));
  if (!body.contains("leads") || !body["leads"].is_array()) return plain("leads array is required", "leads");
  const auto& leads = body["leads"];
  if (leads.empty()) return plain("leads array cannot be empty", "leads");
  if (leads.size() > kMaxLeadsPerBulkDelete) return plain("Maximum 1000 leads per bulk delete request", "leads");

  for (std::size_t i = 0; i < leads.size(); ++i) {
    const auto path = index_path("leads", i);
    const auto& entry = leads[i];
    const auto missing = plain(path + ": At least one of phoneNumber or externalId is required", path);
    if (!entry.is_object()) return missing;
    std::optional<Error> failure;
    IdentifierEntry decoded;
    decoded.external_id = read_identifier(entry, "externalId", path, failure);
    auto phone = read_identifier(entry, "phoneNumber", path, failure);
    if (failure) return *failure;
    if (!decoded.external_id && !phone) return missing;
    for (const auto& [key, value] : entry.items()) {
      if (key != "externalId" && key != "phoneNumber")
        return plain(path + "." + key + ": unknown field; allowed: externalId, phoneNumber", path + "." + key);
    }
    // A phone number that cannot be normalised matches no lead; it is reported as not found.
    if (phone) decoded.phone_number = normalise_phone(*phone);
    decoded.identifier = decoded.external_id ? *decoded.external_id : *phone;
    request.entries.push_back(std::move(decoded));
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "campaignId" && key != "leads")
      return plain(key + ": unknown field; allowed: campaignId, leads", key);
  }
  return request;
}

}  // namespace leadline::validation
