// The lead filters stay index-driven with deletes that mark: for every statement shape that
// reads leads by filter or identifier, the plan with the mark check is the plan without it plus
// one probe of `deleted_leads` by primary key (the anti-join of a walk, or the subquery of a single
// lead's lookup), and a selective filter never scans `leads`.
#include "store/database.hpp"
#include "store/lead_selection.hpp"
#include "store/lead_visibility.hpp"
#include "store/migrations.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using leadline::domain::LeadFilters;
using leadline::store::TagMatch;

// The plan's lines, with subquery numbers left out (one more subquery renumbers the rest).
std::vector<std::string> plan_of(leadline::store::Database& db, const std::string& sql) {
  auto stmt = db.prepare("EXPLAIN QUERY PLAN " + sql);
  REQUIRE(stmt.ok());
  std::vector<std::string> lines;
  while (stmt->step()) {
    auto line = stmt->text(3);
    if (const auto at = line.find("SUBQUERY "); at != std::string::npos) line.erase(at + 8);
    lines.push_back(std::move(line));
  }
  REQUIRE(stmt->status().ok());
  return lines;
}

std::string erase_all(std::string sql, const std::string& part) {
  for (auto at = sql.find(part); at != std::string::npos; at = sql.find(part)) sql.erase(at, part.size());
  return sql;
}

// The same statement without the mark: no join to it, no condition on it.
std::string without_mark_check(std::string sql) {
  using namespace leadline::store;
  sql = erase_all(sql, " AND " + lead_is_live());
  sql = erase_all(sql, " AND " + lead_is_unmarked("l"));
  const std::string join = live_leads("l");
  for (auto at = sql.find(join); at != std::string::npos; at = sql.find(join)) sql.replace(at, join.size(), "leads l");
  return sql;
}

bool is_mark_probe(const std::string& line) {
  return line == "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)" ||
         line == "SEARCH l_mark USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN";
}

bool scans_leads(const std::vector<std::string>& plan) {
  for (const auto& line : plan)
    if (line.rfind("SCAN l", 0) == 0 && line.find("USING") == std::string::npos) return true;
  return false;
}

struct Shape {
  const char* what;
  std::string sql;
  bool selective;  ///< must not scan the leads table
};

}  // namespace

TEST_CASE("lead filters keep their index plans with the mark check, which is one primary-key probe") {
  auto opened = leadline::store::Database::open(":memory:", {true, true, 1024});
  REQUIRE(opened.ok());
  auto& db = **opened;
  REQUIRE(leadline::store::migrate(db, leadline::store::Schema::Workspace).ok());

  const auto page = [](const LeadFilters& filters, TagMatch match) {
    // LeadStore::page's statement: newest first, one more than a page.
    return "SELECT l.id FROM " + leadline::store::live_leads("l") + " WHERE " +
           leadline::store::lead_filter_condition(1, filters, match).sql + " ORDER BY l.id DESC LIMIT 101";
  };
  LeadFilters tags, statuses, campaign, ids, created, everything;
  tags.tags = {"vip"};
  statuses.statuses = {"new"};
  campaign.campaign_id = 7;
  ids.lead_ids = std::vector<std::int64_t>{1, 2};
  created.created_after = 0;
  const auto live = leadline::store::lead_is_live();
  const std::vector<Shape> shapes{
      {"a lead by id", "SELECT l.id FROM leads l WHERE l.id = 1 AND l.workspace_id = 1 AND " + live, true},
      {"by email", "SELECT l.id FROM leads l WHERE l.workspace_id = 1 AND l.email = 'a' AND " + live, true},
      {"by externalId", "SELECT l.id FROM leads l WHERE l.workspace_id = 1 AND l.external_id = 'a' AND " + live, true},
      {"tags, collected", page(tags, TagMatch::CollectTagged), true},
      {"tags, checked per lead", page(tags, TagMatch::CheckEachLead), false},
      {"statuses", page(statuses, TagMatch::CollectTagged), true},
      {"campaign members", page(campaign, TagMatch::CollectTagged), true},
      {"lead ids", page(ids, TagMatch::CollectTagged), true},
      {"created after", page(created, TagMatch::CollectTagged), false},
      {"no filter", page(everything, TagMatch::CollectTagged), false},
  };
  for (const auto& shape : shapes) {
    INFO(shape.what << ": " << shape.sql);
    const auto with = plan_of(db, shape.sql);
    const auto before = plan_of(db, without_mark_check(shape.sql));
    std::vector<std::string> leads_lines;
    int probes = 0;
    for (const auto& line : with) {
      if (line.find("deleted_leads") != std::string::npos || line.rfind("SEARCH d ", 0) == 0 ||
          line.rfind("SEARCH l_mark", 0) == 0) {
        CHECK(is_mark_probe(line));
        ++probes;
      } else if (line.find("CORRELATED SCALAR SUBQUERY") == std::string::npos &&
                 line.find("CORRELATED") == std::string::npos) {
        leads_lines.push_back(line);
      }
    }
    CHECK(probes == 1);
    std::vector<std::string> before_lines;
    for (const auto& line : before)
      if (line.find("CORRELATED") == std::string::npos) before_lines.push_back(line);
    CHECK(leads_lines == before_lines);
    if (shape.selective) CHECK_FALSE(scans_leads(with));
  }
}
