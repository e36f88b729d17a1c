#include "validation/body_fields.hpp"

#include "validation/normalise.hpp"

#include <algorithm>

namespace leadline::validation {

using json = nlohmann::json;

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string join(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

// Records every key of `body` not in `allowed`; false when `body` is not an object.
bool check_fields(const json& body, const std::vector<std::string>& allowed, Problems& problems) {
  if (!body.is_object()) {
    problems.add("body", "must be a JSON object");
    return false;
  }
  for (const auto& [key, value] : body.items()) {
    if (!contains(allowed, key)) problems.add(key, "unknown field; allowed: " + join(allowed));
  }
  return true;
}

// A required or optional text field: clean UTF-8, trimmed, non-empty, at most `max` code points.
std::optional<std::string> read_text_field(const json& body, const std::string& key, std::size_t max,
                                           bool required, Problems& problems) {
  if (!body.contains(key) || body[key].is_null()) {
    if (required) problems.add(key, "is required");
    return std::nullopt;
  }
  const auto& value = body[key];
  if (!value.is_string()) {
    problems.add(key, "must be a string");
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  if (!is_clean_text(text)) {
    problems.add(key, "must be valid UTF-8 text without control characters");
    return std::nullopt;
  }
  const auto trimmed = trim(text);
  if (trimmed.empty()) {
    problems.add(key, "must not be empty");
    return std::nullopt;
  }
  if (code_point_count(trimmed) > max) {
    problems.add(key, "must be at most " + std::to_string(max) + " characters");
    return std::nullopt;
  }
  return std::string(trimmed);
}

}  // namespace leadline::validation
