#pragma once
// The lead selection filters shared by GET /leads, deleteAll, add-to-campaign and export: a value
// that validation decodes and the store turns into SQL.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::domain {

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

}  // namespace leadline::domain
