// A cluster node's engine (EngineOptions::replicate): writes and job slices stay open until the
// host settles them with their place in the change log; followers apply the log's entries and
// reach the owner's content; anything a copy cannot follow is divergence, never repaired.
#include "api/json_boundary.hpp"
#include "engine_harness.hpp"
#include "fixture_requests.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using leadline::testing::json;
namespace fs = std::filesystem;

namespace {

struct Node {
  std::unique_ptr<leadline::Engine> engine;
  std::int64_t now = leadline::testing::kTestStartMs;

  explicit Node(const std::string& folder) {
    fs::remove_all(folder);
    leadline::EngineOptions options;
    options.replicate = true;
    options.clock = [this] { return now; };
    auto opened = leadline::Engine::open(folder, std::move(options));
    REQUIRE(opened.ok());
    engine = std::move(*opened);
  }

  json replicate(const json& command) {
    auto reply = engine->replicate(command.dump());
    auto body = json::parse(reply.body);
    body["status"] = reply.status;
    return body;
  }

  leadline::Response send(const std::string& method, const std::string& target, const std::string& key,
                          const json& body = nullptr) {
    auto request = leadline::testing::request_for(method, target, body.is_null() ? "" : body.dump());
    request.headers["x-api-key"] = key;
    return engine->handle(request);
  }
};

// One entry of the log as the host keeps it.
struct Entry {
  std::string database;
  std::string changeset;  // base64
  std::int64_t previous;
  std::int64_t sequence;
  std::int64_t epoch;
};

// The engine's own encoding of a changeset in a JSON head, as the host relays it.
std::string base64_of(const std::string& bytes) { return leadline::api::base64(bytes); }

// The owner's side of the log: appends each held change and settles it.
struct Log {
  std::vector<Entry> entries;
  std::map<std::string, std::int64_t> last;  // database → sequence of its last entry
  std::int64_t epoch = 1;

  void append_and_settle(Node& owner, const std::string& database, const std::string& changeset) {
    const auto sequence = static_cast<std::int64_t>(entries.size()) + 1;
    entries.push_back({database, base64_of(changeset), last[database], sequence, epoch});
    last[database] = sequence;
    auto settled = owner.replicate({{"op", "settle"}, {"commit", true}, {"sequence", sequence}, {"epoch", epoch}});
    REQUIRE(settled["status"] == 200);
    REQUIRE(settled["data"]["committed"] == true);
  }

  void replay(Node& follower, std::size_t from = 0) {
    for (std::size_t i = from; i < entries.size(); ++i) {
      const auto& entry = entries[i];
      auto applied = follower.replicate({{"op", "apply"}, {"database", entry.database}, {"sequence", entry.sequence},
                                         {"previous", entry.previous}, {"epoch", entry.epoch}, {"changeset", entry.changeset}});
      REQUIRE(applied["status"] == 200);
    }
  }
};

std::string fingerprint(Node& node, const std::string& database) {
  auto reply = node.replicate({{"op", "fingerprint"}, {"database", database}});
  REQUIRE(reply["status"] == 200);
  return reply["data"]["fingerprint"];
}

struct Cluster {
  Node owner{"replication-owner"};
  Node follower{"replication-follower"};
  Log log;
  std::string workspace;
  std::string key;

  Cluster() {
    auto boot = owner.engine->admin(R"({"command":"bootstrap"})");
    REQUIRE(boot.status == 201);
    REQUIRE(boot.held);
    const auto data = json::parse(boot.body)["data"];
    workspace = data["workspace"]["id"];
    key = data["workspaceKey"];
    log.append_and_settle(owner, "catalog", boot.changeset);
    REQUIRE(owner.replicate({{"op", "own"}, {"database", workspace}, {"epoch", 1}})["status"] == 200);
    log.replay(follower);
  }

  // A write through the owner, appended and settled; its reply.
  json write(const std::string& method, const std::string& target, const json& body = nullptr) {
    auto response = owner.send(method, target, key, body);
    if (response.held) log.append_and_settle(owner, workspace, response.changeset);
    return json::parse(response.body);
  }

  void drain_jobs() {
    for (int slices = 0; slices < 1000; ++slices) {
      auto slice = owner.engine->work();
      if (!slice.more) return;
      if (slice.held) log.append_and_settle(owner, workspace, slice.changeset);
    }
    FAIL("jobs did not finish");
  }
};

}  // namespace

TEST_CASE("a replicating owner holds each write until the host settles it") {
  Cluster cluster;
  auto& owner = cluster.owner;
  auto created = owner.send("POST", "/api/v1/leads", cluster.key, {{"email", "held@example.com"}});
  REQUIRE(created.status == 201);
  CHECK(created.held);
  CHECK_FALSE(created.committed);
  CHECK_FALSE(created.changeset.empty());
  // Nothing else runs while a write is held: not a read, not background work, not another op.
  CHECK(owner.send("GET", "/api/v1/leads", cluster.key).status == 500);
  CHECK(owner.replicate({{"op", "position"}, {"database", cluster.workspace}})["status"] == 500);

  SECTION("rolled back, the write is gone and the position unchanged") {
    auto settled = owner.replicate({{"op", "settle"}, {"commit", false}, {"sequence", 0}, {"epoch", 0}});
    CHECK(settled["data"]["committed"] == false);
    auto listed = json::parse(owner.send("GET", "/api/v1/leads", cluster.key).body);
    CHECK(listed["data"]["leads"].empty());
    CHECK(owner.replicate({{"op", "position"}, {"database", cluster.workspace}})["data"]["sequence"] == 0);
  }
  SECTION("committed, it carries its log position and the follower reaches the same content") {
    cluster.log.append_and_settle(owner, cluster.workspace, created.changeset);
    auto position = owner.replicate({{"op", "position"}, {"database", cluster.workspace}});
    CHECK(position["data"]["sequence"] == 2);
    CHECK(position["data"]["epoch"] == 1);
    cluster.log.replay(cluster.follower, 1);
    CHECK(fingerprint(cluster.follower, cluster.workspace) == fingerprint(owner, cluster.workspace));
    CHECK(fingerprint(cluster.follower, "catalog") == fingerprint(owner, "catalog"));
  }
}

TEST_CASE("a follower answers nothing for a workspace it does not own, and runs none of its jobs") {
  Cluster cluster;
  auto refused = cluster.follower.send("GET", "/api/v1/leads", cluster.key);
  CHECK(refused.status == 503);
  CHECK(json::parse(refused.body)["error"]["code"] == "UNAVAILABLE");
  // The follower's catalog came from the log, so the key is known there: owning makes it answer.
  REQUIRE(cluster.follower.replicate({{"op", "own"}, {"database", cluster.workspace}, {"epoch", 2}})["status"] == 200);
  CHECK(cluster.follower.send("GET", "/api/v1/leads", cluster.key).status == 200);
}

TEST_CASE("writes, job slices and cascades replayed in order give the owner's content") {
  Cluster cluster;
  json leads = json::array();
  for (int i = 0; i < 40; ++i) leads.push_back({{"email", "r" + std::to_string(i) + "@example.com"}});
  REQUIRE(cluster.write("POST", "/api/v1/leads", {{"leads", leads}})["success"] == true);
  auto campaign = cluster.write("POST", "/api/v1/campaigns", {{"name", "Replicated"}});
  REQUIRE(campaign["success"] == true);
  const std::string campaign_id = campaign["data"]["id"];
  REQUIRE(cluster.write("POST", "/api/v1/campaigns/" + campaign_id + "/leads", {{"selectAll", true}})["success"] == true);
  std::string csv = "email\n";
  for (int i = 0; i < 2500; ++i) csv += "import" + std::to_string(i) + "@example.com\n";
  auto import = cluster.write("POST", "/api/v1/leads/import", {{"csv", csv}});
  REQUIRE(import["success"] == true);
  cluster.drain_jobs();
  auto deleted = cluster.write("DELETE", "/api/v1/campaigns/" + campaign_id, nullptr);
  REQUIRE(deleted["success"] == true);
  // The follower's own engine never ran a slice: everything it has came from the log.
  CHECK_FALSE(cluster.follower.engine->work().more);
  cluster.log.replay(cluster.follower, 1);
  CHECK(fingerprint(cluster.follower, cluster.workspace) == fingerprint(cluster.owner, cluster.workspace));
}

TEST_CASE("an entry a copy cannot follow is divergence, and changes nothing") {
  Cluster cluster;
  REQUIRE(cluster.write("POST", "/api/v1/leads", {{"email", "one@example.com"}})["success"] == true);
  auto& follower = cluster.follower;
  const auto entry = cluster.log.entries.back();
  const auto before = fingerprint(follower, cluster.workspace);
  auto apply = [&](std::int64_t previous, std::int64_t sequence, std::int64_t epoch, const std::string& changeset) {
    return follower.replicate({{"op", "apply"}, {"database", cluster.workspace}, {"sequence", sequence},
                               {"previous", previous}, {"epoch", epoch}, {"changeset", changeset}});
  };
  SECTION("an entry after a gap") {
    auto refused = apply(1, entry.sequence, entry.epoch, entry.changeset);
    CHECK(refused["status"] == 409);
    CHECK(refused["error"]["code"] == "REPLICA_DIVERGED");
  }
  SECTION("an older owner's entry") {
    REQUIRE(apply(0, entry.sequence, 5, "")["status"] == 200);  // a fence of epoch 5
    auto refused = apply(entry.sequence, entry.sequence + 1, 4, entry.changeset);
    CHECK(refused["error"]["code"] == "REPLICA_DIVERGED");
  }
  SECTION("a changeset whose rows are not as it says") {
    REQUIRE(apply(0, entry.sequence, entry.epoch, entry.changeset)["status"] == 200);
    auto again = apply(entry.sequence, entry.sequence + 1, entry.epoch, entry.changeset);  // inserts the same lead twice
    CHECK(again["status"] == 409);
    CHECK(again["error"]["code"] == "REPLICA_DIVERGED");
    CHECK(follower.replicate({{"op", "position"}, {"database", cluster.workspace}})["data"]["sequence"] == entry.sequence);
    return;
  }
  CHECK(fingerprint(follower, cluster.workspace) == before);
  CHECK(follower.replicate({{"op", "position"}, {"database", cluster.workspace}})["data"]["sequence"] <= entry.sequence);
}

TEST_CASE("a redelivered entry is applied once") {
  Cluster cluster;
  REQUIRE(cluster.write("POST", "/api/v1/leads", {{"email", "once@example.com"}})["success"] == true);
  cluster.log.replay(cluster.follower, 1);
  const auto& entry = cluster.log.entries.back();
  auto again = cluster.follower.replicate({{"op", "apply"}, {"database", cluster.workspace}, {"sequence", entry.sequence},
                                           {"previous", entry.previous}, {"epoch", entry.epoch}, {"changeset", entry.changeset}});
  CHECK(again["status"] == 200);
  CHECK(again["data"]["applied"] == false);
  CHECK(fingerprint(cluster.follower, cluster.workspace) == fingerprint(cluster.owner, cluster.workspace));
}

TEST_CASE("an owner whose workspace the log moved past stops answering for it") {
  Cluster cluster;
  // Another node took over: its fence is the next entry on the subject.
  auto fenced = cluster.owner.replicate({{"op", "apply"}, {"database", cluster.workspace}, {"sequence", 7},
                                         {"previous", 0}, {"epoch", 2}, {"changeset", ""}});
  REQUIRE(fenced["status"] == 200);
  CHECK(fenced["data"]["applied"] == true);
  CHECK(cluster.owner.send("GET", "/api/v1/leads", cluster.key).status == 503);
}

TEST_CASE("replication commands are checked field by field") {
  Node node{"replication-checks"};
  for (const auto* bad : {R"({"op":"teleport"})", R"({"op":"position"})", R"({"op":"position","database":"ws_x"})",
                          R"({"op":"position","database":"catalog","extra":1})",
                          R"({"op":"apply","database":"catalog","sequence":-1,"previous":0,"epoch":0,"changeset":""})",
                          R"({"op":"apply","database":"catalog","sequence":1,"previous":0,"epoch":0,"changeset":"%%"})"}) {
    INFO(bad);
    auto reply = node.engine->replicate(bad);
    CHECK(reply.status == 400);
  }
  CHECK(node.engine->replicate(R"({"op":"settle","commit":true,"sequence":1,"epoch":1})").status == 500);  // nothing held
}
