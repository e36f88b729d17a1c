#pragma once
// Persistence of leads (and their tag index rows), always scoped to one workspace.

#include "leadline/lead.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/lead_selection.hpp"
#include "domain/lead_filters.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::store {

/// One page of a newest-first listing.
struct LeadPage {
  std::vector<Lead> leads;
  bool has_more = false;
};

class LeadStore {
 public:
  explicit LeadStore(Database& db) : db_(db) {}

  /// The lead with `id` in `workspace_id`; nullopt when absent or in another workspace.
  Result<std::optional<Lead>> find(std::int64_t workspace_id, std::int64_t id);
  /// The id of the workspace's lead with this (normalised) email / externalId, if any.
  Result<std::optional<std::int64_t>> find_id_by_email(std::int64_t workspace_id, const std::string& email);
  Result<std::optional<std::int64_t>> find_id_by_external_id(std::int64_t workspace_id, const std::string& external_id);

  /// Inserts a new lead and its tag rows. The caller has checked that no unmarked lead holds its
  /// email or externalId (find_id_by_*): the schema refuses a duplicate only on update.
  Status insert(const Lead& lead);
  /// Rewrites an existing lead's fields and tag rows.
  Status update(const Lead& lead);

  /// How many emails and externalIds more than one unmarked lead holds (0 in a sound database;
  /// check-integrity reports any other count).
  Result<std::int64_t> count_duplicate_identifiers();

  /// Up to `limit` leads matching `filters`, newest first, strictly older than `before_id`.
  Result<LeadPage> list(std::int64_t workspace_id, const domain::LeadFilters& filters, int limit,
                        std::optional<std::int64_t> before_id);
  /// Up to `limit` leads matching `filters`, oldest first, strictly newer than `after_id`
  /// (exports walk the whole selection this way, one chunk at a time).
  Result<LeadPage> list_ascending(std::int64_t workspace_id, const domain::LeadFilters& filters, int limit,
                                  std::optional<std::int64_t> after_id);

 private:
  Status write_tags(const Lead& lead, bool replace);
  /// How a page evaluates the tags filter: by how many leads carry the tags (capped count).
  Result<TagMatch> tag_match_for_page(std::int64_t workspace_id, const domain::LeadFilters& filters);
  Result<LeadPage> page(std::int64_t workspace_id, const domain::LeadFilters& filters, int limit,
                        std::optional<std::int64_t> boundary_id, bool ascending);
  Database& db_;
};

}  // namespace leadline::store
