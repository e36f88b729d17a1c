#include "batch/lead_suppression.hpp"

#include "domain/vocabulary.hpp"

namespace leadline::batch {

nlohmann::json suppressed_detail(const store::SuppressionMatch& match) {
  nlohmann::json detail{{"field", match.field}};
  if (match.entry.value) detail["suppressionId"] = format_id(kSuppressionIdPrefix, match.entry.id);
  return detail;
}

Error suppressed_error(const store::SuppressionMatch& match) {
  const auto what = match.field == "email" ? std::string("email address") : std::string("phone number");
  return Error{ErrorCode::Suppressed, match.field + ": this " + what + " is on the workspace's suppression list",
               {{"field", match.field}, {"details", suppressed_detail(match)}}};
}

Status suppress_for_status(store::SuppressionStore& suppressions, const Lead& lead, IdGenerator& ids,
                           std::int64_t now) {
  const auto status = domain::parse_term(domain::kLeadStatuses, lead.status);
  if (!status) return Ok{};
  const auto source = domain::suppression_source_for(*status);
  if (!source) return Ok{};
  store::SuppressionRecord entry;
  if (lead.email) {
    entry.kind = domain::SuppressionKind::Email;
    entry.value = lead.email;
  } else if (lead.phone_number) {
    entry.kind = domain::SuppressionKind::PhoneNumber;
    entry.value = lead.phone_number;
  } else {
    return Ok{};  // nothing to recognise the person by
  }
  entry.id = ids.next(now);
  entry.workspace_id = lead.workspace_id;
  entry.source = *source;
  entry.lead_id = lead.id;
  entry.created_at = now;
  auto added = suppressions.insert(entry);
  if (!added) return added.take_error();
  return Ok{};
}

}  // namespace leadline::batch
