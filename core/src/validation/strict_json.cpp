#include "validation/strict_json.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

// A SAX handler that builds the document itself so it can refuse duplicate keys and depth
// before nlohmann's DOM builder would silently keep the last duplicate.
class StrictBuilder final : public nlohmann::json_sax<json> {
 public:
  json root;
  std::string problem;

  bool null() override { return put(json(nullptr)); }
  bool boolean(bool value) override { return put(json(value)); }
  bool number_integer(number_integer_t value) override { return put(json(value)); }
  bool number_unsigned(number_unsigned_t value) override {
    // Nothing stores an unsigned 64-bit number: above int64's range it would be rounded later.
    if (value > static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max()))
      return fail("number " + std::to_string(value) + " cannot be stored exactly");
    return put(json(static_cast<std::int64_t>(value)));
  }
  bool number_float(number_float_t value, const string_t& text) override {
    if (!std::isfinite(value)) return fail("number out of range");
    // An integer literal too large for 64 bits arrives here already rounded; a literal whose
    // digits are not all zero that became zero underflowed. Both would be stored as another
    // number than the one sent.
    const bool integer_literal = text.find_first_of(".eE") == string_t::npos;
    if (integer_literal) return fail("number " + text + " cannot be stored exactly");
    if (value == 0 && has_nonzero_mantissa(text)) return fail("number " + text + " cannot be stored exactly");
    return put(json(value));
  }
  bool string(string_t& value) override {
    if (value.find('\0') != string_t::npos) return fail("strings must not contain NUL characters");
    return put(json(std::move(value)));
  }
  bool binary(binary_t&) override { return fail("binary values are not JSON"); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool key(string_t& value) override {
    if (value.find('\0') != string_t::npos) return fail("keys must not contain NUL characters");
    json& object = *stack_.back();
    if (object.contains(value)) return fail("duplicate key \"" + value + "\"");
    pending_key_ = std::move(value);
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 1, ...";
    // keep the human part after the bracketed id.
    std::string what = error.what();
    if (auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
    return fail("invalid JSON at byte " + std::to_string(position) + " (" + what + ")");
  }

 private:
  std::vector<json*> stack_;
  std::string pending_key_;
  std::size_t values_ = 0;

  bool fail(std::string message) {
    if (problem.empty()) problem = std::move(message);
    return false;
  }

  json* place(json value) {
    if (stack_.empty()) {
      root = std::move(value);
      return &root;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    auto [it, inserted] = parent.emplace(std::move(pending_key_), std::move(value));
    return &it.value();
  }

  // Counted as they arrive, so a body of millions of tiny values is refused before it is
  // built: a few megabytes of "[]," would otherwise become hundreds of megabytes of nodes.
  bool count_value() {
    if (++values_ <= kMaxJsonValues) return true;
    return fail("more than " + std::to_string(kMaxJsonValues) + " values");
  }

  static bool has_nonzero_mantissa(const string_t& text) {
    for (char c : text) {
      if (c == 'e' || c == 'E') break;
      if (c >= '1' && c <= '9') return true;
    }
    return false;
  }

  bool put(json value) {
    if (!count_value()) return false;
    place(std::move(value));
    return true;
  }

  bool open(json container) {
    if (!count_value()) return false;
    if (static_cast<int>(stack_.size()) >= kMaxJsonDepth)
      return fail("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    stack_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }
};

}  // namespace

Result<nlohmann::json> parse_strict_json(std::string_view text, const std::string& field) {
  StrictBuilder builder;
  const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true, false);
  if (!ok) {
    return Error::invalid_field(field, builder.problem.empty() ? "invalid JSON" : builder.problem);
  }
  return std::move(builder.root);
}

}  // namespace leadline::validation
