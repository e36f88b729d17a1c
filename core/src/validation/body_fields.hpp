#pragma once
// Reading a JSON body's fields the same way on every route: unknown keys are problems, text is
// clean UTF-8, trimmed, non-empty and bounded.

#include "validation/problems.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace leadline::validation {

/// Whether `values` holds `value`.
bool contains(const std::vector<std::string>& values, const std::string& value);

/// "a, b, c".
std::string join(const std::vector<std::string>& values);

/// Records every key of `body` not in `allowed`; false when `body` is not an object.
bool check_fields(const nlohmann::json& body, const std::vector<std::string>& allowed, Problems& problems);

/// A required or optional text field: clean UTF-8, trimmed, non-empty, at most `max` code points.
/// Absent or null: nullopt (a problem if `required`).
std::optional<std::string> read_text_field(const nlohmann::json& body, const std::string& key, std::size_t max,
                                           bool required, Problems& problems);

}  // namespace leadline::validation
