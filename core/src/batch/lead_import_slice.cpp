#include "batch/lead_import_slice.hpp"

#include "batch/lead_batch_plan.hpp"
#include "batch/lead_suppression.hpp"
#include "batch/lead_upsert.hpp"
#include "validation/csv_reader.hpp"
#include "validation/lead_input.hpp"

namespace leadline::batch {

using json = nlohmann::json;

Result<ImportSliceOutcome> import_slice(const validation::LeadImportPlan& plan, std::string_view csv,
                                        std::int64_t cursor, std::int64_t line, std::int64_t rows_before,
                                        std::int64_t max_rows,
                                        std::int64_t workspace_id, store::LeadStore& leads,
                                        store::SuppressionStore& suppressions, IdGenerator& ids, std::int64_t now) {
  ImportSliceOutcome outcome;
  auto any_suppressed = suppressions.any(workspace_id);  // an empty list costs no lookups per row
  if (!any_suppressed) return any_suppressed.take_error();
  validation::CsvReader reader(csv, static_cast<std::size_t>(cursor), static_cast<std::size_t>(line));
  std::vector<Lead> valid;
  std::vector<validation::LeadInput> valid_inputs;  // as the row gave them: an update fills only these
  std::vector<std::int64_t> valid_rows;
  std::vector<std::size_t> valid_lines;
  while (outcome.rows < max_rows) {
    const auto row_line = reader.line();
    auto cells = reader.next();
    if (!cells) return cells.take_error();  // the whole CSV was checked when the job was made
    if (!*cells) {
      outcome.finished = true;
      break;
    }
    ++outcome.rows;
    const auto row_number = rows_before + outcome.rows;
    const auto refuse = [&](const std::string& message) {
      ++outcome.failed;
      outcome.errors.push_back({{"row", row_number}, {"line", row_line}, {"message", message}});
    };
    auto row = validation::read_import_row(plan, **cells);
    if (!row) {
      refuse(row.error().message);
      continue;
    }
    auto& input = row->input;
    auto& lead = row->lead;
    lead.workspace_id = workspace_id;
    auto match = *any_suppressed ? suppressions.match_lead(lead) : Result<std::optional<store::SuppressionMatch>>{std::nullopt};
    if (!match) return match.take_error();
    if (*match) {
      ++outcome.suppressed;
      auto reported = suppressed_detail(**match);
      reported["row"] = row_number;
      reported["line"] = row_line;
      outcome.suppressed_rows.push_back(std::move(reported));
      continue;
    }
    valid.push_back(std::move(lead));
    valid_inputs.push_back(std::move(input));
    valid_rows.push_back(row_number);
    valid_lines.push_back(row_line);
  }
  if (!outcome.finished) {
    // Peek: a slice that ends exactly at the last row is the last slice.
    validation::CsvReader probe(csv, reader.offset());
    auto more = probe.next();
    if (!more) return more.take_error();
    outcome.finished = !*more;
  }
  outcome.next_cursor = static_cast<std::int64_t>(reader.offset());
  outcome.next_line = static_cast<std::int64_t>(reader.line());

  auto planned = plan_lead_batch(
      valid, [&](const std::string& email) { return leads.find_id_by_email(workspace_id, email); },
      [&](const std::string& external_id) { return leads.find_id_by_external_id(workspace_id, external_id); });
  if (!planned) return planned.take_error();
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto& duplicate = (*planned)[i];
    if (!duplicate.create) {
      const auto refuse = [&](const std::string& message) {
        ++outcome.failed;
        outcome.errors.push_back({{"row", valid_rows[i]}, {"line", valid_lines[i]}, {"message", message}});
      };
      const auto held_by = duplicate.existing_lead_id ? format_id(kLeadIdPrefix, *duplicate.existing_lead_id)
                                                      : "row " + std::to_string(valid_rows[*duplicate.duplicate_of]);
      const auto field = duplicate.reason == "duplicate_email" ? "email" : "externalId";
      if (plan.on_duplicate == domain::DuplicatePolicy::Error) {
        refuse(std::string("duplicate: its ") + field + " belongs to " + held_by);
      } else if (plan.on_duplicate == domain::DuplicatePolicy::Update && duplicate.existing_lead_id) {
        auto updated = update_existing_lead(leads, suppressions, ids, workspace_id, *duplicate.existing_lead_id,
                                            valid_inputs[i], now);
        if (!updated) return updated.take_error();
        if (updated->refused) refuse(updated->refused->message);
        else ++outcome.updated;
      } else {
        ++outcome.skipped;
      }
      continue;
    }
    auto& lead = valid[i];
    lead.id = ids.next(now);
    lead.workspace_id = workspace_id;
    lead.created_at = now;
    lead.updated_at = now;
    if (auto status = leads.insert(lead); !status) return status.take_error();
    if (auto status = suppress_for_status(suppressions, lead, ids, now); !status) return status.take_error();
    ++outcome.created;
  }
  return outcome;
}

}  // namespace leadline::batch
