// Deletes that mark: a delete with an undo leaves the lead rows in place, marked with the
// receipt, and every read path hides them; a restore takes the marks off; the background purge
// erases what expired receipts keep, a bounded slice at a time. Through Engine::handle and
// Engine::work, with the database file read beside the engine to see what is really stored.
#include "api_helpers.hpp"

#include "store/database.hpp"
#include "store/lead_selection.hpp"
#include "store/migrations.hpp"
#include "store/receipt_purge.hpp"


using leadline::testing::beside_the_file;
using leadline::testing::create_campaign;
using leadline::testing::count_rows;
using leadline::testing::create_lead;
using leadline::testing::json;
using leadline::testing::TestEngine;

namespace {

constexpr std::int64_t kWeekMs = 7LL * 24 * 60 * 60 * 1000;

std::vector<std::string> ids_of(const json& leads) {
  std::vector<std::string> ids;
  for (const auto& lead : leads) ids.push_back(lead.contains("leadId") ? lead["leadId"] : lead["id"]);
  return ids;
}

// Runs background work until the engine has none left now; returns how many slices ran.
int work_until_idle(TestEngine& engine, leadline::WorkSlice* last = nullptr) {
  int slices = 0;
  for (;;) {
    auto slice = engine.engine->work();
    if (!slice.more) {
      if (last) *last = slice;
      return slices;
    }
    ++slices;
    REQUIRE(slices < 10000);
  }
}

}  // namespace

TEST_CASE("a delete marks its leads: the rows stay, no read path sees them, their email is free at once") {
  const auto folder = leadline::testing::fresh_folder("leadline-marks-test");
  TestEngine engine(folder, beside_the_file());
  const auto file = engine.workspace_file();
  const auto gone = create_lead(engine, {{"email", "gone@example.com"}, {"externalId", "crm-gone"},
                                         {"phoneNumber", "+14155550100"}, {"tags", {"vip"}}, {"status", "contacted"}});
  const auto other = create_lead(engine, {{"email", "other@example.com"}, {"tags", {"vip"}}, {"status", "contacted"}});
  const auto kept = create_lead(engine, {{"email", "kept@example.com"}, {"tags", {"vip"}}, {"status", "contacted"}});
  const auto draft = create_campaign(engine, "Draft", {gone, kept});
  const auto active = create_campaign(engine, "Active", {gone, other}, "START");

  auto deleted = engine.send("DELETE", "/api/v1/leads", {{"leadIds", {gone, other}}, {"force", true}});
  REQUIRE(deleted.status == 200);
  REQUIRE(deleted.body["data"]["deletedCount"] == 2);
  const std::string receipt = deleted.body["data"]["receiptId"];

  // Stored: both rows and their tags are still there, marked; the receipt copied no lead rows.
  CHECK(count_rows(file, "SELECT count(*) FROM leads") == 3);
  CHECK(count_rows(file, "SELECT count(*) FROM lead_tags") == 3);
  CHECK(count_rows(file, "SELECT count(*) FROM deleted_leads") == 2);
  CHECK(count_rows(file, "SELECT count(*) FROM receipt_rows WHERE table_name IN ('leads', 'lead_tags')") == 0);

  // Seen: nowhere.
  const std::vector<std::string> only_kept{kept};
  CHECK(engine.send("GET", "/api/v1/leads/" + gone).status == 404);
  CHECK(engine.send("PATCH", "/api/v1/leads/" + gone, {{"firstName", "Ghost"}}).status == 404);
  CHECK(engine.send("DELETE", "/api/v1/leads/" + gone).status == 404);
  for (const auto* query : {"", "?tags=vip", "?status=contacted", "?search=example.com", "?search=gone"}) {
    INFO(query);
    auto listed = engine.send("GET", std::string("/api/v1/leads") + query);
    REQUIRE(listed.status == 200);
    CHECK(ids_of(listed.body["data"]["leads"]) == (std::string(query) == "?search=gone" ? std::vector<std::string>{} : only_kept));
  }
  CHECK(ids_of(engine.send("GET", "/api/v1/leads/export").body["data"]["leads"]) == only_kept);
  CHECK(engine.send("GET", "/api/v1/leads/export?format=csv").text.find("gone@example.com") == std::string::npos);
  CHECK(engine.send("GET", "/api/v1/leads?campaignId=" + active).body["data"]["leads"].empty());
  auto members = engine.send("GET", "/api/v1/campaigns/" + active + "/leads").body["data"]["leads"];
  REQUIRE(members.size() == 2);
  for (const auto& row : members) {
    CHECK(row["status"] == "removed");  // the active campaign's history, without the lead
    CHECK(row["lead"].is_null());
  }
  CHECK(ids_of(engine.send("GET", "/api/v1/campaigns/" + draft + "/leads").body["data"]["leads"]) == only_kept);
  CHECK(engine.send("GET", "/api/v1/campaigns/" + draft).body["data"]["leadCounts"]["pending"] == 1);
  CHECK(engine.send("GET", "/api/v1/campaigns/" + draft + "/leads-export").text.find("gone@") == std::string::npos);
  const auto fresh = create_campaign(engine, "Fresh", {});
  auto added = engine.send("POST", "/api/v1/campaigns/" + fresh + "/leads", {{"filters", {{"tags", {"vip"}}}}});
  CHECK(added.body["data"]["added"] == 1);
  CHECK(engine.send("POST", "/api/v1/campaigns/" + fresh + "/leads", {{"leads", {{{"leadId", gone}}}}}).body["data"]["added"] == 0);
  auto bulk = engine.send("POST", "/api/v1/leads/bulk-delete", {{"campaignId", active}, {"leads", {{{"externalId", "crm-gone"}}}}});
  CHECK(bulk.body["data"]["notFound"] == 1);
  auto again = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"vip"}}}}, {"dryRun", true}});
  CHECK(again.body["data"]["deletedCount"] == 1);

  // The address and the externalId are free at once; the restore reports the clash.
  const auto newcomer = create_lead(engine, {{"email", "gone@example.com"}, {"externalId", "crm-gone"}});
  auto restored = engine.send("POST", "/api/v1/receipts/" + receipt + "/restore");
  REQUIRE(restored.status == 200);
  CHECK(restored.body["data"]["restored"]["leads"] == 1);
  CHECK(restored.body["data"]["skipped"]["leads"] == 1);
  REQUIRE(restored.body["data"]["conflicts"].size() == 1);
  CHECK(restored.body["data"]["conflicts"][0]["leadId"] == gone);
  CHECK(restored.body["data"]["conflicts"][0]["existingLeadId"] == newcomer);
  CHECK(engine.send("GET", "/api/v1/leads/" + other).status == 200);
  CHECK(engine.send("GET", "/api/v1/leads/" + gone).status == 404);
  CHECK(count_rows(file, "SELECT count(*) FROM deleted_leads") == 1);  // the skipped one waits for the purge

  // After the retention window the purge erases the skipped lead for good.
  engine.now_ms += kWeekMs + 1;
  CHECK(engine.send("GET", "/api/v1/receipts/" + receipt).status == 404);  // expired: gone for clients at once
  CHECK(work_until_idle(engine) >= 1);
  CHECK(count_rows(file, "SELECT count(*) FROM leads") == 3);  // kept, other and the newcomer
  CHECK(count_rows(file, "SELECT count(*) FROM deleted_leads") == 0);
  CHECK(count_rows(file, "SELECT count(*) FROM receipts") == 0);
  CHECK(count_rows(file, "SELECT count(*) FROM receipt_rows") == 0);
  CHECK(count_rows(file, "SELECT count(*) FROM lead_tags") == 2);
}

TEST_CASE("the purge erases expired receipts a bounded slice at a time and says when it is next due") {
  const auto folder = leadline::testing::fresh_folder("leadline-purge-test");
  TestEngine engine(folder, beside_the_file());
  const auto file = engine.workspace_file();
  json leads = json::array();
  for (int i = 0; i < 1200; ++i) leads.push_back({{"email", "p" + std::to_string(i) + "@example.com"}, {"tags", {"old", "x"}}});
  REQUIRE(engine.send("POST", "/api/v1/leads", {{"leads", leads}}).status == 201);
  const auto draft = create_campaign(engine, "Draft", {});
  REQUIRE(engine.send("POST", "/api/v1/campaigns/" + draft + "/leads", {{"selectAll", true}}).body["data"]["added"] == 1200);
  const auto created_at = engine.now_ms;
  auto deleted = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"old"}}}}});
  REQUIRE(deleted.status == 200);
  REQUIRE(deleted.body["data"]["deletedCount"] == 1200);
  const auto copied = count_rows(file, "SELECT count(*) FROM receipt_rows");
  CHECK(copied == 1200);  // the draft memberships, copied; the leads are marked, not copied

  // Before expiry nothing is due; the engine names the moment it will be.
  engine.now_ms += 1000;
  leadline::WorkSlice idle;
  CHECK(work_until_idle(engine, &idle) == 0);
  CHECK(idle.wake_in_ms == created_at + kWeekMs - engine.now_ms);
  CHECK(count_rows(file, "SELECT count(*) FROM leads") == 1200);

  engine.now_ms = created_at + kWeekMs;
  std::vector<std::int64_t> leads_left{1200};
  int slices = 0;
  for (;;) {
    auto slice = engine.engine->work();
    if (!slice.more) {
      CHECK(slice.wake_in_ms == -1);  // nothing left to wait for
      break;
    }
    ++slices;
    const auto left = count_rows(file, "SELECT count(*) FROM leads");
    CHECK(leads_left.back() - left <= 500);  // one slice's bound
    leads_left.push_back(left);
  }
  CHECK(leads_left.back() == 0);
  CHECK(slices >= 3 + 3 + 1);  // 1,200 leads, then 1,200 copied rows, at most 500 a slice; then the receipt
  CHECK(count_rows(file, "SELECT count(*) FROM lead_tags") == 0);
  CHECK(count_rows(file, "SELECT count(*) FROM receipt_rows") == 0);
  CHECK(count_rows(file, "SELECT count(*) FROM receipts") == 0);
  CHECK(engine.lead_count() == 0);
  CHECK(engine.send("GET", "/api/v1/campaigns/" + draft).body["data"]["leadCounts"]["pending"] == 0);
}

TEST_CASE("restoring a marked delete gives back exactly what was there, memberships and tags included") {
  TestEngine engine;
  std::vector<std::string> leads;
  for (int i = 0; i < 6; ++i)
    leads.push_back(create_lead(engine, {{"email", "r" + std::to_string(i) + "@example.com"}, {"tags", {"t" + std::to_string(i % 2)}}}));
  const auto active = create_campaign(engine, "Active", {leads[0], leads[1]}, "START");
  const auto draft = create_campaign(engine, "Draft", {leads[2], leads[3]});
  const auto before = engine.send("GET", "/api/v1/leads/export").body;
  const auto active_before = engine.send("GET", "/api/v1/campaigns/" + active + "/leads").body["data"]["leads"];
  const auto draft_before = engine.send("GET", "/api/v1/campaigns/" + draft + "/leads").body["data"]["leads"];

  auto deleted = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"force", true}});
  REQUIRE(deleted.body["data"]["deletedCount"] == 6);
  CHECK(engine.lead_count() == 0);
  auto restored = engine.send("POST", "/api/v1/receipts/" + deleted.body["data"]["receiptId"].get<std::string>() + "/restore");
  REQUIRE(restored.status == 200);
  CHECK(restored.body["data"]["restored"] == json({{"leads", 6}, {"leadMemberships", 4}}));
  CHECK(engine.send("GET", "/api/v1/leads/export").body == before);
  CHECK(engine.send("GET", "/api/v1/campaigns/" + active + "/leads").body["data"]["leads"] == active_before);
  CHECK(engine.send("GET", "/api/v1/campaigns/" + draft + "/leads").body["data"]["leads"] == draft_before);
  CHECK(ids_of(engine.send("GET", "/api/v1/leads?tags=t1").body["data"]["leads"]).size() == 3);
}

TEST_CASE("email and externalId stay unique among the leads no delete has marked") {
  const auto folder = leadline::testing::fresh_folder("leadline-unique-test");
  TestEngine engine(folder, beside_the_file());
  const auto first = create_lead(engine, {{"email", "a@x.com"}, {"externalId", "crm-1"}});
  const auto second = create_lead(engine, {{"email", "b@x.com"}, {"externalId", "crm-2"}});
  struct Case {
    const char* what;
    json body;
    int status;
  };
  // Through the API, before and after the first lead is deleted.
  const Case while_held[] = {
      {"the same email", {{"email", "a@x.com"}}, 409},
      {"the same externalId", {{"email", "c@x.com"}, {"externalId", "crm-1"}}, 409},
  };
  for (const auto& c : while_held) {
    INFO(c.what);
    CHECK(engine.send("POST", "/api/v1/leads", c.body).status == c.status);
  }
  CHECK(engine.send("PATCH", "/api/v1/leads/" + second, {{"email", "a@x.com"}}).status == 409);
  REQUIRE(engine.send("DELETE", "/api/v1/leads/" + first).status == 200);
  const auto newcomer = create_lead(engine, {{"email", "a@x.com"}, {"externalId", "crm-1"}});
  CHECK(engine.send("PATCH", "/api/v1/leads/" + second, {{"externalId", "crm-1"}}).status == 409);
  CHECK(engine.admin({{"command", "check-integrity"}}).body["data"]["duplicateLeadIdentifiers"] == 0);

  // In the schema: an update to a held address is refused whatever path it comes by; an insert
  // past the store's check is what check-integrity reports.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(engine.workspace_file().c_str(), &db) == SQLITE_OK);
  const auto run = [&](const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr); };
  const auto id_of = [](const std::string& lead) { return std::to_string(std::stoll(lead.substr(5), nullptr, 16)); };
  CHECK(run("UPDATE leads SET email = 'a@x.com' WHERE id = " + id_of(second)) == SQLITE_CONSTRAINT);
  CHECK(run("UPDATE leads SET external_id = 'crm-1' WHERE id = " + id_of(second)) == SQLITE_CONSTRAINT);
  CHECK(run("UPDATE leads SET email = 'a@x.com' WHERE id = " + id_of(first)) == SQLITE_OK);  // marked: no holder
  CHECK(run("UPDATE leads SET email = 'b@x.com', external_id = 'crm-9' WHERE id = " + id_of(newcomer)) == SQLITE_CONSTRAINT);
  CHECK(run("INSERT INTO leads (id, workspace_id, email, status, email_verification_status, created_at, updated_at) "
            "SELECT 7, workspace_id, 'b@x.com', 'new', 'unverified', 0, 0 FROM leads WHERE id = " + id_of(second)) == SQLITE_OK);
  // A receipt cannot be removed while it still marks leads: the purge erases them first.
  CHECK(run("DELETE FROM receipts") == SQLITE_CONSTRAINT);
  sqlite3_close(db);
  auto checked = engine.admin({{"command", "check-integrity"}});
  CHECK(checked.body["data"]["duplicateLeadIdentifiers"] == 1);
  CHECK(checked.body["data"]["ok"] == false);
}

TEST_CASE("a receipt whose delete job is still running waits for the job before it is purged") {
  const auto folder = leadline::testing::fresh_folder("leadline-purge-job-test");
  auto options = beside_the_file();
  options.receipt_retention_ms = 1000;
  TestEngine engine(folder, options);
  json leads = json::array();
  for (int i = 0; i < 10001; ++i) leads.push_back({{"externalId", "j" + std::to_string(i)}, {"tags", {"gone"}}});
  for (std::size_t start = 0; start < leads.size(); start += 5000) {
    json batch(leads.begin() + static_cast<long>(start), leads.begin() + static_cast<long>(std::min(start + 5000, leads.size())));
    REQUIRE(engine.send("POST", "/api/v1/leads", {{"leads", batch}}).status == 201);
  }
  auto queued = engine.send("DELETE", "/api/v1/leads", {{"deleteAll", true}, {"filters", {{"tags", {"gone"}}}}});
  REQUIRE(queued.status == 202);
  const std::string job_id = queued.body["data"]["job"]["id"];
  REQUIRE(engine.engine->work().more);  // one slice marks 5,000
  engine.now_ms += 5000;                // the receipt expires while its job is unfinished

  // The store's purge, on the file beside the engine: nothing of that receipt may go yet.
  {
    auto opened = leadline::store::Database::open(engine.workspace_file(), {false, false, 1024});
    REQUIRE(opened.ok());
    auto slice = leadline::store::purge_expired_slice(**opened, engine.now_ms, 500, 25, [] { return false; });
    REQUIRE(slice.ok());
    CHECK(slice->leads == 0);
    CHECK(slice->receipts == 0);
    CHECK(count_rows(engine.workspace_file(), "SELECT count(*) FROM deleted_leads") == 5000);
  }
  CHECK(work_until_idle(engine) >= 2);
  auto job = engine.send("GET", "/api/v1/jobs/" + job_id);
  CHECK(job.body["data"]["status"] == "succeeded");
  CHECK(job.body["data"]["result"]["deleted"] == 10001);
  CHECK(count_rows(engine.workspace_file(), "SELECT count(*) FROM deleted_leads") == 0);
  CHECK(count_rows(engine.workspace_file(), "SELECT count(*) FROM receipts") == 0);
}
