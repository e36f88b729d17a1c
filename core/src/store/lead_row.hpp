#pragma once
// The lead columns as one SELECT list over `leads AS l`, and the reader for them, shared by
// every query that returns whole leads (lists, joins with memberships, exports).

#include "leadline/lead.hpp"
#include "store/database.hpp"

namespace leadline::store {

/// "l.id, l.workspace_id, …, l.updated_at": 17 columns in the order `read_lead` expects.
extern const char* const kLeadColumns;
inline constexpr int kLeadColumnCount = 17;

/// The lead in the current row, its columns starting at `first`.
Lead read_lead(const Statement& row, int first = 0);

}  // namespace leadline::store
