// Where webhooks may go (tests/fixtures/webhook_urls.json), the retry schedule, and the outbox
// with its delivery ops (Engine::deliver) as a host drives them.
#include "api/job_routes.hpp"
#include "api/webhook_delivery.hpp"
#include "api/workspace_pool.hpp"
#include "guards/webhook_signature.hpp"
#include "engine_harness.hpp"
#include "validation/network_address.hpp"
#include "store/migrations.hpp"
#include "validation/webhook_input.hpp"

using leadline::testing::read_fixture;
using namespace leadline;

namespace {

std::string class_name(validation::AddressClass kind) {
  switch (kind) {
    case validation::AddressClass::Public: return "public";
    case validation::AddressClass::Loopback: return "loopback";
    case validation::AddressClass::Private: return "private";
    case validation::AddressClass::LinkLocal: return "link-local";
    case validation::AddressClass::Unspecified: return "unspecified";
    case validation::AddressClass::Reserved: return "reserved";
  }
  return "?";
}

}  // namespace

TEST_CASE("literal addresses are classed as the fixture says (IPv4, IPv6, mapped, NAT64)") {
  const auto fixture = read_fixture("webhook_urls.json");
  for (const auto& row : fixture["addresses"]) {
    const auto address = row["address"].get<std::string>();
    INFO(address);
    const auto kind = validation::classify_address(address);
    if (row["class"].is_null()) {
      CHECK_FALSE(kind.has_value());
    } else {
      REQUIRE(kind.has_value());
      CHECK(class_name(*kind) == row["class"].get<std::string>());
      CHECK(api::address_refusal(address, true) == std::nullopt);
      CHECK(api::address_refusal(address, false).has_value() == (*kind != validation::AddressClass::Public));
    }
  }
}

TEST_CASE("webhook URLs: https only, no private host, no credentials, unless the deployment allows private receivers") {
  const auto fixture = read_fixture("webhook_urls.json");
  for (const auto& row : fixture["urls"]) {
    const auto url = row["url"].get<std::string>();
    const bool allow_private = row["allowPrivate"].get<bool>();
    INFO(url << " allowPrivate=" << allow_private);
    std::optional<std::string> refusal;
    auto parsed = validation::parse_webhook_url(url);
    if (!parsed) refusal = parsed.error().message;
    else refusal = validation::webhook_url_refusal(*parsed, allow_private);
    CHECK(refusal.has_value() == row["refused"].get<bool>());
    if (refusal && row.contains("names")) CHECK(refusal->find(row["names"].get<std::string>()) != std::string::npos);
  }
}

TEST_CASE("retry schedules: durations with units, 1 to 20 of them, each at most 7 days") {
  auto parsed = validation::parse_retry_schedule("5s,5m, 2h,1d,250ms");
  REQUIRE(parsed);
  CHECK(*parsed == std::vector<std::int64_t>{5000, 300000, 7200000, 86400000, 250});
  for (const char* bad : {"", "5", "5x", "0s", "8d", "-1s", "5s,,5s", "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"}) {
    INFO(bad);
    CHECK_FALSE(validation::parse_retry_schedule(bad));
  }
  const auto& standard = validation::default_retry_schedule();
  REQUIRE(standard.size() == 9);
  std::int64_t window = 0;
  for (auto delay : standard) window += delay;
  CHECK(window > 3LL * 24 * 3600 * 1000);  // a receiver down for three days still gets everything
  CHECK(window < 4LL * 24 * 3600 * 1000);
  // Jitter stays within a tenth of each delay; past the schedule there is no next attempt.
  for (std::int64_t attempt = 1; attempt <= 9; ++attempt) {
    const auto delay = api::retry_delay(standard, attempt);
    REQUIRE(delay);
    const auto base = standard[static_cast<std::size_t>(attempt - 1)];
    CHECK(*delay >= base - base / 10);
    CHECK(*delay <= base + base / 10);
  }
  CHECK_FALSE(api::retry_delay(standard, 10));
}

namespace {

using leadline::testing::json;
using leadline::testing::TestEngine;

json deliver(TestEngine& engine, const json& command) {
  const auto response = engine.engine->deliver(command.dump());
  INFO(response.body);
  REQUIRE(response.status == 200);
  return json::parse(response.body)["data"];
}

}  // namespace

TEST_CASE("the outbox: a committed write queues its event, a dry run or a refused write queues none") {
  TestEngine engine;
  // Nothing receives webhooks yet: no event is stored at all.
  REQUIRE(engine.send("POST", "/api/v1/leads", {{"email", "early@example.com"}}).status == 201);
  CHECK(deliver(engine, {{"op", "due"}, {"limit", 10}})["deliveries"].empty());

  auto made = engine.send("POST", "/api/v1/webhooks", {{"url", "https://hooks.example.com/in"}, {"events", {"lead.created", "lead.deleted"}}});
  REQUIRE(made.status == 201);
  const auto secret = made.body["data"]["secret"].get<std::string>();
  const auto lead = engine.send("POST", "/api/v1/leads", {{"email", "ada@example.com"}}).body["data"]["id"].get<std::string>();
  CHECK(engine.send("POST", "/api/v1/leads", {{"email", "nope"}}).status == 400);
  CHECK(engine.send("DELETE", "/api/v1/leads/" + lead + "?dryRun=true").status == 200);
  CHECK(engine.send("PATCH", "/api/v1/leads/" + lead, {{"firstName", "Ada"}}).status == 200);  // lead.updated: not subscribed

  const auto due = deliver(engine, {{"op", "due"}, {"limit", 10}})["deliveries"];
  REQUIRE(due.size() == 1);
  const auto& delivery = due[0];
  const auto body = json::parse(delivery["body"].get<std::string>());
  CHECK(body["type"] == "lead.created");
  CHECK(body["data"]["leadIds"] == json::array({lead}));
  CHECK(delivery["body"].get<std::string>().find("ada@example.com") == std::string::npos);
  const auto& headers = delivery["headers"];
  const auto id = headers["webhook-id"].get<std::string>();
  const auto timestamp = std::stoll(headers["webhook-timestamp"].get<std::string>());
  CHECK(headers["webhook-signature"] == guards::sign_webhook(secret, id, timestamp, delivery["body"].get<std::string>()));
  // Handed out, it is not handed out again until reported (or its lease runs out).
  CHECK(deliver(engine, {{"op", "due"}, {"limit", 10}})["deliveries"].empty());

  // Refused: retried on the schedule, under the same webhook-id.
  const json refused{{"op", "report"}, {"workspaceId", engine.workspace_id},
                     {"attempts", {{{"deliveryId", delivery["deliveryId"]}, {"statusCode", 503}, {"durationMs", 12}}}}};
  auto outcome = deliver(engine, refused)["attempts"][0];
  CHECK(outcome["state"] == "pending");
  CHECK(deliver(engine, {{"op", "due"}, {"limit", 10}})["deliveries"].empty());  // not due before its retry time
  engine.now_ms += 6000;
  const auto retried = deliver(engine, {{"op", "due"}, {"limit", 10}})["deliveries"];
  REQUIRE(retried.size() == 1);
  CHECK(retried[0]["headers"]["webhook-id"] == id);
  const json accepted{{"op", "report"}, {"workspaceId", engine.workspace_id},
                      {"attempts", {{{"deliveryId", delivery["deliveryId"]}, {"statusCode", 204}, {"durationMs", 8}}}}};
  CHECK(deliver(engine, accepted)["attempts"][0]["state"] == "delivered");

  // A delete queues lead.deleted with its receipt, once.
  REQUIRE(engine.send("DELETE", "/api/v1/leads/" + lead).status == 200);
  const auto deleted = deliver(engine, {{"op", "due"}, {"limit", 10}})["deliveries"];
  REQUIRE(deleted.size() == 1);
  const auto deleted_body = json::parse(deleted[0]["body"].get<std::string>());
  CHECK(deleted_body["type"] == "lead.deleted");
  CHECK(deleted_body["data"]["deletedCount"] == 1);
  CHECK(deleted_body["data"]["receiptId"].get<std::string>().rfind("rcp_", 0) == 0);
}

TEST_CASE("report and check-address refuse malformed commands, and check-address follows the policy") {
  TestEngine engine;
  for (const auto& bad : {json{{"op", "report"}, {"workspaceId", engine.workspace_id}},
                          json{{"op", "report"}, {"workspaceId", engine.workspace_id}, {"attempts", json::array()}},
                          json{{"op", "report"}, {"workspaceId", engine.workspace_id},
                               {"attempts", {{{"deliveryId", "whd_0000000000000001"}}}}},
                          json{{"op", "report"}, {"workspaceId", engine.workspace_id}, {"extra", 1},
                               {"attempts", {{{"deliveryId", "whd_0000000000000001"}, {"statusCode", 200}}}}},
                          json{{"op", "due"}, {"limit", 0}}, json{{"op", "send"}}}) {
    INFO(bad.dump());
    CHECK(engine.engine->deliver(bad.dump()).status == 400);
  }
  const auto verdict = [&](TestEngine& on, const char* address) {
    return json::parse(on.engine->deliver(json{{"op", "check-address"}, {"address", address}}.dump()).body)["data"];
  };
  CHECK(verdict(engine, "127.0.0.1")["allowed"] == false);
  CHECK(verdict(engine, "93.184.216.34")["allowed"] == true);
  EngineOptions lenient;
  lenient.webhook_allow_private = true;
  TestEngine allowing(":memory:", lenient);
  CHECK(verdict(allowing, "127.0.0.1")["allowed"] == true);
}

TEST_CASE("a job that fails reports job.failed with its kind, its error and its counts") {
  auto opened = store::Database::open(":memory:", {true, true, 1024});
  REQUIRE(opened.ok());
  auto& db = **opened;
  REQUIRE(store::migrate(db, store::Schema::Workspace).ok());
  REQUIRE(db.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (1, 'w', 0)")->run().ok());
  IdGenerator ids;
  const api::WebhookPolicy policy{};
  auto services = api::services_for(db, ids, 1000, policy);
  store::WebhookEndpointRecord endpoint;
  endpoint.id = 10;
  endpoint.workspace_id = 1;
  endpoint.url = "https://hooks.example.com/jobs";
  endpoint.events = {"job.failed", "import.completed"};
  endpoint.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  REQUIRE(services->webhooks.insert_endpoint(endpoint).ok());

  store::JobRecord job;
  job.id = 20;
  job.workspace_id = 1;
  job.kind = "lead_import";
  job.status = "running";
  job.key_prefix = "sk_test";
  job.total = 3;
  job.result = {{"created", 2}, {"skipped", 0}, {"failed", 0}};
  REQUIRE(services->jobs.insert(job, "email\na@example.com\n").ok());
  REQUIRE(api::fail_next_job(*services, "Internal error while importing", leadline::testing::kTestStartMs).ok());

  auto due = services->webhooks.due(leadline::testing::kTestStartMs, 10, {});
  REQUIRE(due.ok());
  REQUIRE(due->size() == 1);
  const auto body = nlohmann::json::parse(due->front().body);
  CHECK(body["type"] == "job.failed");
  CHECK(body["data"]["jobId"] == format_id(kJobIdPrefix, 20));
  CHECK(body["data"]["kind"] == "lead_import");
  CHECK(body["data"]["error"] == "Internal error while importing");
  CHECK(body["data"]["counts"]["created"] == 2);
}
