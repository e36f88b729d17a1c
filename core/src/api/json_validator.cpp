#include "leadline/json_validator.hpp"

#include "api/json_boundary.hpp"

namespace leadline {

std::string JsonValidator::validate(const std::string& request_json, const std::string& body) const {
  auto request = api::request_from_json(request_json, body);
  return request ? api::to_json(validator_.validate(*request)) : api::malformed();
}

}  // namespace leadline
