#pragma once
// Collects every input problem of a request (field path + message) so one 400 can name them
// all; the first becomes the error's message.

#include "leadline/error.hpp"

#include <string>
#include <vector>

namespace leadline::validation {

class Problems {
 public:
  /// Records "<field>: <message>".
  void add(std::string field, std::string message);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }

  /// 400 VALIDATION_ERROR: message of the first problem, `field` of the first, and `errors`
  /// listing up to 100 of them as {field, message}.
  Error to_error() const;

 private:
  struct Item {
    std::string field;
    std::string message;
  };
  std::vector<Item> items_;
};

/// "parent.child" or just "child" at the root.
std::string join_path(const std::string& parent, const std::string& child);
/// "parent[index]".
std::string index_path(const std::string& parent, std::size_t index);

}  // namespace leadline::validation
