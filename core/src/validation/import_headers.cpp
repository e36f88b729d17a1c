#include "validation/import_headers.hpp"

#include <cctype>

namespace leadline::validation {
namespace {

std::string fold(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '/') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

const std::vector<std::pair<std::string, std::vector<std::string>>>& import_header_aliases() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> table{
      {"email", {"email", "E-mail", "Email Address", "E-mail Address", "Work Email", "Business Email"}},
      {"firstName", {"firstName", "First Name", "First", "Given Name"}},
      {"lastName", {"lastName", "Last Name", "Last", "Surname", "Family Name"}},
      {"companyName", {"companyName", "Company", "Company Name", "Organization", "Organisation", "Account Name"}},
      {"jobTitle", {"jobTitle", "Title", "Job Title", "Position"}},
      {"phoneNumber", {"phoneNumber", "Phone", "Phone Number", "Mobile", "Mobile Phone", "Mobile Number", "Telephone", "Work Phone"}},
      {"externalId", {"externalId", "External ID", "Record ID", "Contact ID", "CRM ID"}},
      {"country", {"country", "Country/Region", "Country Code"}},
      {"status", {"status", "Lead Status"}},
      {"emailVerificationStatus", {"emailVerificationStatus", "Email Verification Status", "Email Status"}},
      {"tags", {"tags", "Labels"}},
  };
  return table;
}

std::optional<std::string> field_for_header(std::string_view header) {
  const auto folded = fold(header);
  if (folded.empty()) return std::nullopt;
  for (const auto& [field, aliases] : import_header_aliases()) {
    for (const auto& alias : aliases)
      if (fold(alias) == folded) return field;
  }
  return std::nullopt;
}

}  // namespace leadline::validation
