#include "store/lead_selection.hpp"

#include "store/lead_visibility.hpp"

#include <nlohmann/json.hpp>

namespace leadline::store {
namespace {

// `%`, `_` and the escape itself are literal in a user's search text.
std::string like_pattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

}  // namespace

int SqlCondition::bind(Statement& stmt, int first_index) const {
  int index = first_index;
  for (const auto& parameter : parameters) {
    std::visit([&](const auto& value) { stmt.bind(index, value); }, parameter);
    ++index;
  }
  return index;
}

SqlCondition lead_filter_condition(std::int64_t workspace_id, const domain::LeadFilters& filters,
                                   TagMatch tag_match, const std::optional<std::vector<std::int64_t>>& within_campaigns) {
  SqlCondition condition;
  condition.sql = "l.workspace_id = ? AND " + lead_is_unmarked("l");
  condition.parameters.emplace_back(workspace_id);
  auto add = [&](const std::string& sql, auto value) {
    condition.sql += " AND " + sql;
    condition.parameters.emplace_back(std::move(value));
  };
  if (!filters.tags.empty()) {
    condition.sql += tag_match == TagMatch::CollectTagged
                         ? " AND l.id IN (SELECT lead_id FROM lead_tags WHERE workspace_id = ? AND tag IN "
                           "(SELECT value FROM json_each(?)))"
                         : " AND EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = l.id AND t.workspace_id = ? "
                           "AND t.tag IN (SELECT value FROM json_each(?)))";
    condition.parameters.emplace_back(workspace_id);
    condition.parameters.emplace_back(nlohmann::json(filters.tags).dump());
  }
  if (filters.search) {
    // Emails are stored lower-cased and LIKE ignores ASCII case, so "Acme" finds "acme".
    condition.sql +=
        " AND (l.email LIKE ? ESCAPE '\\' OR l.first_name LIKE ? ESCAPE '\\' OR l.last_name LIKE ? ESCAPE '\\'"
        " OR l.company_name LIKE ? ESCAPE '\\'"
        " OR (coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')) LIKE ? ESCAPE '\\')";
    const auto pattern = like_pattern(*filters.search);
    for (int use = 0; use < 5; ++use) condition.parameters.emplace_back(pattern);
  }
  if (!filters.statuses.empty()) add("l.status IN (SELECT value FROM json_each(?))", nlohmann::json(filters.statuses).dump());
  if (!filters.verification_statuses.empty())
    add("l.email_verification_status IN (SELECT value FROM json_each(?))",
        nlohmann::json(filters.verification_statuses).dump());
  if (!filters.countries.empty()) add("l.country IN (SELECT value FROM json_each(?))", nlohmann::json(filters.countries).dump());
  if (filters.lead_ids) add("l.id IN (SELECT value FROM json_each(?))", nlohmann::json(*filters.lead_ids).dump());
  if (filters.campaign_id) {
    condition.sql +=
        " AND l.id IN (SELECT cl.lead_id FROM campaign_leads cl JOIN campaigns c ON c.id = cl.campaign_id"
        " WHERE cl.campaign_id = ? AND c.workspace_id = ? AND cl.status <> 'removed')";
    condition.parameters.emplace_back(*filters.campaign_id);
    condition.parameters.emplace_back(workspace_id);
  }
  if (within_campaigns) {
    add("l.id IN (SELECT r.lead_id FROM campaign_leads r WHERE r.status <> 'removed' AND r.campaign_id IN "
        "(SELECT value FROM json_each(?)))",
        nlohmann::json(*within_campaigns).dump());
  }
  if (filters.created_after) add("l.created_at > ?", *filters.created_after);
  if (filters.created_before) add("l.created_at < ?", *filters.created_before);
  return condition;
}

}  // namespace leadline::store
