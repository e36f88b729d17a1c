#include "validation/lead_import_input.hpp"

#include "validation/csv_reader.hpp"
#include "validation/import_headers.hpp"
#include "validation/lead_input.hpp"
#include "validation/limits.hpp"
#include "validation/normalise.hpp"
#include "validation/problems.hpp"

#include <algorithm>
#include <cctype>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

const std::vector<std::string>& importable_lead_fields() {
  static const std::vector<std::string> fields{"email",      "firstName", "lastName", "companyName",
                                               "jobTitle",   "phoneNumber", "externalId", "country",
                                               "status",     "emailVerificationStatus", "tags"};
  return fields;
}

Result<LeadImportPlan> decode_lead_import_body(const json& body) {
  if (!body.is_object()) return Error::invalid_field("body", "must be a JSON object");
  Problems problems;
  for (const auto& [key, value] : body.items()) {
    if (key != "csv" && key != "mapping" && key != "tags" && key != "onDuplicate")
      problems.add(key, "unknown field; allowed: csv, mapping, tags, onDuplicate");
  }
  if (!body.contains("csv") || !body["csv"].is_string()) problems.add("csv", "is required: the CSV text, header row first");
  if (body.contains("mapping") && !body["mapping"].is_object())
    problems.add("mapping", "must be an object of {leadField: \"Header name\"}");
  LeadImportPlan plan;
  plan.on_duplicate = read_duplicate_policy(body, problems).value_or(domain::DuplicatePolicy::Skip);
  if (body.contains("tags")) {
    const auto& tags = body["tags"];
    if (!tags.is_array() || tags.size() > kMaxTags) problems.add("tags", "must be a list of at most " + std::to_string(kMaxTags) + " tags");
    else
      for (const auto& tag : tags) {
        if (!tag.is_string() || trim(tag.get_ref<const std::string&>()).empty()) problems.add("tags", "must hold non-empty strings");
        else plan.tags.emplace_back(trim(tag.get_ref<const std::string&>()));
      }
  }
  if (!problems.empty()) return problems.to_error();

  const auto& csv = body["csv"].get_ref<const std::string&>();
  if (!is_clean_text(csv)) return Error::invalid_field("csv", "must be UTF-8 text without NUL bytes");
  CsvReader reader(csv);
  auto header = reader.next();
  if (!header) return header.take_error();
  if (!*header) return Error::invalid_field("csv", "is empty: a header row is required");
  std::vector<std::string> names;
  for (const auto& cell : **header) names.emplace_back(trim(cell));
  plan.header_cells = names.size();
  plan.header_names = names;
  plan.data_offset = reader.offset();
  plan.data_line = reader.line();

  const auto& fields = importable_lead_fields();
  if (body.contains("mapping")) {
    for (const auto& [field, column] : body["mapping"].items()) {
      const auto path = join_path("mapping", field);
      if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
        problems.add(path, "unknown lead field; allowed: " + join(fields));
      } else if (!column.is_string()) {
        problems.add(path, "must be the header name of a CSV column");
      } else {
        auto found = std::find(names.begin(), names.end(), trim(column.get_ref<const std::string&>()));
        if (found == names.end()) problems.add(path, "no CSV column is named \"" + column.get<std::string>() + "\"");
        else plan.columns.emplace_back(field, static_cast<std::size_t>(found - names.begin()));
      }
    }
  } else {
    // Each field from the first column whose header names it (validation/import_headers).
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto field = field_for_header(names[i]);
      const bool taken = field && std::any_of(plan.columns.begin(), plan.columns.end(),
                                              [&](const auto& column) { return column.first == *field; });
      if (field && !taken) plan.columns.emplace_back(*field, i);
    }
  }
  if (!problems.empty()) return problems.to_error();
  const auto maps = [&](const char* field) {
    return std::any_of(plan.columns.begin(), plan.columns.end(), [&](const auto& column) { return column.first == field; });
  };
  if (!maps("email") && !maps("phoneNumber") && !maps("externalId")) {
    return Error::invalid_field("mapping", "no column maps to email, phoneNumber or externalId (headers: " + join(names) + ")");
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    const bool used = std::any_of(plan.columns.begin(), plan.columns.end(), [&](const auto& column) { return column.second == i; });
    if (!used) plan.ignored_columns.push_back(names[i]);
  }

  // One pass over the whole text now, so a malformed file is refused before anything is imported.
  for (;;) {
    auto row = reader.next();
    if (!row) return row.take_error();
    if (!*row) break;
    if (++plan.total_rows > kMaxImportRows) {
      return Error::invalid_field("csv", "has more than " + std::to_string(kMaxImportRows) + " data rows; split the file");
    }
  }
  if (plan.total_rows == 0) return Error::invalid_field("csv", "has a header but no data rows");
  return plan;
}

json import_plan_to_json(const LeadImportPlan& plan) {
  json columns = json::array();
  for (const auto& [field, index] : plan.columns) columns.push_back({field, index});
  return {{"columns", columns},         {"ignoredColumns", plan.ignored_columns}, {"tags", plan.tags},
          {"onDuplicate", domain::name_of(domain::kDuplicatePolicies, plan.on_duplicate)},
          {"headerCells", plan.header_cells}, {"totalRows", plan.total_rows},    {"dataOffset", plan.data_offset},
          {"dataLine", plan.data_line}};
}

LeadImportPlan import_plan_from_json(const json& stored) {
  LeadImportPlan plan;
  for (const auto& column : stored.at("columns")) plan.columns.emplace_back(column[0].get<std::string>(), column[1].get<std::size_t>());
  plan.ignored_columns = stored.at("ignoredColumns").get<std::vector<std::string>>();
  plan.tags = stored.at("tags").get<std::vector<std::string>>();
  // Jobs stored before upserts have no policy: they skip duplicates, as they did.
  plan.on_duplicate = domain::parse_term(domain::kDuplicatePolicies, stored.value("onDuplicate", std::string("skip")))
                          .value_or(domain::DuplicatePolicy::Skip);
  plan.header_cells = stored.at("headerCells").get<std::size_t>();
  plan.total_rows = stored.at("totalRows").get<std::size_t>();
  plan.data_offset = stored.at("dataOffset").get<std::size_t>();
  plan.data_line = stored.at("dataLine").get<std::size_t>();
  return plan;
}

json import_row_to_lead(const LeadImportPlan& plan, const std::vector<std::string>& cells) {
  json lead = json::object();
  json tags = json::array();
  for (const auto& tag : plan.tags) tags.push_back(tag);
  for (const auto& [field, index] : plan.columns) {
    if (index >= cells.size()) continue;
    const auto value = trim(cells[index]);
    if (value.empty()) continue;
    if (field == "tags") {
      std::string piece;
      for (char c : std::string(value) + ",") {
        if (c == ',' || c == ';') {
          auto tag = std::string(trim(piece));
          if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
          piece.clear();
        } else {
          piece.push_back(c);
        }
      }
    } else {
      lead[field] = std::string(value);
    }
  }
  if (!tags.empty()) lead["tags"] = std::move(tags);
  return lead;
}

Result<ImportRow> read_import_row(const LeadImportPlan& plan, const std::vector<std::string>& cells) {
  if (cells.size() != plan.header_cells) {
    return Error{ErrorCode::ValidationError,
                 "has " + std::to_string(cells.size()) + " cells; the header has " + std::to_string(plan.header_cells)};
  }
  Problems problems;
  ImportRow row;
  row.input = decode_lead_input(import_row_to_lead(plan, cells), "", problems);
  row.lead = lead_from_input(row.input, "", problems);
  if (!problems.empty()) return problems.to_error();
  return row;
}

}  // namespace leadline::validation
