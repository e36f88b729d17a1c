// The suppression list through Engine::handle: entries, matching, and its enforcement wherever a
// lead is created, changed, added to a campaign or brought back.
#include "engine_harness.hpp"

using leadline::testing::json;
using leadline::testing::read_fixture;
using leadline::testing::TestEngine;

namespace {

json add(TestEngine& engine, const json& entries, const json& extra = json::object()) {
  json body = extra;
  body["entries"] = entries;
  return engine.send("POST", "/api/v1/suppressions", body).body;
}

}  // namespace

TEST_CASE("suppression entries are added, counted, listed and checked") {
  TestEngine engine;
  auto reply = engine.send("POST", "/api/v1/suppressions",
                           {{"entries", {{{"email", " Jane@Example.COM "}, {"reason", "asked by phone"}},
                                         {{"domain", "@Competitor.io"}},
                                         {{"phoneNumber", "+1 (555) 123-4567"}},
                                         {{"email", "jane@example.com"}},
                                         {{"email", "not-an-email"}},
                                         {{"email", "a@b.co"}, {"domain", "b.co"}},
                                         {{"color", "red"}}}}});
  INFO(reply.text);
  REQUIRE(reply.status == 201);
  const auto& data = reply.body["data"];
  CHECK(data["added"] == 3);
  CHECK(data["alreadySuppressed"] == 1);
  CHECK(data["invalid"] == 3);
  REQUIRE(data["errors"].size() == 3);
  CHECK(data["errors"][0]["index"] == 4);
  CHECK(data["errors"][0]["message"] == "email: must be a valid email address");
  CHECK(data["errors"][1]["message"] == "must name exactly one of email, domain or phoneNumber");
  CHECK(data["errors"][2]["message"].get<std::string>().rfind("color: unknown field", 0) == 0);

  auto listed = engine.send("GET", "/api/v1/suppressions?limit=2");
  REQUIRE(listed.status == 200);
  CHECK(listed.body["data"]["suppressions"].size() == 2);
  CHECK(listed.body["data"]["hasMore"] == true);
  auto phones = engine.send("GET", "/api/v1/suppressions?kind=phoneNumber");
  REQUIRE(phones.body["data"]["suppressions"].size() == 1);
  CHECK(phones.body["data"]["suppressions"][0]["value"] == "+15551234567");
  CHECK(phones.body["data"]["suppressions"][0]["source"] == "api");
  auto searched = engine.send("GET", "/api/v1/suppressions?search=COMPET");
  REQUIRE(searched.body["data"]["suppressions"].size() == 1);
  CHECK(searched.body["data"]["suppressions"][0]["value"] == "competitor.io");

  auto checked = engine.send("GET", "/api/v1/suppressions/check?email=sales@eu.competitor.io");
  REQUIRE(checked.status == 200);
  CHECK(checked.body["data"]["suppressed"] == true);
  CHECK(checked.body["data"]["entry"]["kind"] == "domain");
  CHECK(engine.send("GET", "/api/v1/suppressions/check?email=sales@notcompetitor.io").body["data"]["suppressed"] == false);
  CHECK(engine.send("GET", "/api/v1/suppressions/check?phoneNumber=%2B15551234567").body["data"]["suppressed"] == true);
  CHECK(engine.send("GET", "/api/v1/suppressions/check").status == 400);
  CHECK(engine.send("GET", "/api/v1/suppressions/check?email=a@b.co&phoneNumber=%2B15551234567").status == 400);
  CHECK(engine.send("GET", "/api/v1/suppressions?kind=fax").status == 400);
}

TEST_CASE("a suppression body that is not a list of 1 to 10,000 entries is refused and adds nothing") {
  TestEngine engine;
  json many = json::array();
  for (int i = 0; i < 10001; ++i) many.push_back({{"email", "p" + std::to_string(i) + "@example.com"}});
  for (const auto& body : {json{{"entries", json::array()}}, json{{"entries", "a@b.co"}}, json{{"entries", many}},
                           json{{"entries", {{{"email", "a@b.co"}}}}, {"unsubscribeMemberships", "yes"}},
                           json{{"entries", {{{"email", "a@b.co"}}}}, {"extra", 1}}, json::object()}) {
    INFO(body.dump().substr(0, 80));
    CHECK(engine.send("POST", "/api/v1/suppressions", body).status == 400);
  }
  CHECK(engine.send("GET", "/api/v1/suppressions").body["data"]["suppressions"].empty());
}

TEST_CASE("domain entries match the domain and its subdomains through every path (fixture table)") {
  const auto fixture = read_fixture("suppression_matching.json");
  for (const auto& row : fixture["covers"]) {
    TestEngine engine;
    const auto entry = row[0].get<std::string>();
    const auto email = "someone@" + row[1].get<std::string>();
    INFO("entry " << entry << ", email " << email);
    REQUIRE(engine.send("POST", "/api/v1/suppressions", {{"entries", {{{"domain", entry}}}}}).status == 201);
    const bool covered = row[2].get<bool>();
    CHECK(engine.send("GET", "/api/v1/suppressions/check?email=" + email).body["data"]["suppressed"] == covered);
    // Set-based: a lead made before the entry is (or is not) left out of an add by filter.
    auto lifted = engine.send("GET", "/api/v1/suppressions").body["data"]["suppressions"][0]["id"].get<std::string>();
    REQUIRE(engine.send("DELETE", "/api/v1/suppressions/" + lifted).status == 200);
    REQUIRE(engine.send("POST", "/api/v1/leads", {{"email", email}}).status == 201);
    REQUIRE(engine.send("POST", "/api/v1/suppressions", {{"entries", {{{"domain", entry}}}}}).status == 201);
    const auto campaign = engine.send("POST", "/api/v1/campaigns", {{"name", "c"}}).body["data"]["id"].get<std::string>();
    auto added = engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"selectAll", true}});
    REQUIRE(added.status == 200);
    CHECK(added.body["data"]["suppressed"] == (covered ? 1 : 0));
    CHECK(added.body["data"]["added"] == (covered ? 0 : 1));
  }
}

TEST_CASE("a suppressed person cannot be created, patched in, imported or added to a campaign") {
  TestEngine engine;
  REQUIRE(add(engine, {{{"email", "gone@example.com"}}, {{"phoneNumber", "+15550001111"}}})["data"]["added"] == 2);

  auto one = engine.send("POST", "/api/v1/leads", {{"email", "GONE@example.com"}});
  CHECK(one.status == 422);
  CHECK(one.body["error"]["code"] == "SUPPRESSED");
  CHECK(one.body["error"]["field"] == "email");
  auto by_phone = engine.send("POST", "/api/v1/leads", {{"email", "new@example.com"}, {"phoneNumber", "+1 555 000 1111"}});
  CHECK(by_phone.status == 422);
  CHECK(by_phone.body["error"]["field"] == "phoneNumber");
  CHECK(engine.lead_count() == 0);

  auto batch = engine.send("POST", "/api/v1/leads",
                           {{"leads", {{{"email", "ok@example.com"}}, {{"email", "gone@example.com"}}, {{"email", "ok2@example.com"}}}}});
  REQUIRE(batch.status == 201);
  CHECK(batch.body["data"]["created"] == 2);
  CHECK(batch.body["data"]["suppressed"] == 1);
  CHECK(batch.body["data"]["skipped"] == 0);
  CHECK(batch.body["data"]["results"][1]["status"] == "suppressed");
  CHECK(batch.body["data"]["results"][1]["field"] == "email");

  const auto ok_id = batch.body["data"]["results"][0]["id"].get<std::string>();
  auto patched = engine.send("PATCH", "/api/v1/leads/" + ok_id, {{"email", "gone@example.com"}});
  CHECK(patched.status == 422);
  CHECK(patched.body["error"]["code"] == "SUPPRESSED");
  CHECK(engine.send("PATCH", "/api/v1/leads/" + ok_id, {{"firstName", "Still"}}).status == 200);

  const auto campaign = engine.send("POST", "/api/v1/campaigns", {{"name", "c"}}).body["data"]["id"].get<std::string>();
  auto explicit_add = engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads",
                                  {{"leads", {{{"email", "gone@example.com"}}, {{"leadId", ok_id}}}}});
  REQUIRE(explicit_add.status == 200);
  CHECK(explicit_add.body["data"]["added"] == 1);
  CHECK(explicit_add.body["data"]["suppressed"] == 1);
  CHECK(explicit_add.body["data"]["created"] == 0);
  CHECK(engine.lead_count() == 2);
}

TEST_CASE("an unsubscribed or bounced lead suppresses itself, and the entry outlives the lead") {
  TestEngine engine;
  auto lead = engine.send("POST", "/api/v1/leads", {{"email", "later@example.com"}});
  const auto id = lead.body["data"]["id"].get<std::string>();
  REQUIRE(engine.send("PATCH", "/api/v1/leads/" + id, {{"status", "unsubscribed"}}).status == 200);
  auto listed = engine.send("GET", "/api/v1/suppressions?source=unsubscribed");
  REQUIRE(listed.body["data"]["suppressions"].size() == 1);
  CHECK(listed.body["data"]["suppressions"][0]["value"] == "later@example.com");
  CHECK(listed.body["data"]["suppressions"][0]["leadId"] == id);

  REQUIRE(engine.send("POST", "/api/v1/leads", {{"email", "bounce@example.com"}, {"status", "bounced"}}).status == 201);
  CHECK(engine.send("GET", "/api/v1/suppressions?source=bounced").body["data"]["suppressions"].size() == 1);

  REQUIRE(engine.send("DELETE", "/api/v1/leads/" + id).status == 200);
  CHECK(engine.send("POST", "/api/v1/leads", {{"email", "later@example.com"}}).status == 422);
}

TEST_CASE("a restore leaves out a lead suppressed since the delete and says so") {
  TestEngine engine;
  const auto id = engine.send("POST", "/api/v1/leads", {{"email", "back@example.com"}}).body["data"]["id"].get<std::string>();
  engine.send("POST", "/api/v1/leads", {{"email", "fine@example.com"}});
  auto deleted = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}});
  INFO(deleted.text);
  REQUIRE(deleted.status == 200);
  const auto receipt = deleted.body["data"]["receiptId"].get<std::string>();
  REQUIRE(add(engine, {{{"domain", "back@example.com"}}})["data"]["invalid"] == 1);
  REQUIRE(add(engine, {{{"email", "back@example.com"}}})["data"]["added"] == 1);
  auto restored = engine.send("POST", "/api/v1/receipts/" + receipt + "/restore");
  INFO(restored.text);
  REQUIRE(restored.status == 200);
  CHECK(restored.body["data"]["restored"]["leads"] == 1);
  REQUIRE(restored.body["data"]["conflicts"].size() == 1);
  CHECK(restored.body["data"]["conflicts"][0]["leadId"] == id);
  CHECK(restored.body["data"]["conflicts"][0]["suppressed"] == true);
  CHECK(engine.send("GET", "/api/v1/leads/" + id).status == 404);
}

TEST_CASE("adding entries previews the leads and memberships they hit, and can unsubscribe those memberships") {
  TestEngine engine;
  const auto campaign = engine.send("POST", "/api/v1/campaigns", {{"name", "c"}}).body["data"]["id"].get<std::string>();
  engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads",
              {{"leads", {{{"email", "a@hit.example"}}, {{"email", "b@sub.hit.example"}}, {{"email", "c@miss.example"}}}}});
  auto preview = engine.send("POST", "/api/v1/suppressions",
                             {{"entries", {{{"domain", "hit.example"}}}}, {"unsubscribeMemberships", true}, {"dryRun", true}});
  INFO(preview.text);
  REQUIRE(preview.status == 201);
  CHECK(preview.body["data"]["dryRun"] == true);
  CHECK(preview.body["data"]["impact"]["leads"] == 2);
  CHECK(preview.body["data"]["impact"]["activeMemberships"] == 2);
  CHECK(preview.body["data"]["preview"]["sample"].size() == 2);
  CHECK(engine.send("GET", "/api/v1/suppressions").body["data"]["suppressions"].empty());

  auto real = engine.send("POST", "/api/v1/suppressions",
                          {{"entries", {{{"domain", "hit.example"}}}}, {"unsubscribeMemberships", true}});
  REQUIRE(real.status == 201);
  CHECK(real.body["data"]["impact"]["unsubscribedMemberships"] == 2);
  auto members = engine.send("GET", "/api/v1/campaigns/" + campaign + "/leads?status=unsubscribed");
  CHECK(members.body["data"]["leads"].size() == 2);
}

TEST_CASE("an api entry can be lifted with a key, complaint and erased entries cannot") {
  TestEngine engine;
  add(engine, {{{"email", "lift@example.com"}}});
  const auto id = engine.send("GET", "/api/v1/suppressions").body["data"]["suppressions"][0]["id"].get<std::string>();
  auto lifted = engine.send("DELETE", "/api/v1/suppressions/" + id);
  REQUIRE(lifted.status == 200);
  CHECK(engine.send("DELETE", "/api/v1/suppressions/" + id).status == 404);
  CHECK(engine.send("POST", "/api/v1/leads", {{"email", "lift@example.com"}}).status == 201);

  auto complaint = add(engine, {{{"email", "angry@example.com"}, {"source", "complaint"}}});
  REQUIRE(complaint["data"]["added"] == 1);
  const auto locked = engine.send("GET", "/api/v1/suppressions?source=complaint").body["data"]["suppressions"][0];
  auto refused = engine.send("DELETE", "/api/v1/suppressions/" + locked["id"].get<std::string>());
  CHECK(refused.status == 409);
  CHECK(refused.body["error"]["details"]["source"] == "complaint");
  CHECK(engine.send("GET", "/api/v1/suppressions/check?email=angry@example.com").body["data"]["suppressed"] == true);
  CHECK(add(engine, {{{"email", "x@example.com"}, {"source", "erased"}}})["data"]["invalid"] == 1);
}

TEST_CASE("undoing the delete of an unsubscribed lead gives it back, still suppressed") {
  TestEngine engine;
  const auto id = engine.send("POST", "/api/v1/leads", {{"email", "own@example.com"}, {"status", "unsubscribed"}})
                      .body["data"]["id"]
                      .get<std::string>();
  auto deleted = engine.send("DELETE", "/api/v1/leads/" + id);
  REQUIRE(deleted.status == 200);
  auto restored = engine.send("POST", "/api/v1/receipts/" + deleted.body["data"]["receiptId"].get<std::string>() + "/restore");
  INFO(restored.text);
  REQUIRE(restored.status == 200);
  CHECK(restored.body["data"]["restored"]["leads"] == 1);
  CHECK(restored.body["data"]["conflicts"].empty());
  CHECK(engine.send("GET", "/api/v1/suppressions/check?email=own@example.com").body["data"]["suppressed"] == true);
}
