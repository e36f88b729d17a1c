#pragma once
// Which lead field a CSV column is, by its header: the field's own name, or a header a CRM or
// outreach tool writes for it (HubSpot's "Record ID", Salesforce's "Account Name", Apollo's
// "Title", lemlist's "companyName", …). Compared folded: case, spaces, '_', '-', '.' and '/' do
// not count. The table is served at GET /meta as `importHeaders`; docs/api-conventions.md shows it
// and a test keeps the two equal.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadline::validation {

/// Each importable field with the headers recognised for it, as they are usually written.
const std::vector<std::pair<std::string, std::vector<std::string>>>& import_header_aliases();

/// The field `header` names, or nullopt (the column is ignored unless a mapping names it).
std::optional<std::string> field_for_header(std::string_view header);

}  // namespace leadline::validation
