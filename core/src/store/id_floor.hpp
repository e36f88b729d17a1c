#pragma once
// The largest time-ordered id a database holds, so an IdGenerator never hands out one below it
// (after the clock stepped back, or on a database another engine wrote).

#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

#include <cstdint>

namespace leadline::store {

Result<std::int64_t> max_used_id(Database& db, Schema schema);

}  // namespace leadline::store
