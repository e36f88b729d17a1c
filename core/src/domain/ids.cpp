#include "leadline/ids.hpp"

#include <algorithm>

namespace leadline {

std::string format_id(std::string_view prefix, std::int64_t value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  const auto bits = static_cast<std::uint64_t>(value);
  for (int shift = 60; shift >= 0; shift -= 4) id.push_back(kHex[(bits >> shift) & 0xF]);
  return id;
}

std::optional<std::int64_t> parse_id(std::string_view prefix, std::string_view text) {
  if (text.size() != prefix.size() + 16 || text.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::uint64_t bits = 0;
  for (char c : text.substr(prefix.size())) {
    int digit;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else return std::nullopt;
    bits = (bits << 4) | static_cast<std::uint64_t>(digit);
  }
  if (bits == 0 || bits > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(bits);
}

std::int64_t IdGenerator::next(std::int64_t now_ms) {
  // Half the sequence space is the scrambled start, so at least 2,048 ids fit after it.
  const auto start = static_cast<std::int64_t>((static_cast<std::uint64_t>(now_ms) * 0x9E3779B97F4A7C15ULL) >> 53);
  auto candidate = std::max((now_ms << 16) | (origin_ << 12) | start, last_ + 1);
  const auto ms = candidate >> 16;
  const auto origin = (candidate >> 12) & 0xF;
  // The sequence ran over into another origin's bits (or the floor came from another origin).
  if (origin < origin_) candidate = (ms << 16) | (origin_ << 12);
  else if (origin > origin_) candidate = ((ms + 1) << 16) | (origin_ << 12);
  last_ = candidate;
  return last_;
}

void IdGenerator::observe(std::int64_t used_id) { last_ = std::max(last_, used_id); }

}  // namespace leadline
