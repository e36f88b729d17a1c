#pragma once
// One slice of a CSV lead import: a bounded number of rows, validated as `POST /leads` would,
// deduplicated against stored leads (including rows earlier slices imported), then created.

#include "leadline/ids.hpp"
#include "leadline/result.hpp"
#include "store/lead_store.hpp"
#include "store/suppression_store.hpp"
#include "validation/lead_import_input.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>

namespace leadline::batch {

struct ImportSliceOutcome {
  std::int64_t next_cursor = 0;  ///< byte offset where the next slice starts
  std::int64_t next_line = 0;    ///< the CSV line it starts on
  std::int64_t rows = 0;         ///< data rows read
  std::int64_t created = 0;
  std::int64_t updated = 0;      ///< stored leads a row updated (onDuplicate: update)
  std::int64_t skipped = 0;      ///< duplicates of a stored lead or of an earlier row
  std::int64_t failed = 0;       ///< rows refused by validation, or duplicates with onDuplicate: error
  std::int64_t suppressed = 0;   ///< rows naming a person on the suppression list
  nlohmann::json errors = nlohmann::json::array();  ///< {row, line, message} per refused row
  nlohmann::json suppressed_rows = nlohmann::json::array();  ///< {row, line, field[, suppressionId]} per suppressed row
  bool finished = false;         ///< the CSV has no rows after this slice
};

/// Imports up to `max_rows` rows of `csv` from byte `cursor` (on CSV line `line`); `rows_before`
/// is how many data rows earlier slices read (for the row numbers in errors).
Result<ImportSliceOutcome> import_slice(const validation::LeadImportPlan& plan, std::string_view csv,
                                        std::int64_t cursor, std::int64_t line, std::int64_t rows_before,
                                        std::int64_t max_rows,
                                        std::int64_t workspace_id, store::LeadStore& leads,
                                        store::SuppressionStore& suppressions, IdGenerator& ids, std::int64_t now);

}  // namespace leadline::batch
