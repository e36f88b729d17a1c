#include "validation/query_params.hpp"

#include "leadline/ids.hpp"
#include "validation/limits.hpp"
#include "validation/normalise.hpp"

#include <algorithm>
#include <charconv>

namespace leadline::validation {
namespace {

constexpr std::string_view kCursorPrefix = "cur_";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  if (!is_clean_text(out)) return std::nullopt;
  return out;
}

}  // namespace

Result<QueryParams> parse_query_string(std::string_view raw) {
  QueryParams params;
  std::size_t start = 0;
  while (start < raw.size()) {
    std::size_t end = raw.find('&', start);
    if (end == std::string_view::npos) end = raw.size();
    const auto pair = raw.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals));
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!name || !value) {
      return Error::invalid_field("query", "malformed query string (bad percent-encoding or invalid UTF-8)");
    }
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

void check_known_params(const QueryParams& params, const std::vector<std::string>& known, Problems& problems) {
  std::string allowed;
  for (const auto& name : known) allowed += (allowed.empty() ? "" : ", ") + name;
  for (const auto& [key, value] : params) {
    if (key != "api_key" && std::find(known.begin(), known.end(), key) == known.end())
      problems.add(key, "unknown query parameter; allowed: " + allowed);
  }
}

Status check_query_shape(const QueryParams& params, const QueryShape& shape,
                         const std::vector<std::string_view>& controls) {
  const auto listed = [](const std::vector<std::string_view>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  const auto is_filter = [&](const std::string& name) {
    if (!shape.lead_filters) return false;
    const auto& keys = lead_filter_keys();
    return std::find(keys.begin(), keys.end(), name) != keys.end();
  };
  // Spelled out only for a refusal: every request passes through here.
  const auto allowed = [&] {
    std::string text;
    for (auto name : shape.names) text += (text.empty() ? "" : ", ") + std::string(name);
    if (shape.lead_filters) {
      for (const auto& name : lead_filter_keys()) text += (text.empty() ? "" : ", ") + name;
    }
    return text;
  };
  Problems problems;
  std::vector<std::string_view> seen;
  for (const auto& [name, value] : params) {
    if (name == "api_key") continue;
    const bool control = listed(controls, name);
    if (!control && !listed(shape.names, name) && !is_filter(name)) {
      const auto names = allowed();
      problems.add(name, names.empty() ? "unknown query parameter; this endpoint takes none"
                                       : "unknown query parameter; allowed: " + names);
      continue;
    }
    const bool repeatable = !control && (listed(shape.lists, name) || (is_filter(name) && is_list_filter_key(name)));
    if (listed(seen, name)) {
      if (!repeatable) problems.add(name, "given more than once");
      continue;
    }
    seen.push_back(name);
  }
  if (!problems.empty()) return problems.to_error();
  return Ok{};
}

std::vector<std::string> split_comma_list(std::string_view value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value.size()) {
    auto comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    auto item = trim(value.substr(start, comma - start));
    if (!item.empty()) items.emplace_back(item);
    start = comma + 1;
  }
  return items;
}

std::optional<std::string> query_value(const QueryParams& params, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : params) {
    if (key == name) found = value;
  }
  return found;
}

std::string encode_cursor(std::int64_t id) { return format_id(kCursorPrefix, id); }

PageRequest decode_page_request(const QueryParams& params, Problems& problems) {
  PageRequest page;
  page.limit = kDefaultPageSize;
  if (auto limit = query_value(params, "limit")) {
    int value = 0;
    const auto* end = limit->data() + limit->size();
    auto [ptr, ec] = std::from_chars(limit->data(), end, value);
    if (ec != std::errc() || ptr != end || value < 1 || value > kMaxPageSize) {
      problems.add("limit", "must be an integer between 1 and " + std::to_string(kMaxPageSize));
    } else {
      page.limit = value;
    }
  }
  if (auto cursor = query_value(params, "cursor")) {
    if (auto id = parse_id(kCursorPrefix, *cursor)) page.before_id = *id;
    else problems.add("cursor", "is not a cursor returned by this endpoint");
  }
  return page;
}

namespace {

// Gathers the filter parameters (all but `own`, which the endpoint reads itself, and api_key)
// into the JSON shape the shared filter decoder reads, and decodes them.
LeadFilters decode_filter_params(const QueryParams& params, std::initializer_list<std::string_view> own,
                                 Problems& problems) {
  nlohmann::json filters = nlohmann::json::object();
  for (const auto& [key, value] : params) {
    if (key == "api_key" || std::find(own.begin(), own.end(), key) != own.end()) continue;
    const auto& keys = lead_filter_keys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      problems.add(key, "unknown query parameter");
      continue;
    }
    if (is_list_filter_key(key)) {
      auto& list = filters[key];
      if (list.is_null()) list = nlohmann::json::array();
      for (auto& item : split_comma_list(value)) list.push_back(std::move(item));
    } else if (filters.contains(key)) {
      problems.add(key, "given more than once");
    } else {
      filters[key] = value;
    }
  }
  return decode_lead_filters(filters, "", problems);
}

}  // namespace

Result<LeadListQuery> decode_lead_list_query(const QueryParams& params) {
  Problems problems;
  LeadListQuery query;
  query.page = decode_page_request(params, problems);
  query.filters = decode_filter_params(params, {"limit", "cursor"}, problems);
  if (!problems.empty()) return problems.to_error();
  return query;
}

Result<LeadExportQuery> decode_lead_export_query(const QueryParams& params) {
  Problems problems;
  LeadExportQuery query;
  if (auto format = query_value(params, "format")) {
    if (*format == "csv") query.csv = true;
    else if (*format != "json") problems.add("format", "must be csv or json");
  }
  query.filters = decode_filter_params(params, {"format"}, problems);
  if (!problems.empty()) return problems.to_error();
  return query;
}

}  // namespace leadline::validation
