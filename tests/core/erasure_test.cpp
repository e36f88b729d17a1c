// Erasure through Engine::handle: a person taken through every feature is erased, and no file of
// the data folder still holds their bytes once the engine has closed.
#include "engine_harness.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

using leadline::testing::fresh_folder;
using leadline::testing::json;
using leadline::testing::TestEngine;

namespace {

// The person: every value unique, so any copy left anywhere is found.
const std::string kEmail = "quorra.vexley@erase-me.example";
const std::string kFirstName = "Quorrazine";
const std::string kLastName = "Vexleyford";
const std::string kPhone = "+15559876543";
const std::string kPhoneAsSent = "+1 (555) 987-6543";
const std::string kExternalId = "crm-erase-7731";

std::vector<std::string> files_holding(const std::string& folder, const std::vector<std::string>& needles) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& needle : needles) {
      if (bytes.find(needle) != std::string::npos) found.push_back(entry.path().string() + " holds " + needle);
    }
  }
  return found;
}

void drain_jobs(TestEngine& engine) {
  int slices = 0;
  while (engine.engine->work().more) REQUIRE(++slices < 1000);
}

}  // namespace

TEST_CASE("an erased person leaves no byte in the data folder, and stays suppressed as a hash") {
  const auto folder = fresh_folder("erasure-byte-scan");
  const std::vector<std::string> needles{kEmail, kFirstName, kLastName, kPhone, kExternalId, "(555) 987-6543"};
  std::string lead_id;
  std::string key;
  {
    TestEngine engine(folder);
    key = engine.workspace_key;
    auto created = engine.send("POST", "/api/v1/leads",
                               {{"email", kEmail}, {"firstName", kFirstName}, {"lastName", kLastName},
                                {"phoneNumber", kPhoneAsSent}, {"externalId", kExternalId}, {"tags", {"erase-tag"}},
                                {"customFields", {{"note", kFirstName + " likes tea"}}}},
                               {{"idempotency-key", "create-the-person"}});
    REQUIRE(created.status == 201);
    lead_id = created.body["data"]["id"];
    engine.send("POST", "/api/v1/leads", {{"email", "bystander@erase-me.example"}, {"firstName", "Bystander"}});
    const auto campaign = engine.send("POST", "/api/v1/campaigns", {{"name", "Erasure"}}).body["data"]["id"].get<std::string>();
    REQUIRE(engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"leads", {{{"leadId", lead_id}}}}}).status == 200);
    REQUIRE(engine.send("PATCH", "/api/v1/leads/" + lead_id, {{"jobTitle", kLastName + " in chief"}}).status == 200);
    // A bulk edit's receipt keeps the values it replaced: the job title and the note.
    REQUIRE(engine.send("PATCH", "/api/v1/leads", {{"leadIds", {lead_id}}, {"set", {{"jobTitle", "Lead"}, {"customFields", {{"note", "tea"}}}}}})
                .status == 200);
    auto deleted = engine.send("DELETE", "/api/v1/leads", {{"leadIds", {lead_id}}});
    REQUIRE(deleted.status == 200);
    REQUIRE(engine.send("POST", "/api/v1/receipts/" + deleted.body["data"]["receiptId"].get<std::string>() + "/restore").status == 200);
    auto again = engine.send("DELETE", "/api/v1/leads/" + lead_id);  // kept for undo when the erasure comes
    REQUIRE(again.status == 200);
    auto imported = engine.send("POST", "/api/v1/leads/import",
                                {{"csv", "Email,First Name,Phone\r\n" + kEmail + "," + kFirstName + "," + kPhoneAsSent + "\r\n"}});
    REQUIRE(imported.status == 202);
    drain_jobs(engine);
    // The imported copy joins the campaign; a bulk delete elsewhere names the phone as sent.
    REQUIRE(engine.send("POST", "/api/v1/campaigns/" + campaign + "/leads", {{"leads", {{{"email", kEmail}}}}}).status == 200);
    const auto other = engine.send("POST", "/api/v1/campaigns", {{"name", "Other"}}).body["data"]["id"].get<std::string>();
    REQUIRE(engine.send("POST", "/api/v1/leads/bulk-delete", {{"campaignId", other}, {"leads", {{{"phoneNumber", kPhoneAsSent}}}}})
                .status == 200);
    REQUIRE(engine.send("GET", "/api/v1/leads/export?format=csv").status == 200);

    auto preview = engine.send("POST", "/api/v1/leads/erase", {{"emails", {kEmail}}, {"dryRun", true}});
    INFO(preview.text);
    REQUIRE(preview.status == 200);
    CHECK(preview.body["data"]["erasedLeads"] == 2);  // the deleted original and the imported copy

    auto erased = engine.send("POST", "/api/v1/leads/erase", {{"emails", {" Quorra.Vexley@Erase-Me.example "}}, {"expectedCount", 2}});
    INFO(erased.text);
    REQUIRE(erased.status == 200);
    CHECK(erased.body["data"]["erasedLeads"] == 2);
    CHECK(erased.body["data"]["erased"]["auditEntries"].get<int>() >= 4);
    CHECK(erased.body["data"]["erased"]["idempotentReplies"] == 1);
    CHECK(erased.body["data"]["erased"]["membershipsKeptAnonymous"] == 1);
    CHECK(erased.text.find(kEmail) == std::string::npos);

    auto record = engine.send("GET", "/api/v1/receipts/" + erased.body["data"]["receiptId"].get<std::string>());
    CHECK(record.body["data"]["kind"] == "erasure");
    CHECK(record.body["data"]["restorable"] == false);
    CHECK(engine.send("GET", "/api/v1/leads/" + lead_id).status == 404);
    auto members = engine.send("GET", "/api/v1/campaigns/" + campaign);
    CHECK(members.body["data"]["leadCounts"]["total"] == 1);  // still counted, under an opaque id

    auto check = engine.send("GET", "/api/v1/suppressions/check?email=" + kEmail);
    CHECK(check.body["data"]["suppressed"] == true);
    CHECK(check.body["data"]["entry"]["hashed"] == true);
    CHECK(check.body["data"]["entry"]["value"].is_null());
    CHECK(engine.send("POST", "/api/v1/leads", {{"email", kEmail}}).status == 422);
    CHECK(engine.send("POST", "/api/v1/leads", {{"email", "new@erase-me.example"}, {"phoneNumber", kPhone}}).status == 422);
    auto lift = engine.send("DELETE", "/api/v1/suppressions/" + check.body["data"]["entry"]["id"].get<std::string>());
    CHECK(lift.status == 409);
    CHECK(engine.send("GET", "/api/v1/leads?search=Bystander").body["data"]["leads"].size() == 1);
  }
  const auto left = files_holding(folder, needles);
  CHECK(left == std::vector<std::string>{});
  {
    TestEngine reopened(folder);
    CHECK(reopened.send("POST", "/api/v1/leads", {{"email", kEmail}}, {}, key).status == 422);
  }
  CHECK(files_holding(folder, needles) == std::vector<std::string>{});
}

TEST_CASE("erasure requests are checked, and an email with no lead is still suppressed") {
  TestEngine engine;
  CHECK(engine.send("POST", "/api/v1/leads/erase", json::object()).status == 400);
  CHECK(engine.send("POST", "/api/v1/leads/erase", {{"emails", json::array()}}).status == 400);
  CHECK(engine.send("POST", "/api/v1/leads/erase", {{"emails", {"nope"}}}).status == 400);
  CHECK(engine.send("POST", "/api/v1/leads/erase", {{"emails", {"a@b.co"}}, {"leadIds", {"lead_1"}}}).status == 400);
  CHECK(engine.send("POST", "/api/v1/leads/lead_0000000000000001/erase").status == 404);
  auto unknown = engine.send("POST", "/api/v1/leads/erase", {{"emails", {"never@seen.example"}}});
  REQUIRE(unknown.status == 200);
  CHECK(unknown.body["data"]["erasedLeads"] == 0);
  CHECK(unknown.body["data"]["suppressedEmails"] == 1);
  CHECK(engine.send("POST", "/api/v1/leads", {{"email", "never@seen.example"}}).status == 422);
  auto ids = engine.send("POST", "/api/v1/leads/erase", {{"leadIds", {"lead_00000000000000ff", "other-system-id"}}});
  REQUIRE(ids.status == 200);
  CHECK(ids.body["data"]["notFoundIds"].size() == 2);
}
