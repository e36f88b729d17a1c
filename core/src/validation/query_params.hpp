#pragma once
// Query strings: percent-decoding, and the list parameters (limit, cursor, filters).

#include "leadline/result.hpp"
#include "validation/lead_filters.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadline::validation {

/// Decoded name/value pairs in the order given.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Splits and percent-decodes a raw query string ('+' is a space). 400 on bad escapes or
/// text that is not valid UTF-8.
Result<QueryParams> parse_query_string(std::string_view raw);

/// The trimmed, non-empty items of a comma-separated query value ("a, b,,c" → a, b, c).
std::vector<std::string> split_comma_list(std::string_view value);

/// The value of `name` if given (the last one wins for flags like `force`).
std::optional<std::string> query_value(const QueryParams& params, std::string_view name);

/// Records every parameter not in `known` (other than `api_key`, which authentication reads)
/// as "unknown query parameter; allowed: …".
void check_known_params(const QueryParams& params, const std::vector<std::string>& known, Problems& problems);

/// The query parameters an endpoint reads (besides `api_key` and the safety controls).
struct QueryShape {
  std::vector<std::string_view> names = {};  ///< parameters read
  std::vector<std::string_view> lists = {};  ///< of those, the ones that may repeat (their values are joined)
  bool lead_filters = false;            ///< also every lead filter key (the list filters may repeat)
};

/// 400 naming each parameter that `shape` does not list, and each given more than once that is
/// not a list: a misspelt `?dryrun=true` must never run the real thing, and a repeated value
/// must never be read one way here and another way elsewhere. `api_key` is authentication's to
/// judge; `controls` (dryRun, expectedCount, purge) are judged by take_request_controls, except
/// that they too may not repeat.
Status check_query_shape(const QueryParams& params, const QueryShape& shape,
                         const std::vector<std::string_view>& controls);

/// A page request: how many, and after which row (exclusive; rows come newest first).
struct PageRequest {
  int limit = 25;
  std::optional<std::int64_t> before_id;
};

/// "cur_" + 16 hex: the cursor after the row with `id`.
std::string encode_cursor(std::int64_t id);

/// Reads `limit` (1–100) and `cursor` from `params`; problems are recorded.
PageRequest decode_page_request(const QueryParams& params, Problems& problems);

/// Query parameters of a list endpoint: `limit`, `cursor`, `api_key` (auth) and the lead
/// filter keys; anything else is an unknown parameter. List keys split on commas and may repeat.
struct LeadListQuery {
  PageRequest page;
  LeadFilters filters;
};
Result<LeadListQuery> decode_lead_list_query(const QueryParams& params);

/// Query parameters of `GET /leads/export`: `format` (`json`, the default, or `csv`) and the
/// lead filter keys.
struct LeadExportQuery {
  bool csv = false;
  LeadFilters filters;
};
Result<LeadExportQuery> decode_lead_export_query(const QueryParams& params);

}  // namespace leadline::validation
