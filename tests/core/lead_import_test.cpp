// CSV import as a background job: the reader, the request checks, slices, progress, cancel.
#include "engine_harness.hpp"
#include "validation/csv_reader.hpp"
#include "validation/lead_import_input.hpp"

using leadline::testing::json;
using leadline::testing::TestEngine;
using leadline::validation::CsvReader;

namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::vector<std::string>> rows;
  for (;;) {
    auto row = reader.next();
    REQUIRE(row.ok());
    if (!*row) return rows;
    rows.push_back(**row);
  }
}

std::string csv_of(int rows, int first = 0) {
  std::string csv = "Email,First Name,Tags\r\n";
  for (int i = first; i < first + rows; ++i) csv += "row" + std::to_string(i) + "@example.com,Name " + std::to_string(i) + ",\"a,b\"\r\n";
  return csv;
}

json run_jobs(TestEngine& engine, const std::string& job_id) {
  int slices = 0;
  while (engine.engine->work().more) REQUIRE(++slices < 1000);
  return engine.send("GET", "/api/v1/jobs/" + job_id).body["data"];
}

}  // namespace

TEST_CASE("CSV reader: RFC 4180 quoting, CRLF, BOM, blank lines, errors with their line") {
  CHECK(read_all("a,b\r\n1,2\n") == std::vector<std::vector<std::string>>{{"a", "b"}, {"1", "2"}});
  CHECK(read_all("\xEF\xBB\xBFx\n\n\ny") == std::vector<std::vector<std::string>>{{"x"}, {"y"}});
  CHECK(read_all("\"a,1\",\"say \"\"hi\"\"\",\"two\nlines\",\n") ==
        std::vector<std::vector<std::string>>{{"a,1", "say \"hi\"", "two\nlines", ""}});
  const std::vector<std::pair<std::string, std::string>> bad{
      {"a\n\"open", "csv: line 2: a quoted field is never closed"},
      {"\"a\"b", "csv: line 1: unexpected text after a closing quote"},
      {"a\nb\"c", "csv: line 2: a quote inside an unquoted field (quote the whole field)"},
  };
  for (const auto& [text, message] : bad) {
    CsvReader reader(text);
    auto row = reader.next();
    while (row.ok() && *row) row = reader.next();
    REQUIRE_FALSE(row.ok());
    CHECK(row.error().message == message);
  }
}

TEST_CASE("POST /leads/import refuses a bad file or mapping before any job exists") {
  TestEngine engine;
  const std::vector<std::pair<json, std::string>> cases{
      {{{"mapping", json::object()}}, "csv: is required: the CSV text, header row first"},
      {{{"csv", ""}}, "csv: is empty: a header row is required"},
      {{{"csv", "email\n"}}, "csv: has a header but no data rows"},
      {{{"csv", "name\nx\n"}}, "mapping: no column maps to email, phoneNumber or externalId (headers: name)"},
      {{{"csv", "E\nx@example.com\n"}, {"mapping", {{"mail", "E"}}}}, "mapping.mail: unknown lead field; allowed: email, firstName, lastName, companyName, jobTitle, phoneNumber, externalId, country, status, emailVerificationStatus, tags"},
      {{{"csv", "E\nx@example.com\n"}, {"mapping", {{"email", "Mail"}}}}, "mapping.email: no CSV column is named \"Mail\""},
      {{{"csv", "email\n\"x@example.com\n"}}, "csv: line 2: a quoted field is never closed"},
      {{{"csv", "email\nx@example.com\n"}, {"dedupe", true}}, "dedupe: unknown field; allowed: csv, mapping, tags, onDuplicate"},
  };
  for (const auto& [body, message] : cases) {
    INFO(body.dump());
    auto reply = engine.send("POST", "/api/v1/leads/import", body);
    CHECK(reply.status == 400);
    CHECK(reply.body["error"]["message"] == message);
  }
  CHECK(engine.send("GET", "/api/v1/jobs").body["data"]["jobs"].empty());
  CHECK_FALSE(engine.engine->work().more);
}

TEST_CASE("an import runs in slices: progress, dedupe, per-row errors, mapping, tags") {
  TestEngine engine;
  REQUIRE(engine.send("POST", "/api/v1/leads", {{"email", "row7@example.com"}}).status == 201);
  std::string csv = csv_of(4500);
  csv += "not-an-email,Bad,\r\n";
  csv += "row1@example.com,Again,\r\n";  // a duplicate of an earlier row
  csv += "short\r\n";
  auto queued = engine.send("POST", "/api/v1/leads/import", {{"csv", csv}, {"tags", {"imported"}}});
  REQUIRE(queued.status == 202);
  CHECK(queued.headers["location"] == "/api/v1/jobs/" + queued.body["data"]["id"].get<std::string>());
  const std::string job_id = queued.body["data"]["id"];
  CHECK(queued.body["data"]["status"] == "queued");
  CHECK(queued.body["data"]["total"] == 4503);

  REQUIRE(engine.engine->work().more);
  auto partway = engine.send("GET", "/api/v1/jobs/" + job_id).body["data"];
  CHECK(partway["status"] == "running");
  CHECK(partway["processed"] == 2000);
  CHECK(engine.lead_count() == 2000);  // row7 was there already; 1999 new + 1

  auto done = run_jobs(engine, job_id);
  CHECK(done["status"] == "succeeded");
  CHECK(done["processed"] == 4503);
  CHECK(done["progress"] == 1.0);
  CHECK(done["result"]["created"] == 4499);
  CHECK(done["result"]["skipped"] == 2);
  CHECK(done["result"]["failed"] == 2);
  REQUIRE(done["result"]["errors"].size() == 2);
  CHECK(done["result"]["errors"][0]["row"] == 4501);
  CHECK(done["result"]["errors"][0]["line"] == 4502);
  CHECK(done["result"]["errors"][0]["message"].get<std::string>().rfind("email:", 0) == 0);
  CHECK(done["result"]["errors"][1]["message"] == "has 1 cells; the header has 3");
  auto lead = engine.send("GET", "/api/v1/leads?search=row42@example.com").body["data"]["leads"][0];
  CHECK(lead["firstName"] == "Name 42");
  CHECK(lead["tags"] == json({"imported", "a", "b"}));
  CHECK(engine.send("POST", "/api/v1/jobs/" + job_id + "/cancel").status == 409);
}

TEST_CASE("cancelling an import stops it after the slice in progress") {
  TestEngine engine;
  auto queued = engine.send("POST", "/api/v1/leads/import", {{"csv", csv_of(6000)}});
  REQUIRE(queued.status == 202);
  const std::string job_id = queued.body["data"]["id"];
  REQUIRE(engine.engine->work().more);
  auto cancelled = engine.send("POST", "/api/v1/jobs/" + job_id + "/cancel");
  REQUIRE(cancelled.status == 200);
  CHECK(cancelled.body["data"]["status"] == "cancelled");
  CHECK_FALSE(engine.engine->work().more);
  auto job = engine.send("GET", "/api/v1/jobs/" + job_id).body["data"];
  CHECK(job["processed"] == 2000);
  CHECK(job["result"]["created"] == 2000);
  CHECK(engine.lead_count() == 2000);
  CHECK(engine.send("GET", "/api/v1/jobs/job_0000000000000001").status == 404);
}

TEST_CASE("a filter delete above 10,000 leads runs as a job into one receipt, and restores") {
  TestEngine engine;
  for (int batch = 0; batch < 3; ++batch) {
    json leads = json::array();
    for (int i = 0; i < 3500; ++i)
      leads.push_back({{"email", "big" + std::to_string(batch * 3500 + i) + "@example.com"}, {"tags", {"big"}}});
    REQUIRE(engine.send("POST", "/api/v1/leads", {{"leads", leads}}).status == 201);
  }
  REQUIRE(engine.send("POST", "/api/v1/leads", {{"email", "keep@example.com"}}).status == 201);
  const json body{{"deleteAll", true}, {"filters", {{"tags", {"big"}}}}};

  auto guarded = engine.send("DELETE", "/api/v1/leads?expectedCount=10000", body);
  CHECK(guarded.status == 409);
  CHECK(guarded.body["error"]["actualCount"] == 10500);
  CHECK_FALSE(engine.engine->work().more);

  auto preview = engine.send("DELETE", "/api/v1/leads?dryRun=true", body);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["data"]["deletedCount"] == 10500);

  auto queued = engine.send("DELETE", "/api/v1/leads?expectedCount=10500", body);
  REQUIRE(queued.status == 202);
  CHECK(queued.body["data"]["matchedCount"] == 10500);
  const std::string job_id = queued.body["data"]["job"]["id"];
  const std::string receipt = queued.body["data"]["receiptId"];
  CHECK(queued.headers["location"] == "/api/v1/jobs/" + job_id);
  REQUIRE(engine.engine->work().more);
  CHECK(engine.lead_count() == 10501 - 5000);
  CHECK(engine.send("POST", "/api/v1/receipts/" + receipt + "/restore").status == 409);  // still running

  auto done = run_jobs(engine, job_id);
  CHECK(done["status"] == "succeeded");
  CHECK(done["result"]["deleted"] == 10500);
  CHECK(engine.lead_count() == 1);
  CHECK(engine.send("GET", "/api/v1/receipts/" + receipt).body["data"]["summary"]["leads"] == 10500);

  auto restored = engine.send("POST", "/api/v1/receipts/" + receipt + "/restore");
  REQUIRE(restored.status == 200);
  CHECK(restored.body["data"]["restored"]["leads"] == 10500);
  CHECK(engine.lead_count() == 10501);
}

TEST_CASE("CSV headers of CRM and outreach exports map to lead fields (tests/fixtures/import_headers.json)") {
  const auto fixture = leadline::testing::read_fixture("import_headers.json");
  for (const auto& row : fixture["cases"]) {
    INFO(row["name"].get<std::string>());
    std::string csv;
    for (const auto& header : row["headers"]) csv += (csv.empty() ? "" : ",") + header.get<std::string>();
    csv += "\nx";
    auto plan = leadline::validation::decode_lead_import_body({{"csv", csv}});
    if (row.contains("error")) {
      REQUIRE_FALSE(plan);
      CHECK(plan.error().message.find(row["error"].get<std::string>()) != std::string::npos);
      continue;
    }
    REQUIRE(plan);
    nlohmann::json mapped = nlohmann::json::object();
    std::vector<std::string> headers = row["headers"];
    for (const auto& [field, index] : plan->columns) mapped[field] = headers[index];
    CHECK(mapped == row["mapped"]);
    CHECK(nlohmann::json(plan->ignored_columns) == row["ignored"]);
  }
}

TEST_CASE("an import dry run shows the column mapping and the first rows as they would be stored, and queues nothing") {
  leadline::testing::TestEngine engine;
  auto preview = engine.send("POST", "/api/v1/leads/import",
                             {{"csv", "E-mail,Company,Notes\r\nAna@Example.com,Acme,x\r\nnot-an-email,Globex,y\r\n"}, {"dryRun", true}});
  INFO(preview.text);
  REQUIRE(preview.status == 200);
  const auto& data = preview.body["data"];
  CHECK(data["dryRun"] == true);
  CHECK(data["total"] == 2);
  CHECK(data["columns"] == leadline::testing::json::array({"E-mail", "Company", "Notes"}));
  CHECK(data["mappedColumns"] == leadline::testing::json{{"email", "E-mail"}, {"companyName", "Company"}});
  CHECK(data["ignoredColumns"] == leadline::testing::json::array({"Notes"}));
  const auto& rows = data["preview"]["rows"];
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["lead"]["email"] == "ana@example.com");  // normalised as it would be stored
  CHECK(rows[0]["lead"]["companyName"] == "Acme");
  CHECK_FALSE(rows[0]["lead"].contains("id"));
  CHECK(rows[1].contains("error"));
  CHECK(engine.send("GET", "/api/v1/jobs").body["data"]["jobs"].empty());
}

TEST_CASE("job-counts reports every job status of the engine's workspaces, zeros included") {
  TestEngine engine;
  auto before = engine.admin({{"command", "job-counts"}});
  REQUIRE(before.status == 200);
  CHECK(before.body["data"]["jobs"] == json{{"queued", 0}, {"running", 0}, {"succeeded", 0}, {"cancelled", 0}, {"failed", 0}});
  auto queued = engine.send("POST", "/api/v1/leads/import", {{"csv", csv_of(2500)}});
  REQUIRE(queued.status == 202);
  CHECK(engine.admin({{"command", "job-counts"}}).body["data"]["jobs"]["queued"] == 1);
  REQUIRE(engine.engine->work().more);
  CHECK(engine.admin({{"command", "job-counts"}}).body["data"]["jobs"]["running"] == 1);
  CHECK(run_jobs(engine, queued.body["data"]["id"])["status"] == "succeeded");
  auto after = engine.admin({{"command", "job-counts"}}).body["data"]["jobs"];
  CHECK(after["succeeded"] == 1);
  CHECK(after["running"] == 0);
  CHECK(engine.admin({{"command", "job-counts"}, {"workspaceId", engine.workspace_id}}).status == 400);  // takes no arguments
}
