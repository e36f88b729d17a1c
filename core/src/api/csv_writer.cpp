#include "api/csv_writer.hpp"

namespace leadline::api {

void append_csv_cell(std::string& out, std::string_view cell) {
  const bool formula = !cell.empty() && (cell.front() == '=' || cell.front() == '+' || cell.front() == '-' ||
                                         cell.front() == '@' || cell.front() == '\t' || cell.front() == '\r');
  const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out.push_back('"');
  if (formula) out.push_back('\'');
  for (char c : cell) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  if (quote) out.push_back('"');
}

std::string list_cell(const std::vector<std::string>& items) {
  std::string cell;
  for (const auto& item : items) cell += (cell.empty() ? "" : "; ") + item;
  return cell;
}

std::string json_cell(const nlohmann::json& object) { return object.empty() ? "" : object.dump(); }

void append_csv_row(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_csv_cell(out, cells[i]);
  }
  out += "\r\n";
}

}  // namespace leadline::api
