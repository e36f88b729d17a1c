#pragma once
/// The Lead as stored and as replied.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline {

/// A workspace's lead. Optional text fields are absent (null on the wire) when not set.
/// Invariants (enforced by validation): email trimmed and lower-cased, phoneNumber in E.164,
/// country ISO 3166-1 alpha-2 upper-case, at least one of email / phoneNumber / externalId.
struct Lead {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> company_name;
  std::optional<std::string> job_title;
  std::optional<std::string> phone_number;
  std::optional<std::string> external_id;
  std::string status = "new";
  std::vector<std::string> tags;
  std::optional<std::string> country;
  std::string email_verification_status = "unverified";
  nlohmann::json custom_fields = nlohmann::json::object();
  nlohmann::json metadata = nlohmann::json::object();
  std::int64_t created_at = 0;  ///< ms since epoch
  std::int64_t updated_at = 0;  ///< ms since epoch
};

/// The wire form: camelCase fields, `id` as "lead_<16 hex>", ISO 8601 timestamps, and the
/// read-only `name` (first and last name joined) that clients of `DELETE /api/v1/leads/{leadId}`'s documentation read.
nlohmann::json lead_to_json(const Lead& lead);

/// A JSON array of `lead_to_json` of each.
nlohmann::json leads_to_json(const std::vector<Lead>& leads);

}  // namespace leadline
