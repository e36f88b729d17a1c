#pragma once
// Cursor pages: a listing asks SQLite for one row more than the page holds, and that extra row
// only says whether another page exists.

#include <vector>

namespace leadline::store {

/// The LIMIT to bind for a page of `limit` rows.
inline int rows_to_fetch(int limit) { return limit + 1; }

/// Drops the look-ahead row from `rows` if it was fetched; returns whether another page exists.
template <class Row>
bool trim_to_page(std::vector<Row>& rows, int limit) {
  if (static_cast<int>(rows.size()) <= limit) return false;
  rows.pop_back();
  return true;
}

}  // namespace leadline::store
