// Keys: where they are read from, scopes, platform keys, revocation, workspace isolation.
#include "engine_harness.hpp"

#include <sqlite3.h>

#include <cstdio>

using leadline::testing::json;
using leadline::testing::TestEngine;

namespace {

std::string create_key(TestEngine& engine, json args) {
  args["command"] = "create-key";
  auto reply = engine.admin(args);
  REQUIRE(reply.status == 201);
  return reply.body["data"]["key"];
}

}  // namespace

TEST_CASE("a key is accepted from X-Api-Key, Bearer or ?api_key=, and two different keys are 401") {
  TestEngine engine;
  const auto key = engine.workspace_key;
  CHECK(key.rfind("sk_", 0) == 0);
  CHECK(key.rfind("sk_user_", 0) != 0);
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {{"x-api-key", key}}).status == 200);
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {{"Authorization", "Bearer " + key}}).status == 200);
  CHECK(engine.send("GET", "/api/v1/leads?api_key=" + key, nullptr, {{"x-api-key", ""}}).status == 200);
  // SendKit's samples send the same key in both headers: fine.
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {{"X-Api-Key", key}, {"Authorization", "Bearer " + key}}).status ==
        200);
  auto mixed = engine.send("GET", "/api/v1/leads?api_key=sk_other", nullptr, {{"x-api-key", key}});
  CHECK(mixed.status == 401);
  for (const std::string bad : {"", "sk_unknown", "not-a-key"}) {
    auto reply = engine.send("GET", "/api/v1/leads", nullptr, {{"x-api-key", bad}});
    CHECK(reply.status == 401);
    CHECK(reply.body["error"]["code"] == "UNAUTHORIZED");
    CHECK(reply.body["error"]["message"] == "Invalid or inactive API key");
  }
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {{"authorization", "Basic abc"}}).status == 401);
}

TEST_CASE("?api_key= can be switched off: the key is then refused there, headers still work") {
  leadline::EngineOptions options;
  options.allow_query_key = false;
  TestEngine engine(":memory:", options);
  const auto key = engine.workspace_key;
  auto refused = engine.send("GET", "/api/v1/leads?api_key=" + key, nullptr, {{"x-api-key", ""}});
  CHECK(refused.status == 401);
  CHECK(refused.body["error"]["message"] == "Invalid or inactive API key");
  CHECK(refused.body["error"]["details"]["message"].get<std::string>().find("switched off") != std::string::npos);
  CHECK(refused.text.find(key) == std::string::npos);
  // Even beside a valid header key: the server said not to read URLs for keys.
  CHECK(engine.send("GET", "/api/v1/leads?api_key=" + key, nullptr, {{"x-api-key", key}}).status == 401);
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {{"x-api-key", key}}).status == 200);
}

TEST_CASE("scopes: a read-only key cannot write") {
  TestEngine engine;
  const auto reader = create_key(engine, {{"workspaceId", engine.workspace_id}, {"scopes", {"read"}}});
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {}, reader).status == 200);
  auto refused = engine.send("POST", "/api/v1/leads", {{"email", "a@example.com"}}, {}, reader);
  CHECK(refused.status == 403);
  CHECK(refused.body["error"]["code"] == "FORBIDDEN");
  const auto writer = create_key(engine, {{"workspaceId", engine.workspace_id}, {"scopes", {"write"}}});
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {}, writer).status == 403);
  CHECK(engine.lead_count() == 0);
}

TEST_CASE("revoked keys are refused on the next request") {
  TestEngine engine;
  auto created = engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}});
  const auto key = created.body["data"]["key"].get<std::string>();
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {}, key).status == 200);
  auto revoked = engine.admin({{"command", "revoke-key"}, {"keyId", created.body["data"]["id"]}});
  CHECK(revoked.status == 200);
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {}, key).status == 401);
  CHECK(engine.admin({{"command", "revoke-key"}, {"keyId", created.body["data"]["id"]}}).status == 404);
}

TEST_CASE("keys are stored only as hashes, listings show the display form") {
  TestEngine engine;
  auto listed = engine.admin({{"command", "list-keys"}});
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body["data"]["keys"].size() == 2);
  for (const auto& key : listed.body["data"]["keys"]) {
    CHECK_FALSE(key.contains("key"));
    const auto display = key["display"].get<std::string>();
    CHECK(display.find("…") != std::string::npos);
    CHECK(listed.body.dump().find(engine.workspace_key) == std::string::npos);
  }
}

TEST_CASE("platform keys pick a workspace with X-Workspace-Id, workspaces are isolated") {
  TestEngine engine;
  auto second = engine.admin({{"command", "create-workspace"}, {"name", "Second"}});
  REQUIRE(second.status == 201);
  const auto second_id = second.body["data"]["id"].get<std::string>();
  const auto second_key = create_key(engine, {{"workspaceId", second_id}});

  auto lead = engine.send("POST", "/api/v1/leads", {{"email", "mine@example.com"}});
  const auto lead_id = lead.body["data"]["id"].get<std::string>();
  // Another workspace's lead is indistinguishable from a missing one.
  CHECK(engine.send("GET", "/api/v1/leads/" + lead_id, nullptr, {}, second_key).status == 404);
  CHECK(engine.send("PATCH", "/api/v1/leads/" + lead_id, {{"firstName", "X"}}, {}, second_key).status == 404);
  CHECK(engine.lead_count(second_key) == 0);
  // The same email may exist once per workspace.
  CHECK(engine.send("POST", "/api/v1/leads", {{"email", "mine@example.com"}}, {}, second_key).status == 201);

  const auto platform = engine.platform_key;
  CHECK(platform.rfind("sk_user_", 0) == 0);
  auto missing = engine.send("GET", "/api/v1/leads", nullptr, {}, platform);
  CHECK(missing.status == 400);
  CHECK(missing.body["error"]["field"] == "X-Workspace-Id");
  auto own = engine.send("GET", "/api/v1/leads/" + lead_id, nullptr, {{"x-api-key", platform}, {"x-workspace-id", engine.workspace_id}});
  CHECK(own.status == 200);
  auto not_member = engine.send("GET", "/api/v1/leads", nullptr, {{"x-api-key", platform}, {"x-workspace-id", second_id}});
  CHECK(not_member.status == 403);

  auto user = engine.admin({{"command", "list-keys"}, {"workspaceId", engine.workspace_id}});
  std::string user_id;
  for (const auto& key : user.body["data"]["keys"]) {
    if (key["kind"] == "platform") user_id = key["userId"];
  }
  REQUIRE_FALSE(user_id.empty());
  CHECK(engine.admin({{"command", "add-user-to-workspace"}, {"userId", user_id}, {"workspaceId", second_id}}).status ==
        200);
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {{"x-api-key", platform}, {"x-workspace-id", second_id}}).status ==
        200);
  // A workspace key naming another workspace is refused, not silently redirected.
  CHECK(engine.send("GET", "/api/v1/leads", nullptr, {{"x-api-key", engine.workspace_key}, {"x-workspace-id", second_id}})
            .status == 403);
}

TEST_CASE("admin commands are strict and bootstrap happens once") {
  TestEngine engine;
  CHECK(engine.admin({{"command", "bootstrap"}}).body["data"]["created"] == false);
  CHECK(engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}, {"scope", "read"}}).status == 400);
  CHECK(engine.admin({{"command", "create-key"}, {"workspaceId", "ws_0000000000000001"}}).status == 404);
  CHECK(engine.admin({{"command", "create-key"}, {"workspaceId", engine.workspace_id}, {"scopes", {"admin"}}}).status ==
        400);
  CHECK(engine.admin({{"command", "explode"}}).status == 400);
  auto restricted = engine.admin({{"command", "create-key"},
                                  {"workspaceId", engine.workspace_id},
                                  {"campaignIds", {"cmp_0000000000000001"}}});
  CHECK(restricted.body["data"]["campaignIds"] == json({"cmp_0000000000000001"}));
}

TEST_CASE("migrations: a new folder is at the latest versions, reopening keeps data, wrong or newer files are refused") {
  const std::string folder = leadline::testing::fresh_folder("leadline-migration-test");
  std::string key, workspace_file;
  {
    TestEngine engine(folder);
    key = engine.workspace_key;
    workspace_file = engine.workspace_file();
    REQUIRE(engine.send("POST", "/api/v1/leads", {{"email", "kept@example.com"}}).status == 201);
  }
  {
    TestEngine reopened(folder);
    CHECK(reopened.workspace_key.empty());  // no second bootstrap
    CHECK(reopened.lead_count(key) == 1);
    leadline::Request pragma{"GET", "/api/v1/health", "", {}, ""};
    CHECK(json::parse(reopened.engine->handle(pragma).body)["data"]["schemaVersion"] == 5);
  }
  const auto pragma = [](const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  };
  // A workspace database written by a future build.
  pragma(workspace_file, "PRAGMA user_version = 99");
  auto refused = leadline::Engine::open(folder);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("newer than this build") != std::string::npos);
  // The catalog put where a workspace database belongs.
  std::filesystem::copy_file(folder + "/catalog.db", workspace_file, std::filesystem::copy_options::overwrite_existing);
  auto wrong_kind = leadline::Engine::open(folder);
  REQUIRE_FALSE(wrong_kind.ok());
  CHECK(wrong_kind.error().message == "this file is not a Leadline workspace database");
  std::filesystem::remove_all(folder);
}
