#pragma once
// Operator commands (workspaces, users, keys) behind Engine::admin and `npm run admin`.

#include "api/route_context.hpp"

#include <nlohmann/json.hpp>

namespace leadline::api {

/// Runs `{"command": "...", ...}`. Commands:
///   bootstrap                                   first start: a workspace, its key, an owner and a platform key,
///                                               only when no workspace exists yet
///   create-workspace {name, userId?}            userId also makes that user a member
///   list-workspaces
///   create-user {name, workspaceIds?}
///   add-user-to-workspace {userId, workspaceId}
///   create-key {workspaceId | userId, scopes?, campaignIds?, label?}   the key is in the reply, once
///   list-keys {workspaceId?}                    display forms only, never keys or hashes
///   revoke-key {keyId}
///   seed-campaign-activity {workspaceId, campaignId}   demo statistics, scheduled emails and messages
///                                               for each current member (Leadline sends no email)
Result<Reply> run_admin_command(Services& services, const nlohmann::json& command, std::int64_t now);

}  // namespace leadline::api
