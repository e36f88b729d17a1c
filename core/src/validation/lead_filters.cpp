#include "validation/lead_filters.hpp"

#include "domain/vocabulary.hpp"

#include "leadline/ids.hpp"
#include "leadline/time_format.hpp"
#include "validation/lead_input.hpp"
#include "validation/limits.hpp"
#include "validation/normalise.hpp"

#include <algorithm>
#include <functional>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

// Reads a string or an array of strings into a list; records problems.
std::optional<std::vector<std::string>> read_string_list(const json& value, const std::string& field,
                                                         Problems& problems) {
  std::vector<std::string> items;
  if (value.is_string()) {
    items.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    if (value.size() > kMaxFilterValues) {
      problems.add(field, "must list at most " + std::to_string(kMaxFilterValues) + " values");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) {
        problems.add(index_path(field, i), "must be a string");
        return std::nullopt;
      }
      items.push_back(value[i].get<std::string>());
    }
  } else {
    problems.add(field, "must be a string or an array of strings");
    return std::nullopt;
  }
  if (items.empty()) {
    problems.add(field, "must list at least one value");
    return std::nullopt;
  }
  for (const auto& item : items) {
    if (!is_clean_text(item)) {
      problems.add(field, "must be valid UTF-8 text without control characters");
      return std::nullopt;
    }
  }
  return items;
}

std::optional<std::string> read_string(const json& value, const std::string& field, Problems& problems) {
  if (!value.is_string()) {
    problems.add(field, "must be a string");
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  if (!is_clean_text(text)) {
    problems.add(field, "must be valid UTF-8 text without control characters");
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> read_timestamp(const json& value, const std::string& field, Problems& problems) {
  auto text = read_string(value, field, problems);
  if (!text) return std::nullopt;
  auto ms = parse_timestamp(*text);
  if (!ms) problems.add(field, "must be an ISO 8601 date or timestamp, e.g. 2024-01-16T15:45:00.000Z");
  return ms;
}

// Checks each value of a list against a rule; normalises in place.
void check_each(std::vector<std::string>& values, const std::string& field, Problems& problems,
                const std::function<std::optional<std::string>(const std::string&)>& normalise,
                const std::string& problem) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto normalised = normalise(values[i]);
    if (!normalised) {
      problems.add(index_path(field, i), problem);
      return;
    }
    values[i] = std::move(*normalised);
  }
}

std::optional<std::string> keep_if(bool (*allowed)(const std::string&), const std::string& value) {
  return allowed(value) ? std::optional<std::string>(value) : std::nullopt;
}

}  // namespace

const std::vector<std::string>& lead_filter_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> names;
    for (const auto& key : domain::kLeadFilterKeys) names.emplace_back(key.name);
    return names;
  }();
  return keys;
}

bool is_list_filter_key(const std::string& key) {
  for (const auto& known : domain::kLeadFilterKeys) {
    if (known.name == key) return known.list;
  }
  return false;
}

LeadFilters decode_lead_filters(const json& object, const std::string& path, Problems& problems) {
  LeadFilters filters;
  if (!object.is_object()) {
    problems.add(path.empty() ? "filters" : path, "must be an object");
    return filters;
  }
  for (const auto& [key, value] : object.items()) {
    const auto field = join_path(path, key);
    if (key == "tags") {
      if (auto tags = read_string_list(value, field, problems)) {
        for (auto& tag : *tags) tag = std::string(trim(tag));
        filters.tags = std::move(*tags);
      }
    } else if (key == "search") {
      if (auto text = read_string(value, field, problems)) {
        const auto trimmed = trim(*text);
        if (trimmed.empty()) problems.add(field, "must not be empty");
        else if (code_point_count(trimmed) > kMaxSearchLength)
          problems.add(field, "must be at most " + std::to_string(kMaxSearchLength) + " characters");
        else filters.search = std::string(trimmed);
      }
    } else if (key == "status") {
      if (auto list = read_string_list(value, field, problems)) {
        check_each(*list, field, problems, [](const std::string& v) { return keep_if(is_lead_status, v); },
                   "is not a lead status");
        filters.statuses = std::move(*list);
      }
    } else if (key == "emailVerificationStatus") {
      if (auto list = read_string_list(value, field, problems)) {
        check_each(*list, field, problems, [](const std::string& v) { return keep_if(is_verification_status, v); },
                   "is not an email verification status");
        filters.verification_statuses = std::move(*list);
      }
    } else if (key == "country") {
      if (auto list = read_string_list(value, field, problems)) {
        check_each(*list, field, problems, [](const std::string& v) { return normalise_country(v); },
                   "must be an ISO 3166-1 alpha-2 country code");
        filters.countries = std::move(*list);
      }
    } else if (key == "leadIds") {
      if (auto list = read_string_list(value, field, problems)) {
        std::vector<std::int64_t> ids;
        for (const auto& text : *list) {
          if (auto id = parse_id(kLeadIdPrefix, text)) ids.push_back(*id);
        }
        filters.lead_ids = std::move(ids);
      }
    } else if (key == "campaignId") {
      if (auto text = read_string(value, field, problems)) {
        filters.campaign_id = parse_id(kCampaignIdPrefix, *text).value_or(0);
      }
    } else if (key == "createdAfter") {
      filters.created_after = read_timestamp(value, field, problems);
    } else if (key == "createdBefore") {
      filters.created_before = read_timestamp(value, field, problems);
    } else {
      std::string allowed;
      for (const auto& known : lead_filter_keys()) allowed += (allowed.empty() ? "" : ", ") + known;
      problems.add(field, "unknown filter; allowed: " + allowed);
    }
  }
  return filters;
}

}  // namespace leadline::validation
