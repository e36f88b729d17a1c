#pragma once
// Stored first replies of requests that carried an Idempotency-Key.

#include "leadline/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace leadline::store {

/// Who sent a key: the same key string from another workspace or API key is another record.
struct IdempotencyScope {
  std::int64_t workspace_id = 0;
  std::int64_t key_id = 0;
  std::string idempotency_key;
};

struct StoredReply {
  std::string fingerprint;  ///< hash of method, path, query and body of the first request
  int status = 200;
  std::string headers;      ///< JSON object
  std::string body;
};

class IdempotencyStore {
 public:
  explicit IdempotencyStore(Database& db) : db_(db) {}
  /// The reply stored for `scope` at or after `not_before`, if any.
  Result<std::optional<StoredReply>> find(const IdempotencyScope& scope, std::int64_t not_before);
  /// Stores (or replaces an expired) record.
  Status save(const IdempotencyScope& scope, const StoredReply& reply, std::int64_t now);
  /// Forgets records older than `cutoff`; returns how many.
  Result<std::int64_t> purge_before(std::int64_t cutoff);

 private:
  Database& db_;
};

}  // namespace leadline::store
