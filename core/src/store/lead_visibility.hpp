#pragma once
// Which lead rows exist for clients. A delete that keeps an undo marks the rows it removes (their
// ids in `deleted_leads`) instead of removing them; every statement that reads, counts, matches or
// changes leads carries this condition, so a marked lead is seen by nothing but its restore and
// the purge. The lookup is by the mark table's primary key: one probe per lead a query visits.

#include <string>
#include <string_view>

namespace leadline::store {

/// SQL that is true when the lead row named `lead_id` (a column or expression) is not marked deleted.
inline std::string lead_is_live(std::string_view lead_id = "l.id") {
  return "NOT EXISTS (SELECT 1 FROM deleted_leads d WHERE d.lead_id = " + std::string(lead_id) + ")";
}

}  // namespace leadline::store
