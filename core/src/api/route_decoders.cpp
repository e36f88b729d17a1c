#include "api/route_decoders.hpp"

#include "validation/limits.hpp"
#include "validation/problems.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;
using validation::Problems;

Result<LeadsToCreate> decode_batch(const json& body) {
  Problems problems;
  for (const auto& [key, value] : body.items()) {
    if (key != "leads" && key != "onDuplicate") problems.add(key, "unknown field (a batch body holds \"leads\" and \"onDuplicate\")");
  }
  LeadsToCreate decoded{true, {}, {}, validation::read_duplicate_policy(body, problems)};
  const auto& entries = body["leads"];
  if (!entries.is_array()) {
    problems.add("leads", "must be an array of lead objects");
    return problems.to_error();
  }
  if (entries.empty()) problems.add("leads", "must contain at least one lead");
  if (entries.size() > validation::kMaxLeadsPerCreate) {
    problems.add("leads", "must contain at most " + std::to_string(validation::kMaxLeadsPerCreate) + " leads");
  }
  if (!problems.empty()) return problems.to_error();

  decoded.leads.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto path = validation::index_path("leads", i);
    decoded.inputs.push_back(validation::decode_lead_input(entries[i], path, problems));
    decoded.leads.push_back(validation::lead_from_input(decoded.inputs.back(), path, problems));
  }
  // All or nothing: one bad entry refuses the whole batch, so a retry after fixing it is safe.
  if (!problems.empty()) return problems.to_error();
  return decoded;
}

}  // namespace

Result<domain::AuditQuery> decode_list_audit(const DecodeInput& context) { return validation::decode_audit_query(context.query); }


Result<validation::AddLeadsRequest> decode_add_campaign_leads(const DecodeInput& context) { return validation::decode_add_leads_body(*context.body); }


Result<validation::MembershipQuery> decode_list_campaign_leads(const DecodeInput& context) { return validation::decode_membership_query(context.query, true); }


Result<validation::MembershipQuery> decode_export_campaign_leads(const DecodeInput& context) { return validation::decode_membership_query(context.query, false); }


Result<validation::SequenceInput> decode_create_sequence(const DecodeInput& context) { return validation::decode_sequence_body(*context.body); }


Result<validation::WebhookInput> decode_create_webhook(const DecodeInput& context) { return validation::decode_webhook_body(*context.body); }


Result<std::string> decode_create_campaign(const DecodeInput& context) { return validation::decode_campaign_name_body(*context.body); }


Result<validation::CampaignListQuery> decode_list_campaigns(const DecodeInput& context) { return validation::decode_campaign_list_query(context.query); }


Result<std::string> decode_update_campaign(const DecodeInput& context) { return validation::decode_campaign_name_body(*context.body); }


Result<std::string> decode_change_campaign_status(const DecodeInput& context) { return validation::decode_status_body(*context.body); }


Result<bool> decode_delete_campaign(const DecodeInput& context) {
  return validation::decode_force_option(context.query, context.body);
}


Result<validation::LeadImportPlan> decode_import_leads(const DecodeInput& context) {
  return validation::decode_lead_import_body(*context.body);
}


Result<validation::PageRequest> decode_list_jobs(const DecodeInput& context) { return validation::decode_plain_list_query(context.query); }




Result<bool> decode_delete_lead(const DecodeInput& context) { return validation::decode_force_option(context.query, context.body); }


Result<validation::DeleteLeadsRequest> decode_delete_leads(const DecodeInput& context) { return validation::decode_delete_leads_body(*context.body); }
Result<validation::BulkUpdateRequest> decode_update_leads(const DecodeInput& context) { return validation::decode_bulk_update_body(*context.body); }
Result<validation::MergeLeadsRequest> decode_merge_leads(const DecodeInput& context) { return validation::decode_merge_leads_body(*context.body); }


Result<validation::BulkDeleteRequest> decode_bulk_delete_by_identifier(const DecodeInput& context) { return validation::decode_bulk_delete_body(*context.body); }


Result<validation::LeadExportQuery> decode_export_leads(const DecodeInput& context) { return validation::decode_lead_export_query(context.query); }


Result<LeadsToCreate> decode_create_leads(const DecodeInput& context) {
  const auto& body = *context.body;
  if (!body.is_object()) return Error::invalid_field("body", "must be a JSON object");
  if (body.contains("leads")) return decode_batch(body);
  Problems problems;
  const auto on_duplicate = validation::read_duplicate_policy(body, problems);
  auto input = validation::decode_lead_input(body, "", problems, {"onDuplicate"});
  auto lead = validation::lead_from_input(input, "", problems);
  if (!problems.empty()) return problems.to_error();
  return LeadsToCreate{false, {std::move(lead)}, {std::move(input)}, on_duplicate};
}


Result<validation::LeadListQuery> decode_list_leads(const DecodeInput& context) { return validation::decode_lead_list_query(context.query); }


Result<validation::LeadInput> decode_update_lead(const DecodeInput& context) {
  const auto& body = *context.body;
  Problems problems;
  auto input = validation::decode_lead_input(body, "", problems);
  if (!problems.empty()) return problems.to_error();
  if (body.empty()) return Error::invalid_field("body", "must change at least one field");
  return input;
}


Result<validation::PageRequest> decode_list_receipts(const DecodeInput& context) { return validation::decode_plain_list_query(context.query); }


Result<NothingDecoded> decode_restore_receipt(const DecodeInput& context) {
  validation::Problems problems;
  if (context.body) {
    if (!context.body->is_object()) return Error::invalid_field("body", "must be a JSON object");
    for (const auto& [key, value] : context.body->items()) problems.add(key, "unknown field; allowed: dryRun, expectedCount");
  }
  if (!problems.empty()) return problems.to_error();
  return NothingDecoded{};
}

Result<validation::EraseLeadsRequest> decode_erase_leads(const DecodeInput& context) {
  return validation::decode_erase_leads_body(*context.body);
}


Result<bool> decode_erase_lead(const DecodeInput& context) { return validation::decode_erase_lead_body(context.body); }


Result<validation::AddSuppressionsRequest> decode_add_suppressions(const DecodeInput& context) {
  return validation::decode_add_suppressions_body(*context.body);
}


Result<validation::SuppressionListQuery> decode_list_suppressions(const DecodeInput& context) {
  return validation::decode_suppression_list_query(context.query);
}


Result<validation::SuppressionCheckQuery> decode_check_suppression(const DecodeInput& context) {
  return validation::decode_suppression_check_query(context.query);
}


Result<validation::WebhookEndpointInput> decode_create_webhook_endpoint(const DecodeInput& context) {
  return validation::decode_webhook_endpoint_body(*context.body);
}

Result<validation::WebhookEndpointChange> decode_update_webhook_endpoint(const DecodeInput& context) {
  return validation::decode_webhook_endpoint_change(*context.body);
}

Result<validation::SecretRotationInput> decode_rotate_webhook_secret(const DecodeInput& context) {
  return validation::decode_secret_rotation_body(context.body);
}

Result<validation::ReplayInput> decode_replay_webhook_events(const DecodeInput& context) {
  return validation::decode_replay_body(*context.body);
}

Result<validation::DeliveryListQuery> decode_list_webhook_deliveries(const DecodeInput& context) {
  return validation::decode_delivery_list_query(context.query);
}

Result<NothingDecoded> decode_empty_body(const DecodeInput& context) {
  if (context.body && !context.body->empty()) return Error::invalid_field("body", "must be empty");
  return NothingDecoded{};
}

}  // namespace leadline::api
