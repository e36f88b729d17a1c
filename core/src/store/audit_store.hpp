#pragma once
// The audit trail: one append-only row per committed write (the table refuses updates and
// deletes by trigger).

#include "domain/audit_query.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadline::store {

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::int64_t at = 0;
  std::string key_prefix;  ///< never the key itself
  std::string method;
  std::string path;        ///< as requested
  std::string route;       ///< the route pattern, e.g. "DELETE /leads/:id"
  nlohmann::json request = nlohmann::json::object();  ///< summary: query, body (long lists as counts)
  int status = 200;
  nlohmann::json counts = nlohmann::json::object();
  std::optional<std::int64_t> receipt_id;
};

/// Which entries a listing wants: newest first, all conditions must hold.
using domain::AuditQuery;

struct AuditPage {
  std::vector<AuditEntry> entries;
  bool has_more = false;
};

class AuditStore {
 public:
  explicit AuditStore(Database& db) : db_(db) {}
  /// Appends `entry` (its id must be set).
  Status append(const AuditEntry& entry);
  Result<AuditPage> list(std::int64_t workspace_id, const AuditQuery& query);

 private:
  Database& db_;
};

}  // namespace leadline::store
