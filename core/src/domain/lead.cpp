#include "leadline/lead.hpp"

#include "leadline/ids.hpp"
#include "leadline/time_format.hpp"

namespace leadline {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json lead_to_json(const Lead& lead) {
  std::string name = lead.first_name.value_or("");
  if (lead.last_name) name += (name.empty() ? "" : " ") + *lead.last_name;
  return nlohmann::json{
      {"id", format_id(kLeadIdPrefix, lead.id)},
      {"email", optional_text(lead.email)},
      {"firstName", optional_text(lead.first_name)},
      {"lastName", optional_text(lead.last_name)},
      {"name", name.empty() ? nlohmann::json(nullptr) : nlohmann::json(name)},
      {"companyName", optional_text(lead.company_name)},
      {"jobTitle", optional_text(lead.job_title)},
      {"phoneNumber", optional_text(lead.phone_number)},
      {"externalId", optional_text(lead.external_id)},
      {"status", lead.status},
      {"tags", lead.tags},
      {"country", optional_text(lead.country)},
      {"emailVerificationStatus", lead.email_verification_status},
      {"customFields", lead.custom_fields},
      {"metadata", lead.metadata},
      {"createdAt", format_timestamp(lead.created_at)},
      {"updatedAt", format_timestamp(lead.updated_at)},
  };
}

nlohmann::json leads_to_json(const std::vector<Lead>& leads) {
  auto out = nlohmann::json::array();
  for (const auto& lead : leads) out.push_back(lead_to_json(lead));
  return out;
}

}  // namespace leadline
