#include "api/lead_routes.hpp"

#include "domain/vocabulary.hpp"

#include "batch/lead_batch_plan.hpp"
#include "batch/lead_suppression.hpp"
#include "batch/lead_upsert.hpp"
#include "api/webhook_outbox.hpp"
#include "validation/lead_input.hpp"
#include "validation/limits.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;
using validation::Problems;

batch::LeadIdLookup email_lookup(RouteContext& context) {
  return [&context](const std::string& email) {
    return context.services.leads.find_id_by_email(context.principal->workspace_id, email);
  };
}

batch::LeadIdLookup external_id_lookup(RouteContext& context) {
  return [&context](const std::string& external_id) {
    return context.services.leads.find_id_by_external_id(context.principal->workspace_id, external_id);
  };
}

Error duplicate_error(const batch::LeadBatchOutcome& outcome) {
  const bool email = outcome.reason == "duplicate_email";
  return Error{ErrorCode::Conflict,
               email ? "A lead with this email already exists" : "A lead with this externalId already exists",
               {{"details",
                 {{"field", email ? "email" : "externalId"},
                  {"existingLeadId", format_id(kLeadIdPrefix, outcome.existing_lead_id.value_or(0))}}}}};
}

// Gives a decoded lead its id, workspace and timestamps, then stores it (and, for an
// unsubscribed or bounced lead, its suppression entry).
Status store_new_lead(RouteContext& context, Lead& lead) {
  lead.id = context.services.ids.next(context.now);
  lead.workspace_id = context.principal->workspace_id;
  lead.created_at = context.now;
  lead.updated_at = context.now;
  if (auto status = context.services.leads.insert(lead); !status) return status;
  return batch::suppress_for_status(context.services.suppressions, lead, context.services.ids, context.now);
}

Result<std::optional<store::SuppressionMatch>> suppression_of(RouteContext& context, Lead& lead) {
  lead.workspace_id = context.principal->workspace_id;
  return context.services.suppressions.match_lead(lead);
}

Result<batch::UpsertOutcome> update_existing(RouteContext& context, std::int64_t lead_id, const validation::LeadInput& given) {
  return batch::update_existing_lead(context.services.leads, context.services.suppressions, context.services.ids,
                                     context.principal->workspace_id, lead_id, given, context.now);
}

PendingEvent updated_event(const std::vector<std::int64_t>& ids) {
  return {domain::WebhookEvent::LeadUpdated, std::nullopt,
          {{"updatedCount", ids.size()}, {"leadIds", event_ids(kLeadIdPrefix, ids)}}};
}

Result<Reply> create_one(RouteContext& context, LeadsToCreate& decoded) {
  auto& lead = decoded.leads.front();
  auto suppressed = suppression_of(context, lead);
  if (!suppressed) return suppressed.take_error();
  if (*suppressed) return batch::suppressed_error(**suppressed);
  auto plan = batch::plan_lead_batch({lead}, email_lookup(context), external_id_lookup(context));
  if (!plan) return plan.take_error();
  const auto& outcome = plan->front();
  if (!outcome.create) {
    // One lead: a duplicate is a 409 unless the request asked to skip it or to update it.
    const auto policy = decoded.on_duplicate.value_or(domain::DuplicatePolicy::Error);
    if (policy == domain::DuplicatePolicy::Error) return duplicate_error(outcome);
    const auto existing_id = *outcome.existing_lead_id;
    if (policy == domain::DuplicatePolicy::Skip) {
      auto existing = load_lead(context, format_id(kLeadIdPrefix, existing_id));
      if (!existing) return existing.take_error();
      return Reply{200, lead_to_json(*existing), "A lead with this " + std::string(outcome.reason == "duplicate_email" ? "email" : "externalId") +
                                                     " already exists; nothing was changed"};
    }
    auto updated = update_existing(context, existing_id, decoded.inputs.front());
    if (!updated) return updated.take_error();
    if (updated->refused) return *updated->refused;
    Reply reply{200, lead_to_json(*updated->lead), "Lead updated"};
    reply.events.push_back(updated_event({existing_id}));
    return reply;
  }
  if (auto status = store_new_lead(context, lead); !status) return status.take_error();
  Reply reply{201, lead_to_json(lead), std::nullopt};
  reply.events.push_back({domain::WebhookEvent::LeadCreated, std::nullopt,
                          {{"createdCount", 1}, {"leadIds", event_ids(kLeadIdPrefix, {lead.id})}}});
  return reply;
}

Result<Reply> create_batch(RouteContext& context, LeadsToCreate& decoded) {
  auto& leads = decoded.leads;
  const auto policy = decoded.on_duplicate.value_or(domain::DuplicatePolicy::Skip);
  // Suppressed entries are set aside first: they neither create nor count as the batch's first
  // holder of an address.
  // An empty list (most workspaces) costs one query, not three per entry.
  auto any_suppressed = context.services.suppressions.any(context.principal->workspace_id);
  if (!any_suppressed) return any_suppressed.take_error();
  std::vector<std::optional<store::SuppressionMatch>> suppressed(leads.size());
  std::vector<Lead> admitted;
  std::vector<std::size_t> admitted_index;
  for (std::size_t i = 0; i < leads.size(); ++i) {
    if (*any_suppressed) {
      auto match = suppression_of(context, leads[i]);
      if (!match) return match.take_error();
      suppressed[i] = std::move(*match);
    }
    if (suppressed[i]) continue;
    admitted.push_back(leads[i]);
    admitted_index.push_back(i);
  }
  auto admitted_plan = batch::plan_lead_batch(admitted, email_lookup(context), external_id_lookup(context));
  if (!admitted_plan) return admitted_plan.take_error();
  std::vector<batch::LeadBatchOutcome> plan(leads.size(), batch::LeadBatchOutcome{false, "", std::nullopt, std::nullopt});
  for (std::size_t k = 0; k < admitted.size(); ++k) {
    auto outcome = (*admitted_plan)[k];
    if (outcome.duplicate_of) outcome.duplicate_of = admitted_index[*outcome.duplicate_of];
    plan[admitted_index[k]] = std::move(outcome);
  }
  json results = json::array();
  std::vector<std::int64_t> created_ids;
  std::vector<std::int64_t> updated_ids;
  std::size_t suppressed_count = 0;
  std::size_t failed = 0;
  const auto outcome_name = [](domain::EntryOutcome outcome) { return domain::name_of(domain::kEntryOutcomes, outcome); };
  for (std::size_t i = 0; i < leads.size(); ++i) {
    const auto& outcome = plan[i];
    json result{{"index", i}};
    const auto describe_duplicate = [&] {
      result["reason"] = outcome.reason;
      if (outcome.existing_lead_id) result["existingLeadId"] = format_id(kLeadIdPrefix, *outcome.existing_lead_id);
      if (outcome.duplicate_of) result["duplicateOf"] = *outcome.duplicate_of;
    };
    if (suppressed[i]) {
      result["status"] = outcome_name(domain::EntryOutcome::Suppressed);
      result.update(batch::suppressed_detail(*suppressed[i]));
      ++suppressed_count;
    } else if (outcome.create) {
      if (auto status = store_new_lead(context, leads[i]); !status) return status.take_error();
      result["status"] = outcome_name(domain::EntryOutcome::Created);
      result["id"] = format_id(kLeadIdPrefix, leads[i].id);
      created_ids.push_back(leads[i].id);
    } else if (policy == domain::DuplicatePolicy::Error) {
      result["status"] = outcome_name(domain::EntryOutcome::Error);
      describe_duplicate();
      result["message"] = duplicate_error(outcome).message;
      ++failed;
    } else if (policy == domain::DuplicatePolicy::Update && outcome.existing_lead_id) {
      auto updated = update_existing(context, *outcome.existing_lead_id, decoded.inputs[i]);
      if (!updated) return updated.take_error();
      if (updated->refused) {
        result["status"] = outcome_name(domain::EntryOutcome::Error);
        describe_duplicate();
        result["message"] = updated->refused->message;
        ++failed;
      } else {
        result["status"] = outcome_name(domain::EntryOutcome::Updated);
        result["id"] = format_id(kLeadIdPrefix, *outcome.existing_lead_id);
        updated_ids.push_back(*outcome.existing_lead_id);
      }
    } else {
      // Skipped; with `update`, an entry repeating an earlier one of the batch is skipped too.
      result["status"] = outcome_name(domain::EntryOutcome::Skipped);
      describe_duplicate();
    }
    results.push_back(std::move(result));
  }
  const auto created = created_ids.size();
  json data{{"created", created},
            {"skipped", leads.size() - created - updated_ids.size() - suppressed_count - failed},
            {"suppressed", suppressed_count},
            {"results", std::move(results)}};
  // Counts only an upsert can have, so the vendor's reply shape stays as it was without one.
  if (decoded.on_duplicate) {
    data["updated"] = updated_ids.size();
    data["failed"] = failed;
  }
  Reply reply{created > 0 ? 201 : 200, std::move(data), std::nullopt};
  if (created > 0) {
    reply.events.push_back({domain::WebhookEvent::LeadCreated, std::nullopt,
                            {{"createdCount", created}, {"leadIds", event_ids(kLeadIdPrefix, created_ids)}}});
  }
  if (!updated_ids.empty()) reply.events.push_back(updated_event(updated_ids));
  return reply;
}

// 409 when `value` (changed by an update) already belongs to another lead.
Status check_unique(const batch::LeadIdLookup& lookup, const std::optional<std::string>& value,
                    const std::optional<std::string>& previous, std::int64_t lead_id, const char* reason) {
  if (!value || value == previous) return Ok{};
  auto existing = lookup(*value);
  if (!existing) return existing.take_error();
  if (*existing && **existing != lead_id) {
    return duplicate_error({false, reason, **existing, std::nullopt});
  }
  return Ok{};
}

}  // namespace

Error lead_not_found(const std::string& lead_id) {
  return Error{ErrorCode::LeadNotFound, "Lead not found",
               {{"details", {{"leadId", lead_id}, {"message", "No lead found with this ID in your workspace"}}}}};
}

Result<Lead> load_lead(RouteContext& context, const std::string& lead_id) {
  const auto id = parse_id(kLeadIdPrefix, lead_id);
  if (!id) return lead_not_found(lead_id);
  auto lead = context.services.leads.find(context.principal->workspace_id, *id);
  if (!lead) return lead.take_error();
  if (!*lead) return lead_not_found(lead_id);
  return std::move(**lead);
}

Result<Reply> create_leads(RouteContext& context, LeadsToCreate& decoded) {
  return decoded.batch ? create_batch(context, decoded) : create_one(context, decoded);
}

Result<Reply> list_leads(RouteContext& context, validation::LeadListQuery& decoded) {
  auto* query = &decoded;
  auto page = context.services.leads.list(context.principal->workspace_id, query->filters, query->page.limit,
                                          query->page.before_id);
  if (!page) return page.take_error();
  json leads = json::array();
  for (const auto& lead : page->leads) leads.push_back(lead_to_json(lead));
  json next_cursor = nullptr;
  if (page->has_more) next_cursor = validation::encode_cursor(page->leads.back().id);
  return Reply{200, {{"leads", std::move(leads)}, {"nextCursor", next_cursor}, {"hasMore", page->has_more}},
               std::nullopt};
}

Result<Reply> get_lead(RouteContext& context, NothingDecoded&) {
  auto lead = load_lead(context, context.path_params[0]);
  if (!lead) return lead.take_error();
  return Reply{200, lead_to_json(*lead), std::nullopt};
}

Result<Reply> update_lead(RouteContext& context, validation::LeadInput& input) {
  Problems problems;

  auto lead = load_lead(context, context.path_params[0]);
  if (!lead) return lead.take_error();
  const Lead before = *lead;
  validation::apply_lead_update(*lead, input, "", problems);
  if (!problems.empty()) return problems.to_error();
  // Changing to a suppressed address or number is refused; a lead that was already suppressed
  // may still be edited.
  if (lead->email && lead->email != before.email) {
    auto entry = context.services.suppressions.match_email(lead->workspace_id, *lead->email);
    if (!entry) return entry.take_error();
    if (*entry) return batch::suppressed_error({std::move(**entry), "email"});
  }
  if (lead->phone_number && lead->phone_number != before.phone_number) {
    auto entry = context.services.suppressions.match_phone(lead->workspace_id, *lead->phone_number);
    if (!entry) return entry.take_error();
    if (*entry) return batch::suppressed_error({std::move(**entry), "phoneNumber"});
  }
  if (auto status = check_unique(email_lookup(context), lead->email, before.email, lead->id,
                                 "duplicate_email");
      !status)
    return status.take_error();
  if (auto status = check_unique(external_id_lookup(context), lead->external_id, before.external_id,
                                 lead->id, "duplicate_external_id");
      !status)
    return status.take_error();
  lead->updated_at = context.now;
  if (auto status = context.services.leads.update(*lead); !status) return status.take_error();
  if (lead->status != before.status) {
    if (auto status = batch::suppress_for_status(context.services.suppressions, *lead, context.services.ids, context.now);
        !status)
      return status.take_error();
  }
  Reply reply{200, lead_to_json(*lead), std::nullopt};
  reply.events.push_back({domain::WebhookEvent::LeadUpdated, std::nullopt,
                          {{"leadId", format_id(kLeadIdPrefix, lead->id)}, {"status", lead->status}}});
  return reply;
}

}  // namespace leadline::api
