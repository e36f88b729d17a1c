#include "validation/problems.hpp"

namespace leadline::validation {

namespace {
constexpr std::size_t kMaxListedProblems = 100;
}

void Problems::add(std::string field, std::string message) {
  items_.push_back(Item{std::move(field), std::move(message)});
}

Error Problems::to_error() const {
  if (items_.empty()) return Error{ErrorCode::ValidationError, "invalid request"};
  const auto& first = items_.front();
  nlohmann::json listed = nlohmann::json::array();
  for (std::size_t i = 0; i < items_.size() && i < kMaxListedProblems; ++i) {
    listed.push_back({{"field", items_[i].field}, {"message", items_[i].message}});
  }
  nlohmann::json extra{{"field", first.field}, {"errors", std::move(listed)}};
  if (items_.size() > kMaxListedProblems) extra["errorCount"] = items_.size();
  return Error{ErrorCode::ValidationError, first.field + ": " + first.message, std::move(extra)};
}

std::string join_path(const std::string& parent, const std::string& child) {
  return parent.empty() ? child : parent + "." + child;
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace leadline::validation
