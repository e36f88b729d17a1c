#pragma once
// Every route's decode step: what it reads of the request and how it refuses bad input. Each is
// `Result<T> decode_…(const DecodeInput&)`; the route's execute step takes the `T` (router.cpp
// pairs them). They read nothing stored, so validate-only mode needs no database.

#include "api/decode_input.hpp"
#include "domain/audit_query.hpp"
#include "leadline/lead.hpp"
#include "validation/campaign_input.hpp"
#include "validation/history_queries.hpp"
#include "validation/lead_bulk_update_input.hpp"
#include "validation/lead_delete_input.hpp"
#include "validation/lead_merge_input.hpp"
#include "validation/lead_import_input.hpp"
#include "validation/lead_input.hpp"
#include "validation/query_params.hpp"
#include "validation/erasure_input.hpp"
#include "validation/suppression_input.hpp"
#include "validation/webhook_input.hpp"

#include <string>
#include <vector>

namespace leadline::api {

/// What `POST /leads` creates: one lead, or a batch (`{"leads": [...]}`).
/// `POST /leads`: one lead or a batch, each with the fields as given (an upsert fills only those),
/// and what to do with a lead that exists already.
struct LeadsToCreate {
  bool batch = false;
  std::vector<Lead> leads;
  std::vector<validation::LeadInput> inputs;              ///< the same entries, as given
  std::optional<domain::DuplicatePolicy> on_duplicate;  ///< absent: skip in a batch, 409 for one lead
};


Result<domain::AuditQuery> decode_list_audit(const DecodeInput& context);
Result<validation::AddLeadsRequest> decode_add_campaign_leads(const DecodeInput& context);
Result<validation::MembershipQuery> decode_list_campaign_leads(const DecodeInput& context);
Result<validation::MembershipQuery> decode_export_campaign_leads(const DecodeInput& context);
Result<validation::SequenceInput> decode_create_sequence(const DecodeInput& context);
Result<validation::WebhookInput> decode_create_webhook(const DecodeInput& context);
Result<std::string> decode_create_campaign(const DecodeInput& context);
Result<validation::CampaignListQuery> decode_list_campaigns(const DecodeInput& context);
Result<std::string> decode_update_campaign(const DecodeInput& context);
Result<std::string> decode_change_campaign_status(const DecodeInput& context);
Result<bool> decode_delete_campaign(const DecodeInput& context);
Result<validation::LeadImportPlan> decode_import_leads(const DecodeInput& context);
Result<validation::PageRequest> decode_list_jobs(const DecodeInput& context);
Result<bool> decode_delete_lead(const DecodeInput& context);
Result<validation::DeleteLeadsRequest> decode_delete_leads(const DecodeInput& context);
Result<validation::BulkUpdateRequest> decode_update_leads(const DecodeInput& context);
Result<validation::MergeLeadsRequest> decode_merge_leads(const DecodeInput& context);
Result<validation::BulkDeleteRequest> decode_bulk_delete_by_identifier(const DecodeInput& context);
Result<validation::LeadExportQuery> decode_export_leads(const DecodeInput& context);
Result<LeadsToCreate> decode_create_leads(const DecodeInput& context);
Result<validation::LeadListQuery> decode_list_leads(const DecodeInput& context);
Result<validation::LeadInput> decode_update_lead(const DecodeInput& context);
Result<validation::PageRequest> decode_list_receipts(const DecodeInput& context);
Result<NothingDecoded> decode_restore_receipt(const DecodeInput& context);
Result<validation::EraseLeadsRequest> decode_erase_leads(const DecodeInput& context);
Result<bool> decode_erase_lead(const DecodeInput& context);
Result<validation::AddSuppressionsRequest> decode_add_suppressions(const DecodeInput& context);
Result<validation::SuppressionListQuery> decode_list_suppressions(const DecodeInput& context);
Result<validation::SuppressionCheckQuery> decode_check_suppression(const DecodeInput& context);
Result<validation::WebhookEndpointInput> decode_create_webhook_endpoint(const DecodeInput& context);
Result<validation::WebhookEndpointChange> decode_update_webhook_endpoint(const DecodeInput& context);
Result<validation::SecretRotationInput> decode_rotate_webhook_secret(const DecodeInput& context);
Result<validation::ReplayInput> decode_replay_webhook_events(const DecodeInput& context);
Result<validation::DeliveryListQuery> decode_list_webhook_deliveries(const DecodeInput& context);
/// A route whose optional body must be empty when sent (retry, test, cancel).
Result<NothingDecoded> decode_empty_body(const DecodeInput& context);

}  // namespace leadline::api
