#include "validation/erasure_input.hpp"

#include "leadline/ids.hpp"
#include "validation/limits.hpp"
#include "validation/normalise.hpp"
#include "validation/problems.hpp"

#include <unordered_set>

namespace leadline::validation {

using json = nlohmann::json;

Result<EraseLeadsRequest> decode_erase_leads_body(const json& body) {
  if (!body.is_object()) return Error::invalid_field("body", "must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "leadIds" && key != "emails")
      return Error::invalid_field(key, "unknown field; allowed: leadIds, emails, dryRun, expectedCount");
  }
  const bool by_ids = body.contains("leadIds");
  const bool by_emails = body.contains("emails");
  if (by_ids == by_emails)
    return Error{ErrorCode::ValidationError, "Provide either leadIds or emails (not both)", {{"field", by_ids ? "emails" : "leadIds"}}};
  const char* field = by_ids ? "leadIds" : "emails";
  const auto& list = body[field];
  if (!list.is_array()) return Error::invalid_field(field, by_ids ? "must be an array of lead ids" : "must be an array of emails");
  if (list.empty()) return Error::invalid_field(field, "must contain at least one entry");
  if (list.size() > kMaxErasuresPerRequest)
    return Error::invalid_field(field, "must list at most " + std::to_string(kMaxErasuresPerRequest) + " entries");

  EraseLeadsRequest request;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& item = list[i];
    if (by_ids) {
      if (!item.is_string() || item.get_ref<const std::string&>().empty() ||
          item.get_ref<const std::string&>().size() > kMaxIdLength)
        return Error::invalid_field(index_path(field, i),
                                    "must be a lead id: a string of 1 to " + std::to_string(kMaxIdLength) + " characters");
      const auto& text = item.get_ref<const std::string&>();
      if (!seen.insert(text).second) continue;
      if (auto id = parse_id(kLeadIdPrefix, text)) request.lead_ids.push_back(*id);
      else request.unknown_ids.push_back(text);
      continue;
    }
    const auto email = item.is_string() && item.get_ref<const std::string&>().size() <= kMaxEmailLength
                           ? normalise_email(item.get_ref<const std::string&>())
                           : std::nullopt;
    if (!email) return Error::invalid_field(index_path(field, i), "must be a valid email address");
    if (seen.insert(*email).second) request.emails.push_back(*email);
  }
  return request;
}

Result<bool> decode_erase_lead_body(const json* body) {
  if (body && !(body->is_object() && body->empty()))
    return Error::invalid_field("body", "must be empty (dryRun and expectedCount may be given)");
  return true;
}

}  // namespace leadline::validation
