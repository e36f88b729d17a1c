#pragma once
// CSV that opens safely in a spreadsheet: RFC 4180 quoting, CRLF line ends, and cells that a
// spreadsheet would run as a formula neutralised.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace leadline::api {

/// The UTF-8 byte order mark: without it Excel reads a UTF-8 file as the local code page.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// Appends one cell's text as it should appear in the file: a cell starting with = + - @,
/// tab or carriage return gets a leading apostrophe (OWASP "CSV injection"), and a cell with
/// a comma, quote, CR or LF is quoted with inner quotes doubled.
void append_csv_cell(std::string& out, std::string_view cell);

/// A list as one cell: the items joined with "; " (tags read naturally in a spreadsheet).
std::string list_cell(const std::vector<std::string>& items);

/// A JSON object as one cell: empty for `{}`, else its compact JSON text.
std::string json_cell(const nlohmann::json& object);

/// Appends the cells joined by commas and a CRLF.
void append_csv_row(std::string& out, const std::vector<std::string>& cells);

}  // namespace leadline::api
