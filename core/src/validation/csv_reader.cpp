#include "validation/csv_reader.hpp"

namespace leadline::validation {

CsvReader::CsvReader(std::string_view text, std::size_t offset, std::size_t line)
    : text_(text), position_(offset), line_(line) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (position_ == 0 && text_.substr(0, kBom.size()) == kBom) position_ = kBom.size();
}

Result<std::optional<std::vector<std::string>>> CsvReader::next() {
  // Blank lines between records carry nothing.
  while (position_ < text_.size() && (text_[position_] == '\n' || text_[position_] == '\r')) {
    if (text_[position_] == '\n') ++line_;
    ++position_;
  }
  if (position_ >= text_.size()) return std::optional<std::vector<std::string>>{};
  const auto start_line = line_;
  const auto malformed = [&](const std::string& what) {
    return Error::invalid_field("csv", "line " + std::to_string(start_line) + ": " + what);
  };
  std::vector<std::string> fields;
  std::string field;
  for (;;) {
    if (position_ < text_.size() && text_[position_] == '"') {
      ++position_;
      for (;;) {
        if (position_ >= text_.size()) return malformed("a quoted field is never closed");
        const char c = text_[position_++];
        if (c == '"') {
          if (position_ < text_.size() && text_[position_] == '"') {
            field.push_back('"');
            ++position_;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      if (position_ < text_.size() && text_[position_] != ',' && text_[position_] != '\n' && text_[position_] != '\r')
        return malformed("unexpected text after a closing quote");
    } else {
      while (position_ < text_.size() && text_[position_] != ',' && text_[position_] != '\n' &&
             text_[position_] != '\r') {
        if (text_[position_] == '"') return malformed("a quote inside an unquoted field (quote the whole field)");
        field.push_back(text_[position_++]);
      }
    }
    fields.push_back(std::move(field));
    field.clear();
    if (position_ >= text_.size()) break;
    const char separator = text_[position_++];
    if (separator == ',') continue;
    if (separator == '\r' && position_ < text_.size() && text_[position_] == '\n') ++position_;
    ++line_;
    break;
  }
  return std::optional<std::vector<std::string>>{std::move(fields)};
}

}  // namespace leadline::validation
