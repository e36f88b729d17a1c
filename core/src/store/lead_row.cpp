#include "store/lead_row.hpp"

namespace leadline::store {

const char* const kLeadColumns =
    "l.id, l.workspace_id, l.email, l.first_name, l.last_name, l.company_name, l.job_title, l.phone_number, "
    "l.external_id, l.status, l.tags, l.country, l.email_verification_status, l.custom_fields, l.metadata, "
    "l.created_at, l.updated_at";

Lead read_lead(const Statement& row, int first) {
  Lead lead;
  lead.id = row.int64(first + 0);
  lead.workspace_id = row.int64(first + 1);
  lead.email = row.optional_text(first + 2);
  lead.first_name = row.optional_text(first + 3);
  lead.last_name = row.optional_text(first + 4);
  lead.company_name = row.optional_text(first + 5);
  lead.job_title = row.optional_text(first + 6);
  lead.phone_number = row.optional_text(first + 7);
  lead.external_id = row.optional_text(first + 8);
  lead.status = row.text(first + 9);
  lead.tags = nlohmann::json::parse(row.text(first + 10)).get<std::vector<std::string>>();
  lead.country = row.optional_text(first + 11);
  lead.email_verification_status = row.text(first + 12);
  lead.custom_fields = nlohmann::json::parse(row.text(first + 13));
  lead.metadata = nlohmann::json::parse(row.text(first + 14));
  lead.created_at = row.int64(first + 15);
  lead.updated_at = row.int64(first + 16);
  return lead;
}

}  // namespace leadline::store
