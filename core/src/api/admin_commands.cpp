#include "api/admin_commands.hpp"

#include "api/router.hpp"
#include "domain/vocabulary.hpp"
#include "store/data_folder.hpp"
#include "store/job_store.hpp"
#include "store/lead_store.hpp"
#include "store/online_backup.hpp"
#include "store/receipt_purge.hpp"
#include "store/workspace_transfer.hpp"
#include "guards/sha256.hpp"
#include "leadline/time_format.hpp"
#include "validation/normalise.hpp"
#include "validation/problems.hpp"

#include <algorithm>
#include <set>

namespace leadline::api {
namespace {

using json = nlohmann::json;
using validation::Problems;

// Reads the command's arguments strictly: only `allowed` keys, with the expected types.
struct Arguments {
  const json& object;
  Problems& problems;

  void only(const std::initializer_list<std::string_view>& allowed) const {
    for (const auto& [key, value] : object.items()) {
      if (key == "command") continue;
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) problems.add(key, "unknown field");
    }
  }
  std::optional<std::string> text(const char* key, bool required) const {
    if (!object.contains(key)) {
      if (required) problems.add(key, "is required");
      return std::nullopt;
    }
    const auto& value = object[key];
    if (!value.is_string() || validation::trim(value.get_ref<const std::string&>()).empty() ||
        !validation::is_clean_text(value.get<std::string>()) || value.get<std::string>().size() > 200) {
      problems.add(key, "must be a non-empty string of at most 200 characters");
      return std::nullopt;
    }
    return std::string(validation::trim(value.get_ref<const std::string&>()));
  }
  std::optional<std::int64_t> id(const char* key, std::string_view prefix, bool required) const {
    auto value = text(key, required);
    if (!value) return std::nullopt;
    auto parsed = parse_id(prefix, *value);
    if (!parsed) problems.add(key, "is not a valid id (" + std::string(prefix) + "…)");
    return parsed;
  }
  std::optional<std::vector<std::int64_t>> ids(const char* key, std::string_view prefix) const {
    if (!object.contains(key)) return std::nullopt;
    const auto& value = object[key];
    std::vector<std::int64_t> parsed;
    if (!value.is_array()) {
      problems.add(key, "must be an array of ids");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto id = value[i].is_string() ? parse_id(prefix, value[i].get<std::string>()) : std::nullopt;
      if (!id) problems.add(validation::index_path(key, i), "is not a valid id (" + std::string(prefix) + "…)");
      else parsed.push_back(*id);
    }
    return parsed;
  }
};

Error not_found(const std::string& what) { return Error{ErrorCode::NotFound, what + " not found"}; }

json key_to_json(const store::KeyRecord& key) {
  json campaigns = nullptr;
  if (key.campaign_ids) {
    campaigns = json::array();
    for (auto id : *key.campaign_ids) campaigns.push_back(format_id(kCampaignIdPrefix, id));
  }
  return {{"id", format_id(kKeyIdPrefix, key.id)},
          {"kind", key.kind},
          {"workspaceId", key.workspace_id ? json(format_id(kWorkspaceIdPrefix, *key.workspace_id)) : json(nullptr)},
          {"userId", key.user_id ? json(format_id(kUserIdPrefix, *key.user_id)) : json(nullptr)},
          {"display", key.display},
          {"scopes", key.scopes},
          {"campaignIds", campaigns},
          {"label", key.label ? json(*key.label) : json(nullptr)},
          {"createdAt", format_timestamp(key.created_at)},
          {"revokedAt", key.revoked_at ? json(format_timestamp(*key.revoked_at)) : json(nullptr)}};
}

// Creates and stores a key; the plaintext key is returned once, in the reply only.
Result<json> issue_key(AdminServices& services, std::optional<std::int64_t> workspace_id, std::optional<std::int64_t> user_id,
                       std::vector<std::string> scopes, std::optional<std::vector<std::int64_t>> campaign_ids,
                       std::optional<std::string> label, std::int64_t now) {
  const bool platform = user_id.has_value();
  const auto plaintext = guards::generate_api_key(platform);
  store::KeyRecord key;
  key.id = services.ids.next(now);
  key.kind = platform ? "platform" : "workspace";
  key.workspace_id = workspace_id;
  key.user_id = user_id;
  key.display = guards::display_form(plaintext);
  key.scopes = std::move(scopes);
  key.campaign_ids = std::move(campaign_ids);
  key.label = std::move(label);
  key.created_at = now;
  if (auto status = services.keys->insert_key(key, guards::sha256(plaintext)); !status) return status.take_error();
  auto reply = key_to_json(key);
  reply["key"] = plaintext;
  return reply;
}

Result<json> create_workspace_record(AdminServices& services, const std::string& name, std::int64_t now) {
  store::WorkspaceRecord workspace{services.ids.next(now), name, now};
  if (auto status = services.keys->insert_workspace(workspace); !status) return status.take_error();
  if (auto status = services.create_workspace_database(workspace.id, name, now); !status) return status.take_error();
  return json{{"id", format_id(kWorkspaceIdPrefix, workspace.id)}, {"name", name},
              {"createdAt", format_timestamp(now)}};
}

Result<Reply> bootstrap(AdminServices& services, std::int64_t now) {
  auto existing = services.keys->list_workspaces();
  if (!existing) return existing.take_error();
  if (!existing->empty()) return Reply{200, {{"created", false}}, std::nullopt};
  auto workspace = create_workspace_record(services, "Default workspace", now);
  if (!workspace) return workspace.take_error();
  const auto workspace_id = *parse_id(kWorkspaceIdPrefix, (*workspace)["id"].get<std::string>());
  const auto user_id = services.ids.next(now);
  if (auto status = services.keys->insert_user(user_id, "Owner", now); !status) return status.take_error();
  if (auto status = services.keys->add_user_to_workspace(user_id, workspace_id); !status) return status.take_error();
  auto workspace_key = issue_key(services, workspace_id, std::nullopt, {"read", "write"}, std::nullopt,
                                 "created on first start", now);
  if (!workspace_key) return workspace_key.take_error();
  auto platform_key = issue_key(services, std::nullopt, user_id, {"read", "write"}, std::nullopt,
                                "created on first start", now);
  if (!platform_key) return platform_key.take_error();
  return Reply{201,
               {{"created", true},
                {"workspace", *workspace},
                {"userId", format_id(kUserIdPrefix, user_id)},
                {"workspaceKey", (*workspace_key)["key"]},
                {"platformKey", (*platform_key)["key"]}},
               std::nullopt};
}

Result<Reply> create_key(AdminServices& services, const Arguments& args, std::int64_t now) {
  auto workspace_id = args.id("workspaceId", kWorkspaceIdPrefix, false);
  auto user_id = args.id("userId", kUserIdPrefix, false);
  auto label = args.text("label", false);
  auto campaign_ids = args.ids("campaignIds", kCampaignIdPrefix);
  std::vector<std::string> scopes{"read", "write"};
  if (args.object.contains("scopes")) {
    const auto& value = args.object["scopes"];
    scopes.clear();
    if (!value.is_array() || value.empty()) args.problems.add("scopes", "must be a non-empty array of read, write");
    else
      for (const auto& scope : value) {
        if (scope != "read" && scope != "write") args.problems.add("scopes", "must contain only read and write");
        else if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) scopes.push_back(scope);
      }
  }
  if (args.object.contains("workspaceId") == args.object.contains("userId")) {
    args.problems.add("workspaceId", "give exactly one of workspaceId (workspace key) or userId (platform key)");
  }
  if (!args.problems.empty()) return args.problems.to_error();
  if (workspace_id) {
    auto found = services.keys->workspace_exists(*workspace_id);
    if (!found) return found.take_error();
    if (!*found) return not_found("Workspace");
  } else {
    auto found = services.keys->user_exists(*user_id);
    if (!found) return found.take_error();
    if (!*found) return not_found("User");
  }
  auto key = issue_key(services, workspace_id, user_id, scopes, campaign_ids, label, now);
  if (!key) return key.take_error();
  return Reply{201, *key, std::nullopt};
}

// Every route, as the OpenAPI check and the tenant-isolation matrix need it: a test that
// walks this list cannot miss a route added later.
json route_list() {
  static constexpr std::string_view kScopes[] = {"none", "read", "write"};
  static constexpr std::string_view kBodies[] = {"none", "optional", "required"};
  static constexpr std::string_view kReaches[] = {"public", "workspace", "campaign"};
  json routes = json::array();
  for (const auto& route : route_table()) {
    routes.push_back({{"method", route.method},
                      {"path", "/api/v1" + std::string(route.pattern)},
                      {"scope", kScopes[static_cast<int>(route.scope)]},
                      {"body", kBodies[static_cast<int>(route.body)]},
                      {"reach", kReaches[static_cast<int>(route.reach)]}});
  }
  return routes;
}

// SQLite's own checks: page structure and indexes (integrity_check) and dangling references
// (foreign_key_check). Run by operators after a crash and by the crash-safety tests.
Result<Reply> check_integrity(AdminServices& services) {
  // A page too damaged to read stops a check with SQLITE_CORRUPT: that is a finding too.
  json problems_found = json::array();
  std::int64_t violations = 0;
  std::int64_t duplicates = 0;
  std::size_t checked = 0;
  auto visited = services.each_database([&](const std::string& name, store::Database& db) {
    ++checked;
    if (name != "catalog") {
      // Email and externalId are unique among unmarked leads by the code that inserts them, not by an index.
      auto found = store::LeadStore(db).count_duplicate_identifiers();
      if (!found) problems_found.push_back(name + ": " + found.error().message);
      else duplicates += *found;
    }
    if (auto integrity = db.prepare("PRAGMA integrity_check"); !integrity) {
      problems_found.push_back(name + ": " + integrity.error().message);
    } else {
      while (integrity->step()) {
        auto line = integrity->text(0);
        if (line != "ok") problems_found.push_back(name + ": " + line);
      }
      if (auto status = integrity->status(); !status) problems_found.push_back(name + ": " + status.error().message);
    }
    if (auto foreign_keys = db.prepare("PRAGMA foreign_key_check"); !foreign_keys) {
      problems_found.push_back(name + ": " + foreign_keys.error().message);
    } else {
      while (foreign_keys->step()) ++violations;
      if (auto status = foreign_keys->status(); !status) problems_found.push_back(name + ": " + status.error().message);
    }
  });
  if (!visited) problems_found.push_back(visited.error().message);
  const bool ok = problems_found.empty() && violations == 0 && duplicates == 0;
  return Reply{200, {{"ok", ok}, {"integrity", problems_found.empty() ? json("ok") : problems_found},
                     {"foreignKeyViolations", violations}, {"duplicateLeadIdentifiers", duplicates},
                     {"databases", checked}}, std::nullopt};
}

}  // namespace

namespace {

Result<Reply> create_workspace(AdminServices& services, const Arguments& args, std::int64_t now) {
  auto workspace_name = args.text("name", true);
  auto user_id = args.id("userId", kUserIdPrefix, false);
  if (!args.problems.empty()) return args.problems.to_error();
  if (user_id) {
    auto found = services.keys->user_exists(*user_id);
    if (!found) return found.take_error();
    if (!*found) return not_found("User");
  }
  auto workspace = create_workspace_record(services, *workspace_name, now);
  if (!workspace) return workspace.take_error();
  if (user_id) {
    const auto workspace_id = *parse_id(kWorkspaceIdPrefix, (*workspace)["id"].get<std::string>());
    if (auto status = services.keys->add_user_to_workspace(*user_id, workspace_id); !status) return status.take_error();
  }
  return Reply{201, *workspace, std::nullopt};
}

Result<Reply> list_workspaces(AdminServices& services, const Arguments& args, std::int64_t) {
  // Which engine owns each: of this server's workers, or of as many as `workers` says.
  unsigned workers = services.worker_count;
  if (args.object.contains("workers")) {
    const auto& value = args.object["workers"];
    const auto text = value.is_string() ? value.get<std::string>() : std::string();
    if (text.empty() || text.size() > 2 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(text) < 1 || std::stoi(text) >= static_cast<int>(IdGenerator::kOrigins)) {
      args.problems.add("workers", "must be a number of engine workers, 1 to 15");
    } else {
      workers = static_cast<unsigned>(std::stoi(text));
    }
  }
  if (!args.problems.empty()) return args.problems.to_error();
  auto workspaces = services.keys->list_workspaces();
  if (!workspaces) return workspaces.take_error();
  json list = json::array();
  for (const auto& workspace : *workspaces) {
    list.push_back({{"id", format_id(kWorkspaceIdPrefix, workspace.id)},
                    {"name", workspace.name},
                    {"createdAt", format_timestamp(workspace.created_at)},
                    {"worker", store::owning_worker(workspace.id, workers)}});
  }
  return Reply{200, {{"workspaces", list}}, std::nullopt};
}

Result<Reply> create_user(AdminServices& services, const Arguments& args, std::int64_t now) {
  auto user_name = args.text("name", true);
  auto workspace_ids = args.ids("workspaceIds", kWorkspaceIdPrefix);
  if (!args.problems.empty()) return args.problems.to_error();
  const auto user_id = services.ids.next(now);
  if (auto status = services.keys->insert_user(user_id, *user_name, now); !status) return status.take_error();
  for (auto workspace_id : workspace_ids.value_or(std::vector<std::int64_t>{})) {
    auto found = services.keys->workspace_exists(workspace_id);
    if (!found) return found.take_error();
    if (!*found) return not_found("Workspace");
    if (auto status = services.keys->add_user_to_workspace(user_id, workspace_id); !status) return status.take_error();
  }
  return Reply{201, {{"id", format_id(kUserIdPrefix, user_id)}, {"name", *user_name}}, std::nullopt};
}

Result<Reply> add_user_to_workspace(AdminServices& services, const Arguments& args, std::int64_t) {
  auto user_id = args.id("userId", kUserIdPrefix, true);
  auto workspace_id = args.id("workspaceId", kWorkspaceIdPrefix, true);
  if (!args.problems.empty()) return args.problems.to_error();
  auto user = services.keys->user_exists(*user_id);
  if (!user) return user.take_error();
  if (!*user) return not_found("User");
  auto workspace = services.keys->workspace_exists(*workspace_id);
  if (!workspace) return workspace.take_error();
  if (!*workspace) return not_found("Workspace");
  if (auto status = services.keys->add_user_to_workspace(*user_id, *workspace_id); !status) return status.take_error();
  return Reply{200, {{"userId", format_id(kUserIdPrefix, *user_id)},
                     {"workspaceId", format_id(kWorkspaceIdPrefix, *workspace_id)}}, std::nullopt};
}

Result<Reply> list_keys(AdminServices& services, const Arguments& args, std::int64_t) {
  auto workspace_id = args.id("workspaceId", kWorkspaceIdPrefix, false);
  if (!args.problems.empty()) return args.problems.to_error();
  auto keys = services.keys->list_keys(workspace_id);
  if (!keys) return keys.take_error();
  json list = json::array();
  for (const auto& key : *keys) list.push_back(key_to_json(key));
  return Reply{200, {{"keys", list}}, std::nullopt};
}

Result<Reply> revoke_key(AdminServices& services, const Arguments& args, std::int64_t now) {
  auto key_id = args.id("keyId", kKeyIdPrefix, true);
  if (!args.problems.empty()) return args.problems.to_error();
  auto revoked = services.keys->revoke_key(*key_id, now);
  if (!revoked) return revoked.take_error();
  if (!*revoked) return not_found("Active key");
  return Reply{200, {{"id", format_id(kKeyIdPrefix, *key_id)}, {"revokedAt", format_timestamp(now)}}, std::nullopt};
}

// Demo data for what a sending engine would record (Leadline does not send email itself):
// makes statistics, scheduled emails and messages exist so the cascade delete is visible.
Result<Reply> seed_campaign_activity(AdminServices& services, const Arguments& args, std::int64_t now) {
  auto workspace_id = args.id("workspaceId", kWorkspaceIdPrefix, true);
  auto campaign_id = args.id("campaignId", kCampaignIdPrefix, true);
  if (!args.problems.empty()) return args.problems.to_error();
  auto workspace = services.workspace(*workspace_id);
  if (!workspace) return workspace.take_error();
  auto campaign = (*workspace)->campaigns.find(*workspace_id, *campaign_id);
  if (!campaign) return campaign.take_error();
  if (!*campaign) return not_found("Campaign");
  // Its own transaction: the rows are the workspace's, the caller's transaction is the catalog's.
  auto transaction = store::Transaction::begin((*workspace)->db);
  if (!transaction) return transaction.take_error();
  auto added = (*workspace)->owned.record_demo_activity(*campaign_id, now);
  if (!added) return added.take_error();
  if (auto committed = transaction->commit(); !committed) return committed.take_error();
  return Reply{201, {{"campaignId", format_id(kCampaignIdPrefix, *campaign_id)},
                     {"scheduledEmails", added->scheduled_emails},
                     {"statistics", added->statistics},
                     {"messages", added->messages}}};
}

// What deletes keep for their undo in one workspace, and what the background purge has yet to erase.
Result<Reply> purge_status(AdminServices& services, const Arguments& args, std::int64_t now) {
  auto workspace_id = args.id("workspaceId", kWorkspaceIdPrefix, true);
  if (!args.problems.empty()) return args.problems.to_error();
  auto workspace = services.workspace(*workspace_id);
  if (!workspace) return workspace.take_error();
  auto backlog = store::purge_backlog((*workspace)->db, now);
  if (!backlog) return backlog.take_error();
  auto due = store::next_purge_due((*workspace)->db);
  if (!due) return due.take_error();
  return Reply{200, {{"workspaceId", format_id(kWorkspaceIdPrefix, *workspace_id)},
                     {"receipts", backlog->receipts},
                     {"expiredReceipts", backlog->expired_receipts},
                     {"markedLeads", backlog->marked_leads},
                     {"expiredMarkedLeads", backlog->expired_marked_leads},
                     {"copiedRows", backlog->copied_rows},
                     {"nextPurgeAt", *due ? json(format_timestamp(**due)) : json(nullptr)}}, std::nullopt};
}

// The workspace's database, copied while open, then its catalog rows beside it.
Result<Reply> export_workspace(AdminServices& services, const Arguments& args, std::int64_t) {
  auto workspace_id = args.id("workspaceId", kWorkspaceIdPrefix, true);
  auto to = args.text("to", true);
  if (!args.problems.empty()) return args.problems.to_error();
  if (services.catalog == nullptr || services.folder == nullptr)
    return Error{ErrorCode::Internal, "export-workspace needs the catalog and the workspace in one engine"};
  auto workspace = services.workspace(*workspace_id);
  if (!workspace) return workspace.take_error();
  auto copy = store::OnlineBackup::start((*workspace)->db, *to);
  if (!copy) return Error::invalid_field("to", copy.error().message);
  for (;;) {
    auto finished = copy->step(-1);
    if (!finished) return finished.take_error();
    if (*finished) break;
  }
  if (auto status = store::write_export_catalog(*services.catalog, *workspace_id, *to); !status) return status.take_error();
  services.written.push_back(*to);
  return Reply{200, {{"workspaceId", format_id(kWorkspaceIdPrefix, *workspace_id)}, {"to", *to}}, std::nullopt};
}

Result<Reply> import_workspace(AdminServices& services, const Arguments& args, std::int64_t) {
  auto from = args.text("from", true);
  if (!args.problems.empty()) return args.problems.to_error();
  if (services.catalog == nullptr || services.folder == nullptr)
    return Error{ErrorCode::Internal, "import-workspace needs the catalog and the data folder in one engine"};
  auto workspace_id = store::exported_workspace(*from);
  if (!workspace_id) return workspace_id.take_error();
  if (auto status = store::import_workspace(*services.catalog, *services.folder, *from); !status) return status.take_error();
  services.written.push_back(services.folder->workspace_path(*workspace_id));
  services.written.push_back(services.folder->catalog_path());
  return Reply{201, {{"workspaceId", format_id(kWorkspaceIdPrefix, *workspace_id)}, {"from", *from}}, std::nullopt};
}

// Jobs by status over every workspace this engine owns, each status present (zero when none):
// what a server's metrics report per engine.
Result<Reply> job_counts(AdminServices& services) {
  json counts = json::object();
  for (const auto& term : domain::kJobStatuses) counts[std::string(term.name)] = 0;
  std::optional<Error> failed;
  auto visited = services.each_database([&](const std::string& name, store::Database& db) {
    if (name == "catalog" || failed) return;
    auto found = store::JobStore(db).count_by_status();
    if (!found) {
      failed = found.take_error();
      return;
    }
    for (const auto& [status, count] : *found) counts[status] = counts.value(status, std::int64_t{0}) + count;
  });
  if (!visited) return visited.take_error();
  if (failed) return *failed;
  return Reply{200, {{"jobs", std::move(counts)}}, std::nullopt};
}

// Every command: its name, the arguments it takes (any other is refused before it runs),
// whether it may change stored data (so it runs in a transaction), and what it does. The one
// table the dispatch, the transaction rule and the unknown-command message all read.
struct Command {
  std::string_view name;
  std::initializer_list<std::string_view> arguments;
  bool writes;
  bool needs_catalog;  ///< runs where the catalog is (a workspace engine runs only the others)
  Result<Reply> (*run)(AdminServices&, const Arguments&, std::int64_t now);
  /// Copies database files rather than rows, so a cluster's change log cannot carry it.
  bool moves_files = false;
};
const Command kCommands[] = {
    {"bootstrap", {}, true, true, [](AdminServices& services, const Arguments&, std::int64_t now) { return bootstrap(services, now); }},
    {"create-workspace", {"name", "userId"}, true, true, create_workspace},
    {"list-workspaces", {"workers"}, false, true, list_workspaces},
    {"create-user", {"name", "workspaceIds"}, true, true, create_user},
    {"add-user-to-workspace", {"userId", "workspaceId"}, true, true, add_user_to_workspace},
    {"create-key", {"workspaceId", "userId", "scopes", "campaignIds", "label"}, true, true, create_key},
    {"list-keys", {"workspaceId"}, false, true, list_keys},
    {"revoke-key", {"keyId"}, true, true, revoke_key},
    {"seed-campaign-activity", {"workspaceId", "campaignId"}, true, false, seed_campaign_activity},
    {"purge-status", {"workspaceId"}, false, false, purge_status},
    // Not in a catalog transaction: both attach another database file, which SQLite allows only
    // between transactions; each keeps its own writes whole.
    {"export-workspace", {"workspaceId", "to"}, false, true, export_workspace, true},
    {"import-workspace", {"from"}, false, true, import_workspace, true},
    {"list-routes", {}, false, false, [](AdminServices&, const Arguments&, std::int64_t) { return Result<Reply>{Reply{200, {{"routes", route_list()}}, std::nullopt}}; }},
    {"job-counts", {}, false, false, [](AdminServices& services, const Arguments&, std::int64_t) { return job_counts(services); }},
    {"check-integrity", {}, false, false, [](AdminServices& services, const Arguments&, std::int64_t) { return check_integrity(services); }},
};

const Command* find_command(const json& command) {
  if (!command.is_object() || !command.contains("command") || !command["command"].is_string()) return nullptr;
  const auto& name = command["command"].get_ref<const std::string&>();
  for (const auto& row : kCommands) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

}  // namespace

bool admin_command_writes(const json& command) {
  const auto* found = find_command(command);
  return found == nullptr || found->writes;
}

bool admin_command_moves_files(const json& command) {
  const auto* found = find_command(command);
  return found != nullptr && found->moves_files;
}

Result<Reply> run_admin_command(AdminServices& services, const json& command, std::int64_t now) {
  if (!command.is_object() || !command.contains("command") || !command["command"].is_string()) {
    return Error::invalid_field("command", "is required");
  }
  const auto* found = find_command(command);
  if (!found) {
    std::string known;
    for (const auto& row : kCommands) known += (known.empty() ? "" : ", ") + std::string(row.name);
    return Error::invalid_field("command", "unknown command; one of: " + known);
  }
  if (found->needs_catalog && services.keys == nullptr) {
    return Error{ErrorCode::Internal, "command " + std::string(found->name) + " runs on the catalog's engine"};
  }
  Problems problems;
  const Arguments args{command, problems};
  args.only(found->arguments);
  if (!problems.empty()) return problems.to_error();
  return found->run(services, args, now);
}

}  // namespace leadline::api
