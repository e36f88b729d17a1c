#pragma once
/// Checks requests exactly as the engine's validate-only mode does — route, query, body, every
/// field — with no database at all. The console's in-page checks run on it (the browser build
/// links no store and no SQLite).

#include "leadline/http.hpp"

#include <cstddef>

namespace leadline {

struct ValidatorOptions {
  std::size_t max_body_bytes = 1024 * 1024;               ///< as EngineOptions::max_body_bytes
  std::size_t max_batch_body_bytes = 16 * 1024 * 1024;    ///< as EngineOptions::max_batch_body_bytes
};

class Validator {
 public:
  explicit Validator(ValidatorOptions options = {}) : options_(options) {}

  /// 200 `{"valid": true}` when `request` passes every check a request can pass without stored
  /// data, else the error `Engine::handle` would give for the same input.
  Response validate(const Request& request) const;

 private:
  ValidatorOptions options_;
};

}  // namespace leadline
