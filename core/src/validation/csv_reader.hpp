#pragma once
// RFC 4180 records read one at a time from a text, so an import of 100,000 rows never holds
// more than one row parsed at once and can resume from a byte offset.

#include "leadline/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::validation {

class CsvReader {
 public:
  /// Reads `text` from byte `offset`, which is on line `line` (a UTF-8 byte order mark at the
  /// very start is skipped).
  explicit CsvReader(std::string_view text, std::size_t offset = 0, std::size_t line = 1);

  /// The next record, or nullopt at the end. Fields may be quoted ("a ""b""", embedded commas
  /// and line breaks); records end at LF or CRLF; blank lines are skipped. An unterminated
  /// quote or text after a closing quote is a 400 naming the line.
  Result<std::optional<std::vector<std::string>>> next();

  /// Byte offset of the next record (where a later reader can resume).
  std::size_t offset() const { return position_; }
  /// 1-based line number where the next record starts.
  std::size_t line() const { return line_; }

 private:
  std::string_view text_;
  std::size_t position_;
  std::size_t line_ = 1;
};

}  // namespace leadline::validation
