#include "api/erasure_routes.hpp"

#include "api/webhook_outbox.hpp"

#include "api/lead_routes.hpp"
#include "api/receipts.hpp"
#include "store/personal_data_erasure.hpp"

#include <set>

namespace leadline::api {
namespace {

using json = nlohmann::json;
using domain::SuppressionKind;

// An erasure record is kept as long as the workspace: it is the proof the request was honoured.
constexpr std::int64_t kErasureRecordKeptMs = 100LL * 365 * 24 * 3600 * 1000;

struct People {
  std::vector<Lead> leads;               ///< rows in `leads`, live or deleted
  std::vector<std::int64_t> copied_ids;  ///< leads only a receipt's copy still holds
  std::set<std::string> emails;          ///< to keep suppressed, as hashes
  std::set<std::string> phone_numbers;
  std::vector<std::string> not_found;    ///< ids mode: ids that name no lead
};

void add_lead(People& people, Lead lead) {
  if (lead.email) people.emails.insert(*lead.email);
  if (lead.phone_number) people.phone_numbers.insert(*lead.phone_number);
  people.leads.push_back(std::move(lead));
}

// What a mention of these people looks like in a stored request or reply.
std::vector<std::string> needles_of(const People& people) {
  std::set<std::string> needles(people.emails.begin(), people.emails.end());
  needles.insert(people.phone_numbers.begin(), people.phone_numbers.end());
  for (const auto& lead : people.leads) {
    needles.insert(format_id(kLeadIdPrefix, lead.id));
    if (lead.external_id) needles.insert(*lead.external_id);
  }
  for (const auto id : people.copied_ids) needles.insert(format_id(kLeadIdPrefix, id));
  return {needles.begin(), needles.end()};
}

Result<Reply> erase(RouteContext& context, People& people) {
  auto& services = context.services;
  const auto workspace_id = context.principal->workspace_id;
  store::PersonalDataErasure erasure(services.db);
  const auto needles = needles_of(people);
  auto pending = erasure.pending_import_mentions(workspace_id, needles);
  if (!pending) return pending.take_error();
  if (*pending) {
    return Error{ErrorCode::Conflict,
                 "An import that has not finished holds this person's data: wait for it to finish or cancel it, then erase"};
  }

  store::SecureDeleteScope zeroed(services.db);
  store::ErasureCounts counts;
  std::vector<std::pair<std::int64_t, std::int64_t>> ids;
  for (const auto& lead : people.leads) ids.emplace_back(lead.id, services.ids.next(context.now));
  for (const auto id : people.copied_ids) ids.emplace_back(id, services.ids.next(context.now));
  if (auto status = erasure.erase_leads(workspace_id, ids, counts); !status) return status.take_error();
  const std::vector<std::string> phone_numbers(people.phone_numbers.begin(), people.phone_numbers.end());
  if (auto status = erasure.redact_mentions(workspace_id, needles, phone_numbers, counts); !status)
    return status.take_error();
  const auto keep_hashed = [&](SuppressionKind kind, const std::string& value) -> Status {
    auto hashed = services.suppressions.keep_only_hash(workspace_id, kind, value, services.ids.next(context.now), context.now);
    if (!hashed) return hashed.take_error();
    counts.suppression_entries += *hashed;
    return Ok{};
  };
  for (const auto& email : people.emails) {
    if (auto status = keep_hashed(SuppressionKind::Email, email); !status) return status.take_error();
  }
  for (const auto& phone : people.phone_numbers) {
    if (auto status = keep_hashed(SuppressionKind::PhoneNumber, phone); !status) return status.take_error();
  }

  const auto erased_leads = counts.leads + static_cast<std::int64_t>(people.copied_ids.size());
  store::ReceiptRecord record;
  record.id = services.ids.next(context.now);
  record.workspace_id = workspace_id;
  record.kind = "erasure";
  record.endpoint = context.request.method + " " + context.request.path;
  record.summary = counts.to_json();
  record.restorable = false;
  record.key_prefix = key_prefix_of(*context.principal);
  record.created_at = context.now;
  record.expires_at = context.now + kErasureRecordKeptMs;
  if (auto status = services.receipts.insert(record); !status) return status.take_error();
  if (auto status = services.receipts.set_summary(record.id, record.summary); !status) return status.take_error();

  Reply reply{200, {{"erasedLeads", erased_leads},
                    {"suppressedEmails", people.emails.size()},
                    {"suppressedPhoneNumbers", people.phone_numbers.size()},
                    {"erased", counts.to_json()},
                    {"receiptId", format_id(kReceiptIdPrefix, record.id)}},
              "Personal data erased"};
  if (!people.not_found.empty()) reply.data["notFoundIds"] = people.not_found;
  reply.affected = erased_leads;
  reply.keeps_no_request = true;
  reply.events.push_back({domain::WebhookEvent::LeadErased, std::nullopt,
                          {{"erasedCount", erased_leads}, {"receiptId", format_id(kReceiptIdPrefix, record.id)}}});
  return reply;
}

}  // namespace

Result<Reply> erase_lead(RouteContext& context, bool&) {
  const auto& public_id = context.path_params[0];
  const auto id = parse_id(kLeadIdPrefix, public_id);
  if (!id) return lead_not_found(public_id);
  store::PersonalDataErasure erasure(context.services.db);
  auto lead = erasure.find_any(context.principal->workspace_id, *id);
  if (!lead) return lead.take_error();
  if (!*lead) return lead_not_found(public_id);
  People people;
  add_lead(people, std::move(**lead));
  return erase(context, people);
}

Result<Reply> erase_leads(RouteContext& context, validation::EraseLeadsRequest& decoded) {
  const auto workspace_id = context.principal->workspace_id;
  store::PersonalDataErasure erasure(context.services.db);
  People people;
  people.not_found = decoded.unknown_ids;
  for (const auto id : decoded.lead_ids) {
    auto lead = erasure.find_any(workspace_id, id);
    if (!lead) return lead.take_error();
    if (*lead) add_lead(people, std::move(**lead));
    else people.not_found.push_back(format_id(kLeadIdPrefix, id));
  }
  std::set<std::int64_t> seen;
  for (const auto& email : decoded.emails) {
    people.emails.insert(email);  // suppressed even when no lead has it
    auto leads = erasure.find_by_email(workspace_id, email);
    if (!leads) return leads.take_error();
    for (auto& lead : *leads) {
      if (seen.insert(lead.id).second) add_lead(people, std::move(lead));
    }
    auto copied = erasure.copied_ids_by_email(workspace_id, email);
    if (!copied) return copied.take_error();
    for (const auto id : *copied) {
      if (seen.insert(id).second) people.copied_ids.push_back(id);
    }
  }
  return erase(context, people);
}

}  // namespace leadline::api
