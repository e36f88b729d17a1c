// The data folder: a catalog and a database per workspace, the upgrade from the single-file
// layout, the bounded pool of open databases, and engines that split the workspaces.
#include "engine_harness.hpp"
#include "single_file_fixture.hpp"
#include "store/content_digest.hpp"
#include "store/data_folder.hpp"
#include "store/single_file_upgrade.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

using leadline::testing::fresh_folder;
using leadline::testing::json;
using leadline::testing::TestEngine;
namespace fs = std::filesystem;

namespace {

leadline::Request get(const std::string& path, const std::string& key) {
  leadline::Request request;
  request.method = "GET";
  const auto question = path.find('?');
  request.path = path.substr(0, question);
  if (question != std::string::npos) request.query = path.substr(question + 1);
  request.headers["x-api-key"] = key;
  return request;
}

// The workspace engine `index` of `count` on `folder`.
std::unique_ptr<leadline::Engine> open_worker(const std::string& folder, unsigned index, unsigned count) {
  leadline::EngineOptions options;
  options.role = leadline::EngineRole::Workspaces;
  options.worker_count = count;
  options.worker_index = index;
  // The TestEngine's time: receipts those engines wrote are not yet expired here.
  options.clock = [] { return leadline::testing::kTestStartMs; };
  auto worker = leadline::Engine::open(folder, options);
  REQUIRE(worker.ok());
  return std::move(*worker);
}

json data_of(const leadline::Response& response) {
  INFO(response.body);
  REQUIRE(response.status < 300);
  return json::parse(response.body)["data"];
}

}  // namespace

TEST_CASE("the single-file layout converts into a catalog and one database per workspace, and nothing is lost") {
  const auto folder = fresh_folder("upgrade-test");
  fs::create_directories(folder);
  const auto single = folder + "/leadline.db";
  const auto made = leadline::testing::write_single_file_database(single, 3, 40);

  // Interrupted after one workspace, with a torn copy of the next left behind (a SIGKILL mid-write).
  auto first = leadline::store::upgrade_single_file(single, leadline::store::DataFolder(folder), 1);
  REQUIRE(first.ok());
  CHECK(first->found);
  CHECK_FALSE(first->done);
  CHECK(first->converted == 1);
  CHECK(first->workspaces == 3);
  CHECK_FALSE(fs::exists(folder + "/catalog.db"));  // the catalog comes last
  const leadline::store::DataFolder data(folder);
  std::ofstream(data.workspace_path(made[1].id) + ".partial") << "torn";

  auto rest = leadline::store::upgrade_single_file(single, data, 100);
  REQUIRE(rest.ok());
  CHECK(rest->done);
  CHECK(rest->converted == 2);
  CHECK(rest->retired_to == single + ".converted");
  CHECK_FALSE(fs::exists(single));
  CHECK(fs::exists(single + ".converted"));
  CHECK_FALSE(fs::exists(data.workspace_path(made[1].id) + ".partial"));

  // Each workspace's rows, table by table, equal the original's.
  {
    auto original = leadline::store::Database::open(single + ".converted", {true, false});
    REQUIRE(original.ok());
    for (const auto& workspace : made) {
      auto copy = leadline::store::Database::open(data.workspace_path(workspace.id), {true, false});
      REQUIRE(copy.ok());
      for (const auto& table : leadline::store::workspace_tables()) {
        if (!table.in_single_file) continue;
        INFO(table.name);
        auto columns = leadline::store::table_columns(**original, "main", table.name);
        REQUIRE(columns.ok());
        auto before = leadline::store::digest_table(**original, table.name, *columns, table.rows_of_workspace, workspace.id);
        auto after = leadline::store::digest_table(**copy, table.name, *columns);
        REQUIRE(before.ok());
        REQUIRE(after.ok());
        CHECK(before->rows > 0);
        CHECK(*before == *after);
      }
    }
  }

  // The converted folder serves: the old keys work, each sees its own leads only.
  TestEngine engine(folder);
  CHECK(engine.workspace_key.empty());  // the catalog has workspaces: no bootstrap
  for (const auto& workspace : made) {
    CHECK(engine.lead_count(workspace.key) == 40);
    auto receipts = data_of(engine.engine->handle(get("/api/v1/receipts", workspace.key)));
    CHECK(receipts["receipts"].size() == 1);
    auto members = data_of(engine.engine->handle(
        get("/api/v1/campaigns/" + leadline::format_id(leadline::kCampaignIdPrefix, workspace.id + 10) + "/leads", workspace.key)));
    CHECK(members["leads"].size() == 20);
  }
  auto checked = engine.admin({{"command", "check-integrity"}});
  CHECK(checked.body["data"]["ok"] == true);
  CHECK(checked.body["data"]["databases"] == 4);

  // Once done, another start finds nothing to convert.
  auto again = leadline::store::upgrade_single_file(single, data, 100);
  REQUIRE(again.ok());
  CHECK_FALSE(again->found);
  fs::remove_all(folder);
}

TEST_CASE("a catalog already in place means the conversion finished: the single file is only retired") {
  const auto folder = fresh_folder("upgrade-finished-test");
  fs::create_directories(folder);
  const auto single = folder + "/leadline.db";
  leadline::testing::write_single_file_database(single, 1, 5);
  const leadline::store::DataFolder data(folder);
  REQUIRE(leadline::store::upgrade_single_file(single, data, 100).ok());
  // Killed after the catalog's rename but before the single file moved aside.
  fs::rename(single + ".converted", single);
  auto finished = leadline::store::upgrade_single_file(single, data, 100);
  REQUIRE(finished.ok());
  CHECK(finished->done);
  CHECK(finished->converted == 0);
  CHECK(fs::exists(single + ".converted"));
  fs::remove_all(folder);
}

TEST_CASE("an engine keeps a bounded number of workspace databases open, and streams keep theirs") {
  const auto folder = fresh_folder("pool-test");
  leadline::EngineOptions options;
  options.max_open_workspaces = 2;
  TestEngine engine(folder, options);
  std::vector<std::string> keys{engine.workspace_key};
  for (int i = 0; i < 4; ++i) {
    auto workspace = engine.admin({{"command", "create-workspace"}, {"name", "W" + std::to_string(i)}});
    REQUIRE(workspace.status == 201);
    CHECK(fs::exists(leadline::testing::workspace_database(folder, workspace.body["data"]["id"])));
    auto key = engine.admin({{"command", "create-key"}, {"workspaceId", workspace.body["data"]["id"]}});
    keys.push_back(key.body["data"]["key"]);
  }
  for (std::size_t round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      json leads = json::array();
      for (std::size_t n = 0; n <= i; ++n)
        leads.push_back({{"email", "r" + std::to_string(round) + "-" + std::to_string(n) + "@example.com"}});
      REQUIRE(engine.send("POST", "/api/v1/leads", {{"leads", leads}}, {}, keys[i]).status == 201);
    }
  }
  for (std::size_t i = 0; i < keys.size(); ++i) CHECK(engine.lead_count(keys[i]) == 2 * (i + 1));

  // An export begun on one workspace survives requests that cycle every other one through the pool.
  auto exporting = engine.engine->handle(get("/api/v1/leads/export?format=csv", keys[4]));
  REQUIRE(exporting.stream != 0);
  for (std::size_t i = 0; i < keys.size(); ++i) CHECK(engine.lead_count(keys[i]) == 2 * (i + 1));
  std::string csv = exporting.body;
  for (;;) {
    auto chunk = engine.engine->read_stream(exporting.stream);
    REQUIRE(chunk.failure.empty());
    csv += chunk.data;
    if (chunk.done) break;
  }
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 11);  // header + 10 leads
  fs::remove_all(folder);
}

TEST_CASE("a catalog engine admits and forwards, and each workspace engine runs only its own workspaces") {
  const auto folder = fresh_folder("roles-test");
  std::vector<std::pair<std::string, std::string>> workspaces;  // id, key
  {
    TestEngine setup(folder);
    workspaces.emplace_back(setup.workspace_id, setup.workspace_key);
    for (int i = 0; i < 5; ++i) {
      auto made = setup.admin({{"command", "create-workspace"}, {"name", "W" + std::to_string(i)}});
      auto key = setup.admin({{"command", "create-key"}, {"workspaceId", made.body["data"]["id"]}});
      workspaces.emplace_back(made.body["data"]["id"], key.body["data"]["key"]);
    }
  }
  leadline::EngineOptions catalog_options;
  catalog_options.role = leadline::EngineRole::Catalog;
  catalog_options.worker_count = 2;
  auto catalog = leadline::Engine::open(folder, catalog_options);
  REQUIRE(catalog.ok());
  std::vector<std::unique_ptr<leadline::Engine>> workers;
  for (unsigned index = 0; index < 2; ++index) {
    workers.push_back(open_worker(folder, index, 2));
  }
  std::set<unsigned> used;
  for (const auto& [id, key] : workspaces) {
    auto admitted = (*catalog)->handle(get("/api/v1/leads", key));
    REQUIRE(admitted.forward.has_value());
    CHECK(admitted.credential == leadline::CredentialCheck::Verified);
    const auto owner = admitted.forward->worker;
    CHECK(owner == leadline::store::owning_worker(*leadline::parse_id(leadline::kWorkspaceIdPrefix, id), 2));
    used.insert(owner);
    auto request = get("/api/v1/leads", key);
    request.principal = admitted.forward->principal;
    CHECK(workers[owner]->handle(request).status == 200);
    // The other worker does not hold this workspace: it forwards rather than open another's file.
    CHECK(workers[1 - owner]->handle(request).forward.has_value());
  }
  CHECK(used.size() == 2);  // six workspaces spread over both

  // Refusals and public routes are the catalog's answer; workspace engines never see them.
  auto refused = (*catalog)->handle(get("/api/v1/leads", "sk_notarealkey0000000000000000000000"));
  CHECK(refused.status == 401);
  CHECK(refused.credential == leadline::CredentialCheck::Refused);
  CHECK((*catalog)->handle(get("/api/v1/health", "")).status == 200);

  // A key revoked in the catalog is refused on the very next request.
  auto listed = json::parse((*catalog)->admin(json{{"command", "list-keys"}, {"workspaceId", workspaces[1].first}}.dump()).body);
  const auto key_id = listed["data"]["keys"][0]["id"].get<std::string>();
  REQUIRE((*catalog)->admin(json{{"command", "revoke-key"}, {"keyId", key_id}}.dump()).status == 200);
  CHECK((*catalog)->handle(get("/api/v1/leads", workspaces[1].second)).status == 401);

  // A workspace command is forwarded to its owner, which runs it.
  auto seed = (*catalog)->admin(json{{"command", "seed-campaign-activity"}, {"workspaceId", workspaces[0].first},
                                     {"campaignId", "cmp_0000000000000001"}}.dump());
  REQUIRE(seed.forward.has_value());
  const auto owner = seed.forward->worker;
  auto ran = workers[owner]->admin(json{{"command", "seed-campaign-activity"}, {"workspaceId", workspaces[0].first},
                                        {"campaignId", "cmp_0000000000000001"}}.dump());
  CHECK(ran.status == 404);  // the owner ran it: no such campaign there
  fs::remove_all(folder);
}

TEST_CASE("export-workspace and import-workspace move a workspace with its ids and keys, and a clash is refused") {
  const auto from_folder = fresh_folder("transfer-from");
  const auto to_folder = fresh_folder("transfer-to");
  const auto file = std::string("transfer-export.db");
  fs::remove(file);
  std::string key, workspace_id, lead_id;
  {
    TestEngine source(from_folder);
    auto made = source.admin({{"command", "create-workspace"}, {"name", "Moving"}});
    workspace_id = made.body["data"]["id"];
    key = source.admin({{"command", "create-key"}, {"workspaceId", workspace_id}}).body["data"]["key"];
    auto lead = source.send("POST", "/api/v1/leads", {{"email", "mover@example.com"}}, {}, key);
    lead_id = lead.body["data"]["id"];
    auto exported = source.admin({{"command", "export-workspace"}, {"workspaceId", workspace_id}, {"to", file}});
    INFO(exported.text);
    REQUIRE(exported.status == 200);
    CHECK(source.admin({{"command", "export-workspace"}, {"workspaceId", workspace_id}, {"to", file}}).status == 400);
  }
  TestEngine target(to_folder);
  auto imported = target.admin({{"command", "import-workspace"}, {"from", file}});
  INFO(imported.text);
  REQUIRE(imported.status == 201);
  CHECK(imported.body["data"]["workspaceId"] == workspace_id);
  auto lead = target.send("GET", "/api/v1/leads/" + lead_id, nullptr, {}, key);
  CHECK(lead.status == 200);
  CHECK(lead.body["data"]["email"] == "mover@example.com");
  CHECK(target.lead_count() == 0);  // the target's own workspace is untouched
  auto again = target.admin({{"command", "import-workspace"}, {"from", file}});
  CHECK(again.status == 409);
  CHECK(again.body["error"]["message"] == "workspace " + workspace_id + " already exists on this server; nothing was imported");
  CHECK(target.admin({{"command", "import-workspace"}, {"from", "no-such-export.db"}}).status == 400);
  CHECK(target.admin({{"command", "check-integrity"}}).body["data"]["ok"] == true);
  fs::remove_all(from_folder);
  fs::remove_all(to_folder);
  fs::remove(file);
}

TEST_CASE("a job left unfinished resumes when its workspace's engine opens again, and only there") {
  const auto folder = fresh_folder("resume-test");
  std::string key, workspace_id, job_id;
  {
    TestEngine engine(folder);
    key = engine.workspace_key;
    workspace_id = engine.workspace_id;
    for (int start = 0; start < 10001; start += 5000) {
      json leads = json::array();
      for (int i = start; i < std::min(start + 5000, 10001); ++i) leads.push_back({{"externalId", "m" + std::to_string(i)}, {"tags", {"gone"}}});
      REQUIRE(engine.send("POST", "/api/v1/leads", {{"leads", leads}}).status == 201);
    }
    REQUIRE(engine.send("POST", "/api/v1/leads", {{"externalId", "stays"}}).status == 201);
    auto queued = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"gone"}}}}});
    REQUIRE(queued.status == 202);
    job_id = queued.body["data"]["job"]["id"];
    REQUIRE(engine.engine->work().more);  // one slice, then the process "stops"
  }
  const auto owner = leadline::store::owning_worker(*leadline::parse_id(leadline::kWorkspaceIdPrefix, workspace_id), 2);
  for (unsigned index = 0; index < 2; ++index) {
    auto worker = open_worker(folder, index, 2);
    int slices = 0;
    while (worker->work().more) REQUIRE(++slices < 100);
    if (index == owner) CHECK(slices == 2);  // the rest of 10,001 leads, 5,000 a slice
    else CHECK(slices == 0);                 // not its workspace: it never touches the job
  }
  TestEngine reopened(folder);
  reopened.workspace_key = key;
  auto job = reopened.send("GET", "/api/v1/jobs/" + job_id);
  CHECK(job.body["data"]["status"] == "succeeded");
  CHECK(job.body["data"]["result"]["deleted"] == 10001);
  CHECK(reopened.lead_count() == 1);
  fs::remove_all(folder);
}
