#pragma once
// What a read of the audit trail asks for: decoded by validation, answered by the store.

#include <cstdint>
#include <optional>
#include <string>

namespace leadline::domain {

struct AuditQuery {
  int limit = 25;
  std::optional<std::int64_t> before_id;
  std::optional<std::string> method;
  std::optional<std::string> route;
  std::optional<std::int64_t> receipt_id;
  std::optional<std::int64_t> since;  ///< at >= since
  std::optional<std::int64_t> until;  ///< at < until
};

}  // namespace leadline::domain
