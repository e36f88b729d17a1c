#include "validation/request_controls.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

// Large enough for any real selection, small enough to stay exact in every JSON reader.
constexpr std::int64_t kMaxExpectedCount = 1'000'000'000'000;

struct ControlName {
  const char* name;
  unsigned set;
};
constexpr ControlName kControls[] = {
    {"dryRun", kPreviewControls}, {"expectedCount", kPreviewControls}, {"purge", kPurgeControl}};

std::optional<json> query_control(const std::string& name, const std::string& text, Problems& problems) {
  if (name != "expectedCount") {
    if (text == "true") return json(true);
    if (text == "false") return json(false);
    problems.add(name, "must be true or false");
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    problems.add(name, "must be a whole number from 0 to " + std::to_string(kMaxExpectedCount));
    return std::nullopt;
  }
  return json(value);
}

void apply(RequestControls& controls, const std::string& name, const json& value, Problems& problems) {
  if (name == "expectedCount") {
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > kMaxExpectedCount) {
      problems.add(name, "must be a whole number from 0 to " + std::to_string(kMaxExpectedCount));
      return;
    }
    controls.expected_count = value.get<std::int64_t>();
    return;
  }
  if (!value.is_boolean()) {
    problems.add(name, "must be true or false");
    return;
  }
  (name == "dryRun" ? controls.dry_run : controls.purge) = value.get<bool>();
}

}  // namespace

const std::vector<std::string_view>& control_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (const auto& control : kControls) all.emplace_back(control.name);
    return all;
  }();
  return names;
}

Result<RequestControls> take_request_controls(QueryParams& query, json* body, unsigned accepted) {
  Problems problems;
  RequestControls controls;
  for (const auto& control : kControls) {
    const std::string name = control.name;
    std::optional<json> from_query;
    if (auto text = query_value(query, name)) from_query = query_control(name, *text, problems);
    const bool in_query = std::any_of(query.begin(), query.end(), [&](const auto& p) { return p.first == name; });
    const bool in_body = body && body->is_object() && body->contains(name);
    if (!in_query && !in_body) continue;
    if ((accepted & control.set) == 0) {
      problems.add(name, "not supported by this endpoint");
      continue;
    }
    std::optional<json> value = from_query;
    if (in_body) {
      json from_body = (*body)[name];
      body->erase(name);
      if (value && *value != from_body) {
        problems.add(name, "given in both the query and the body with different values");
        continue;
      }
      value = std::move(from_body);
    }
    query.erase(std::remove_if(query.begin(), query.end(), [&](const auto& p) { return p.first == name; }),
                query.end());
    if (value) apply(controls, name, *value, problems);
  }
  if (!problems.empty()) return problems.to_error();
  return controls;
}

}  // namespace leadline::validation
