#pragma once
// The safety controls a destructive or bulk request carries beside its own fields: preview
// (`dryRun`), count guard (`expectedCount`) and erasure (`purge`). They may come in the JSON
// body or the query string; the engine takes them out before the route's own decoder runs.

#include "leadline/result.hpp"
#include "validation/query_params.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace leadline::validation {

/// Which controls a route accepts (a bit set).
enum ControlSet : unsigned {
  kNoControls = 0,
  kPreviewControls = 1,  ///< `dryRun` and `expectedCount`
  kPurgeControl = 2,     ///< `purge` (deletes only)
};

struct RequestControls {
  bool dry_run = false;                        ///< run, report, then roll back
  std::optional<std::int64_t> expected_count;  ///< 409 COUNT_MISMATCH unless the request changes exactly this many
  bool purge = false;                          ///< erase: no restore possible, no personal data kept
};

/// The name of every control, accepted by a route or not.
const std::vector<std::string_view>& control_names();

/// Reads `dryRun`, `expectedCount` and `purge` from `query` and from the top level of `body`
/// (when it is a JSON object) and removes them from both. A control the route does not accept
/// is a 400 naming it — never ignored, since an ignored `dryRun` would run the real thing. The
/// same control given in both places must agree.
Result<RequestControls> take_request_controls(QueryParams& query, nlohmann::json* body, unsigned accepted);

}  // namespace leadline::validation
