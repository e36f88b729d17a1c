// Upserts through Engine::handle: the shared cases (tests/fixtures/upsert_cases.json) as a batch
// entry and as one lead, a batch that mixes outcomes, and an import that updates.
#include "api_helpers.hpp"

using leadline::testing::create_lead;
using leadline::testing::expand_fixture;
using leadline::testing::json;
using leadline::testing::TestEngine;

namespace {

void check_after(TestEngine& engine, const std::string& id, const json& after) {
  auto got = engine.send("GET", "/api/v1/leads/" + id);
  REQUIRE(got.status == 200);
  const auto expected = expand_fixture(after);  // kept: items() of a temporary would dangle
  for (const auto& [field, value] : expected.items()) {
    INFO(field);
    CHECK(got.body["data"][field] == value);
  }
}

int single_status_for(const std::string& outcome, const json& row) {
  if (outcome == "updated" || outcome == "skipped") return 200;
  if (outcome == "suppressed") return 422;
  return row["name"].get<std::string>().find("limit") != std::string::npos ? 400 : 409;
}

}  // namespace

TEST_CASE("upsert cases from the fixture, as a batch entry and as one lead") {
  const auto fixture = leadline::testing::read_fixture("upsert_cases.json");
  for (const auto& row : fixture["cases"]) {
    INFO(row["name"].get<std::string>());
    for (const bool batch : {true, false}) {
      TestEngine engine;
      const auto id = create_lead(engine, expand_fixture(row["stored"]));
      const std::string outcome = row["outcome"];
      if (batch) {
        auto reply = engine.send("POST", "/api/v1/leads", {{"leads", {row["entry"]}}, {"onDuplicate", row["onDuplicate"]}});
        INFO(reply.text);
        REQUIRE(reply.status == 200);
        CHECK(reply.body["data"]["results"][0]["status"] == outcome);
        CHECK(reply.body["data"]["updated"] == (outcome == "updated" ? 1 : 0));
        CHECK(reply.body["data"]["failed"] == (outcome == "error" ? 1 : 0));
        if (outcome == "updated" || outcome == "skipped") CHECK(reply.body["data"]["results"][0].value("id", reply.body["data"]["results"][0].value("existingLeadId", "")) == id);
      } else {
        json body = row["entry"];
        body["onDuplicate"] = row["onDuplicate"];
        auto reply = engine.send("POST", "/api/v1/leads", body);
        INFO(reply.text);
        CHECK(reply.status == single_status_for(outcome, row));
        if (reply.status == 200) CHECK(reply.body["data"]["id"] == id);
      }
      check_after(engine, id, row["after"]);
    }
  }
}

TEST_CASE("without onDuplicate a batch skips and one lead is a 409, as before, and the reply has no upsert counts") {
  TestEngine engine;
  create_lead(engine, {{"email", "old@example.com"}});
  auto batch = engine.send("POST", "/api/v1/leads", {{"leads", {{{"email", "old@example.com"}}, {{"email", "new@example.com"}}}}});
  REQUIRE(batch.status == 201);
  CHECK(batch.body["data"]["results"][0]["status"] == "skipped");
  CHECK_FALSE(batch.body["data"].contains("updated"));
  CHECK(engine.send("POST", "/api/v1/leads", {{"email", "old@example.com"}}).status == 409);
  auto bad = engine.send("POST", "/api/v1/leads", {{"email", "x@example.com"}, {"onDuplicate", "merge"}});
  CHECK(bad.status == 400);
  CHECK(bad.body["error"]["field"] == "onDuplicate");
}

TEST_CASE("an upsert batch reports each entry in order, and an entry repeating an earlier new one is skipped") {
  TestEngine engine;
  const auto stored = create_lead(engine, {{"email", "s@example.com"}, {"externalId", "e-1"}});
  create_lead(engine, {{"email", "other@example.com"}, {"externalId", "e-2"}});
  auto reply = engine.send("POST", "/api/v1/leads",
                           {{"onDuplicate", "update"},
                            {"leads",
                             {{{"email", "s@example.com"}, {"jobTitle", "Boss"}},
                              {{"email", "fresh@example.com"}},
                              {{"email", "fresh@example.com"}, {"jobTitle", "Twice"}},
                              {{"email", "s@example.com"}, {"externalId", "e-2"}}}}});
  INFO(reply.text);
  REQUIRE(reply.status == 201);
  const auto& results = reply.body["data"]["results"];
  CHECK(results[0]["status"] == "updated");
  CHECK(results[1]["status"] == "created");
  CHECK(results[2]["status"] == "skipped");
  CHECK(results[2]["duplicateOf"] == 1);
  CHECK(results[3]["status"] == "error");  // entries apply in order: this one would take lead e-2's externalId
  CHECK(results[3]["existingLeadId"] == stored);
  CHECK(reply.body["data"]["updated"] == 1);
  CHECK(reply.body["data"]["failed"] == 1);
  CHECK(engine.send("GET", "/api/v1/leads/" + stored).body["data"]["jobTitle"] == "Boss");
}

TEST_CASE("an upsert that would give a lead another lead's externalId is an error for that entry") {
  TestEngine engine;
  const auto stored = create_lead(engine, {{"email", "s@example.com"}});
  create_lead(engine, {{"email", "other@example.com"}, {"externalId", "e-2"}});
  auto reply = engine.send("POST", "/api/v1/leads", {{"onDuplicate", "update"}, {"leads", {{{"email", "s@example.com"}, {"externalId", "e-2"}}}}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body["data"]["results"][0]["status"] == "error");
  CHECK(engine.send("GET", "/api/v1/leads/" + stored).body["data"]["externalId"].is_null());
}

TEST_CASE("an import with onDuplicate update fills stored leads from the non-empty cells of each row") {
  TestEngine engine;
  const auto stored = create_lead(engine, {{"email", "row@example.com"}, {"firstName", "Kept"}, {"companyName", "Old"}});
  auto job = engine.send("POST", "/api/v1/leads/import",
                         {{"csv", "Email,First Name,Company\r\nrow@example.com,,New Co\r\nnew@example.com,Nia,\r\n"},
                          {"onDuplicate", "update"}});
  REQUIRE(job.status == 202);
  while (engine.engine->work().more) {
  }
  auto done = engine.send("GET", "/api/v1/jobs/" + job.body["data"]["id"].get<std::string>());
  CHECK(done.body["data"]["result"]["updated"] == 1);
  CHECK(done.body["data"]["result"]["created"] == 1);
  const auto lead = engine.send("GET", "/api/v1/leads/" + stored).body["data"];
  CHECK(lead["firstName"] == "Kept");
  CHECK(lead["companyName"] == "New Co");

  auto refused = engine.send("POST", "/api/v1/leads/import", {{"csv", "Email\r\nrow@example.com\r\n"}, {"onDuplicate", "error"}});
  REQUIRE(refused.status == 202);
  while (engine.engine->work().more) {
  }
  auto report = engine.send("GET", "/api/v1/jobs/" + refused.body["data"]["id"].get<std::string>()).body["data"]["result"];
  CHECK(report["failed"] == 1);
  CHECK(report["errors"][0]["message"] == "duplicate: its email belongs to " + stored);
}
