#pragma once
/// The Validator across the wasm boundary, framed like JsonEngine: a JSON request head plus the
/// body beside it in, a framed reply out. The console's build binds only this.

#include "leadline/validator.hpp"

#include <string>

namespace leadline {

class JsonValidator {
 public:
  /// As JsonEngine::validate, without an engine or a database.
  std::string validate(const std::string& request_json, const std::string& body) const;

 private:
  Validator validator_;
};

}  // namespace leadline
