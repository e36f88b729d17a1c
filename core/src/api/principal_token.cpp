#include "api/principal_token.hpp"

#include <nlohmann/json.hpp>

namespace leadline::api {

std::string encode_principal(const guards::Principal& principal) {
  nlohmann::json token{{"keyId", principal.key_id},
                       {"workspaceId", principal.workspace_id},
                       {"read", principal.can_read},
                       {"write", principal.can_write},
                       {"display", principal.key_display}};
  if (principal.campaign_ids) token["campaignIds"] = *principal.campaign_ids;
  return token.dump();
}

Result<guards::Principal> decode_principal(const std::string& token) {
  const auto parsed = nlohmann::json::parse(token, nullptr, false);
  const Error unreadable{ErrorCode::Internal, "unreadable principal token"};
  if (!parsed.is_object()) return unreadable;
  try {
    guards::Principal principal;
    principal.key_id = parsed.at("keyId").get<std::int64_t>();
    principal.workspace_id = parsed.at("workspaceId").get<std::int64_t>();
    principal.can_read = parsed.at("read").get<bool>();
    principal.can_write = parsed.at("write").get<bool>();
    principal.key_display = parsed.at("display").get<std::string>();
    if (parsed.contains("campaignIds")) principal.campaign_ids = parsed["campaignIds"].get<std::vector<std::int64_t>>();
    return principal;
  } catch (const nlohmann::json::exception&) {
    return unreadable;
  }
}

}  // namespace leadline::api
