// The bulk edit (PATCH /leads) through Engine::handle and Engine::work: the refusals of the shared
// fixture, what an edit writes and keeps in its receipt, what a restore puts back and what it
// leaves, the status rule, and a large edit run as background slices.
#include "api_helpers.hpp"
#include "fixture_requests.hpp"

using leadline::testing::create_lead;
using leadline::testing::fill_placeholders;
using leadline::testing::json;
using leadline::testing::TestEngine;

namespace {

json lead_of(TestEngine& engine, const std::string& id) {
  auto got = engine.send("GET", "/api/v1/leads/" + id);
  REQUIRE(got.status == 200);
  return got.body["data"];
}

std::string restore(TestEngine& engine, const std::string& receipt, json* report = nullptr) {
  auto restored = engine.send("POST", "/api/v1/receipts/" + receipt + "/restore");
  INFO(restored.text);
  REQUIRE(restored.status == 200);
  if (report) *report = restored.body["data"];
  return restored.text;
}

}  // namespace

TEST_CASE("bulk edit refusals from the fixture are 400s naming their field, and change nothing") {
  TestEngine engine;
  const auto id = create_lead(engine, {{"email", "keep@example.com"}, {"tags", {"a"}}});
  const auto fixture = leadline::testing::read_fixture("bulk_edit_requests.json");
  for (const auto& row : fixture["cases"]) {
    const auto body = json::parse(fill_placeholders(row["body"].dump()));
    auto reply = engine.send("PATCH", "/api/v1/leads", body);
    INFO(row["name"].get<std::string>() << ": " << reply.text);
    CHECK(reply.status == 400);
    CHECK(reply.body["error"]["code"] == "VALIDATION_ERROR");
    CHECK(reply.body["error"]["field"] == row["field"]);
  }
  CHECK(lead_of(engine, id)["tags"] == json::array({"a"}));
}

TEST_CASE("an edit sets, merges and retags the selection, and keeps tag order") {
  TestEngine engine;
  const auto id = create_lead(engine, {{"email", "one@example.com"},
                                       {"tags", {"b", "a", "c"}},
                                       {"customFields", {{"tier", "silver"}, {"seat", 2}}},
                                       {"metadata", {{"crm", {{"stage", 1}, {"owner", "kim"}}}}}});
  const auto untouched = create_lead(engine, {{"email", "two@example.com"}, {"tags", {"z"}}});
  auto edited = engine.send("PATCH", "/api/v1/leads",
                            {{"filters", {{"tags", {"a"}}}},
                             {"set", {{"customFields", {{"tier", "gold"}, {"seat", nullptr}}}, {"metadata", {{"crm", {{"stage", 2}}}}}}},
                             {"addTags", {"d", "a"}},
                             {"removeTags", {"b"}}});
  INFO(edited.text);
  REQUIRE(edited.status == 200);
  CHECK(edited.body["data"]["updatedCount"] == 1);
  const auto after = lead_of(engine, id);
  CHECK(after["tags"] == json::array({"a", "c", "d"}));  // kept in order, new ones after, no duplicate
  CHECK(after["customFields"] == json{{"tier", "gold"}});
  CHECK(after["metadata"] == json{{"crm", {{"stage", 2}, {"owner", "kim"}}}});
  CHECK(lead_of(engine, untouched)["tags"] == json::array({"z"}));
  CHECK(engine.send("GET", "/api/v1/leads?tags=d").body["data"]["leads"].size() == 1);
  CHECK(engine.send("GET", "/api/v1/leads?tags=b").body["data"]["leads"].empty());

  json report;
  restore(engine, edited.body["data"]["receiptId"], &report);
  CHECK(report["restored"]["leads"] == 1);
  const auto back = lead_of(engine, id);
  CHECK(back["tags"] == json::array({"b", "a", "c"}));
  CHECK(back["customFields"] == json{{"tier", "silver"}, {"seat", 2}});
  CHECK(back["metadata"] == json{{"crm", {{"stage", 1}, {"owner", "kim"}}}});
  CHECK(engine.send("GET", "/api/v1/leads?tags=b").body["data"]["leads"].size() == 1);
  CHECK(engine.send("GET", "/api/v1/leads?tags=d").body["data"]["leads"].empty());
}

TEST_CASE("a restore leaves leads changed or deleted since the edit, and says so") {
  TestEngine engine;
  const auto kept = create_lead(engine, {{"email", "k@example.com"}, {"tags", {"run"}}, {"country", "DE"}});
  const auto changed = create_lead(engine, {{"email", "c@example.com"}, {"tags", {"run"}}, {"country", "DE"}});
  const auto deleted = create_lead(engine, {{"email", "d@example.com"}, {"tags", {"run"}}, {"country", "DE"}});
  auto edited = engine.send("PATCH", "/api/v1/leads", {{"filters", {{"tags", {"run"}}}}, {"set", {{"country", "FR"}}}});
  REQUIRE(edited.status == 200);
  REQUIRE(engine.send("PATCH", "/api/v1/leads/" + changed, {{"country", "ES"}}).status == 200);
  REQUIRE(engine.send("DELETE", "/api/v1/leads/" + deleted).status == 200);
  json report;
  restore(engine, edited.body["data"]["receiptId"], &report);
  CHECK(report["restored"]["leads"] == 1);
  CHECK(report["skipped"]["leads"] == 2);
  REQUIRE(report["conflicts"].size() == 1);
  CHECK(report["conflicts"][0]["leadId"] == changed);
  CHECK(lead_of(engine, kept)["country"] == "DE");
  CHECK(lead_of(engine, changed)["country"] == "ES");
}

TEST_CASE("an edit never moves a lead out of unsubscribed or bounced, and marking one suppresses it") {
  TestEngine engine;
  const auto gone = create_lead(engine, {{"email", "gone@example.com"}, {"status", "bounced"}, {"tags", {"s"}}});
  const auto live = create_lead(engine, {{"email", "live@example.com"}, {"tags", {"s"}}});
  auto active = engine.send("PATCH", "/api/v1/leads", {{"filters", {{"tags", {"s"}}}}, {"set", {{"status", "contacted"}}}});
  REQUIRE(active.status == 200);
  CHECK(active.body["data"]["matchedCount"] == 2);
  CHECK(active.body["data"]["updatedCount"] == 1);
  CHECK(lead_of(engine, gone)["status"] == "bounced");

  auto unsubscribe = engine.send("PATCH", "/api/v1/leads", {{"leadIds", {live}}, {"set", {{"status", "unsubscribed"}}}});
  REQUIRE(unsubscribe.status == 200);
  CHECK(engine.send("GET", "/api/v1/suppressions/check?email=live@example.com").body["data"]["suppressed"] == true);
  json report;
  restore(engine, unsubscribe.body["data"]["receiptId"], &report);
  CHECK(report["statusKept"] == true);
  CHECK(lead_of(engine, live)["status"] == "unsubscribed");
}

TEST_CASE("an edit above 10,000 leads runs in slices into one receipt, and a dry run of it runs inline") {
  TestEngine engine;
  json leads = json::array();
  for (int i = 0; i < 10001; ++i) leads.push_back({{"email", "bulk" + std::to_string(i) + "@example.com"}});
  for (std::size_t start = 0; start < leads.size(); start += 5000) {
    json batch(leads.begin() + static_cast<std::ptrdiff_t>(start),
               leads.begin() + static_cast<std::ptrdiff_t>(std::min(leads.size(), start + 5000)));
    REQUIRE(engine.send("POST", "/api/v1/leads", {{"leads", batch}}).status == 201);
  }
  auto preview = engine.send("PATCH", "/api/v1/leads", {{"filters", json::object()}, {"addTags", {"all"}}, {"dryRun", true}});
  REQUIRE(preview.status == 200);
  CHECK(preview.body["data"]["updatedCount"] == 10001);
  CHECK(preview.body["data"]["preview"]["sample"].size() == 10);
  CHECK(engine.send("GET", "/api/v1/leads?tags=all").body["data"]["leads"].empty());

  auto queued = engine.send("PATCH", "/api/v1/leads", {{"filters", json::object()}, {"addTags", {"all"}}});
  INFO(queued.text);
  REQUIRE(queued.status == 202);
  CHECK(queued.body["data"]["matchedCount"] == 10001);
  int slices = 0;
  while (engine.engine->work().more) REQUIRE(++slices < 100);
  CHECK(slices >= 3);  // 5,000 leads a slice
  auto job = engine.send("GET", "/api/v1/jobs/" + queued.body["data"]["job"]["id"].get<std::string>());
  CHECK(job.body["data"]["status"] == "succeeded");
  CHECK(job.body["data"]["result"]["updated"] == 10001);
  auto receipt = engine.send("GET", "/api/v1/receipts/" + queued.body["data"]["receiptId"].get<std::string>());
  CHECK(receipt.body["data"]["kind"] == "lead_update");
  CHECK(receipt.body["data"]["summary"]["leads"] == 10001);
  json report;
  restore(engine, queued.body["data"]["receiptId"], &report);
  CHECK(report["restored"]["leads"] == 10001);
  CHECK(engine.send("GET", "/api/v1/leads?tags=all").body["data"]["leads"].empty());
}

TEST_CASE("an edit that would take a lead past 50 tags is refused naming the lead, and one that stays within goes through") {
  TestEngine engine;
  json full = json::array(), near = json::array();
  for (int i = 0; i < 50; ++i) full.push_back("t" + std::to_string(i));
  for (int i = 0; i < 49; ++i) near.push_back("t" + std::to_string(i));
  const auto at_bound = create_lead(engine, {{"email", "full@example.com"}, {"tags", full}});
  const auto below = create_lead(engine, {{"email", "near@example.com"}, {"tags", near}});

  // One more tag fits the lead holding 49; the lead holding 50 would pass the bound.
  auto over = engine.send("PATCH", "/api/v1/leads", {{"leadIds", {at_bound, below}}, {"addTags", {"extra"}}});
  INFO(over.text);
  CHECK(over.status == 400);
  CHECK(over.body["error"]["field"] == "addTags");
  CHECK(over.body["error"]["message"] == "Lead " + at_bound + " would have more than 50 tags after this edit");
  CHECK(lead_of(engine, below)["tags"] == near);  // nothing changed

  // A tag the full lead already holds adds nothing to it.
  auto held = engine.send("PATCH", "/api/v1/leads", {{"leadIds", {at_bound, below}}, {"addTags", {"t0", "t49"}}});
  INFO(held.text);
  CHECK(held.status == 200);
  CHECK(held.body["data"]["updatedCount"] == 1);
  CHECK(lead_of(engine, below)["tags"].size() == 50);

  // Two new tags would take the lead now holding 50 over.
  auto two = engine.send("PATCH", "/api/v1/leads", {{"leadIds", {below}}, {"addTags", {"x", "y"}}});
  CHECK(two.status == 400);
  CHECK(two.body["error"]["details"]["leadId"] == below);
}
