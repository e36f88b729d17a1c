#pragma once
// The lead selection filters shared by GET /leads, deleteAll, add-to-campaign and export.

#include "domain/lead_filters.hpp"
#include "validation/problems.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::validation {

using domain::LeadFilters;

/// The filter keys (domain/vocabulary.hpp); any other key is an error.
const std::vector<std::string>& lead_filter_keys();

/// Decodes a filters object at `path` ("filters" in bodies, "" for query parameters already
/// turned into JSON). List keys take a string or an array of strings.
LeadFilters decode_lead_filters(const nlohmann::json& object, const std::string& path, Problems& problems);

/// True for the filter keys whose value is a list (so query strings split them on commas).
bool is_list_filter_key(const std::string& key);

}  // namespace leadline::validation
