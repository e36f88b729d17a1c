#pragma once
// `POST /leads/import`: a CSV of leads with a column mapping, checked whole before the job
// starts (structure, header, mapping, size); rows are validated one by one as the job runs.

#include "domain/vocabulary.hpp"
#include "leadline/lead.hpp"
#include "validation/lead_input.hpp"
#include "leadline/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace leadline::validation {

/// Most data rows one import takes.
inline constexpr std::size_t kMaxImportRows = 200000;

/// Lead fields a CSV column can fill.
const std::vector<std::string>& importable_lead_fields();

struct LeadImportPlan {
  std::vector<std::pair<std::string, std::size_t>> columns;  ///< lead field → column index
  std::vector<std::string> ignored_columns;                  ///< header cells no field takes
  std::vector<std::string> tags;                             ///< added to every imported lead
  domain::DuplicatePolicy on_duplicate = domain::DuplicatePolicy::Skip;  ///< a row naming a stored lead
  std::size_t header_cells = 0;
  std::vector<std::string> header_names;  ///< the header row, trimmed (not kept with the job)
  std::size_t total_rows = 0;
  std::size_t data_offset = 0;  ///< byte offset of the first data row in the CSV
  std::size_t data_line = 0;    ///< the CSV line that row starts on
};

/// Body: `csv` (text, header row first), optional `mapping` ({leadField: "Header name"}; when
/// absent, each field takes the first column whose header names it — its own name in any case or
/// spacing, or a header CRMs write for it, validation/import_headers.hpp), and
/// optional `tags` added to every lead, optional `onDuplicate` (skip, update, error; a row's empty
/// cells are not given, so an update fills only what the row says). 400 for a malformed CSV (with its line), a mapping that
/// names an unknown field or a missing header, no identifier column at all, or too many rows.
Result<LeadImportPlan> decode_lead_import_body(const nlohmann::json& body);

/// The plan as stored with the job (everything but the CSV itself), and back.
nlohmann::json import_plan_to_json(const LeadImportPlan& plan);
LeadImportPlan import_plan_from_json(const nlohmann::json& stored);

/// The lead object (as `POST /leads` takes it) for one data row; `tags` cells split on , or ;.
nlohmann::json import_row_to_lead(const LeadImportPlan& plan, const std::vector<std::string>& cells);

/// One data row read as `POST /leads` would read it: the fields it gives (what an upsert fills) and
/// the new lead they make.
struct ImportRow {
  LeadInput input;
  Lead lead;
};
/// The row, or why it cannot be imported (a cell count unlike the header's, or the lead's problems).
Result<ImportRow> read_import_row(const LeadImportPlan& plan, const std::vector<std::string>& cells);

}  // namespace leadline::validation
