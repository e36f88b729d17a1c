#pragma once
// The lead selection filters shared by GET /leads, deleteAll, add-to-campaign and export.

#include "validation/problems.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::validation {

/// A decoded filter set; every present criterion must hold (AND), list criteria match any of
/// their values (OR). Ids that cannot exist (malformed) match nothing rather than widening.
struct LeadFilters {
  std::vector<std::string> tags;                          ///< any of
  std::optional<std::string> search;                      ///< substring of email, names, company
  std::vector<std::string> statuses;                      ///< any of
  std::vector<std::string> verification_statuses;         ///< any of
  std::vector<std::string> countries;                     ///< any of
  std::optional<std::vector<std::int64_t>> lead_ids;      ///< any of; present-but-empty matches nothing
  std::optional<std::int64_t> campaign_id;                ///< member of; 0 when malformed (matches nothing)
  std::optional<std::int64_t> created_after;              ///< ms, exclusive
  std::optional<std::int64_t> created_before;             ///< ms, exclusive
};

/// The filter keys (domain/vocabulary.hpp); any other key is an error.
const std::vector<std::string>& lead_filter_keys();

/// Decodes a filters object at `path` ("filters" in bodies, "" for query parameters already
/// turned into JSON). List keys take a string or an array of strings.
LeadFilters decode_lead_filters(const nlohmann::json& object, const std::string& path, Problems& problems);

/// True for the filter keys whose value is a list (so query strings split them on commas).
bool is_list_filter_key(const std::string& key);

}  // namespace leadline::validation
