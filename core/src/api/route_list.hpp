#pragma once
// Every route the API serves, once: method, pattern (after the version prefix), scope, body rule,
// reach, decode step, execute step, safety controls, query shape, body size. Expanded twice — into
// the engine's route table (router.cpp: both steps) and into the validation build's table
// (validation_routes.cpp: decode steps only, so that build links no store and no SQLite).
// Order matters where patterns overlap: GET /leads/export comes before GET /leads/:id, which would
// otherwise take "export" for an id.

#include "validation/query_params.hpp"
#include "validation/request_controls.hpp"

namespace leadline::api {

inline constexpr unsigned kPreview = validation::kPreviewControls;
inline constexpr unsigned kPreviewAndPurge = validation::kPreviewControls | validation::kPurgeControl;
inline constexpr unsigned kNone = validation::kNoControls;

inline const validation::QueryShape kNoQuery{};
inline const validation::QueryShape kPage{{"limit", "cursor"}};
inline const validation::QueryShape kLeadList{{"limit", "cursor"}, {}, true};
inline const validation::QueryShape kLeadExport{{"format"}, {}, true};
inline const validation::QueryShape kForce{{"force"}};
inline const validation::QueryShape kCampaignList{{"status", "includeArchived", "limit", "cursor"}, {"status"}};
inline const validation::QueryShape kMembers{{"status", "limit", "cursor"}, {"status"}};
inline const validation::QueryShape kMembersExport{{"status"}, {"status"}};
inline const validation::QueryShape kSuppressionList{{"limit", "cursor", "kind", "source", "search"}};
inline const validation::QueryShape kSuppressionCheck{{"email", "phoneNumber"}};
inline const validation::QueryShape kDeliveries{{"limit", "cursor", "state"}};
inline const validation::QueryShape kAudit{{"limit", "cursor", "method", "route", "receiptId", "since", "until"}};


}  // namespace leadline::api

// ROUTE(method, pattern, scope, body, reach, decode, execute, controls, query, body_size)
#define LEADLINE_ROUTE_LIST(ROUTE) \
  ROUTE("GET", "/health", Scope::None, BodyRule::None, Reach::Public, decode_nothing, health, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/meta", Scope::None, BodyRule::None, Reach::Public, decode_nothing, meta, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/leads", Scope::Write, BodyRule::Required, Reach::Workspace, decode_create_leads, create_leads, kNone, kNoQuery, BodySize::Batch) \
  ROUTE("GET", "/leads", Scope::Read, BodyRule::None, Reach::Workspace, decode_list_leads, list_leads, kNone, kLeadList, BodySize::Ordinary) \
  ROUTE("PATCH", "/leads", Scope::Write, BodyRule::Required, Reach::Workspace, decode_update_leads, update_leads, kPreview, kNoQuery, BodySize::Ordinary) \
  ROUTE("DELETE", "/leads", Scope::Write, BodyRule::Required, Reach::Workspace, decode_delete_leads, delete_leads, kPreviewAndPurge, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/leads/export", Scope::Read, BodyRule::None, Reach::Workspace, decode_export_leads, export_leads, kNone, kLeadExport, BodySize::Ordinary) \
  ROUTE("POST", "/leads/import", Scope::Write, BodyRule::Required, Reach::Workspace, decode_import_leads, import_leads, kPreview, kNoQuery, BodySize::Batch) \
  ROUTE("POST", "/leads/merge", Scope::Write, BodyRule::Required, Reach::Workspace, decode_merge_leads, merge_leads, kPreview, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/leads/erase", Scope::Write, BodyRule::Required, Reach::Workspace, decode_erase_leads, erase_leads, kPreview, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/leads/:id/erase", Scope::Write, BodyRule::Optional, Reach::Workspace, decode_erase_lead, erase_lead, kPreview, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/leads/bulk-delete", Scope::Write, BodyRule::Required, Reach::Campaign, decode_bulk_delete_by_identifier, bulk_delete_by_identifier, kPreviewAndPurge, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/records/bulk-delete", Scope::Write, BodyRule::Required, Reach::Campaign, decode_bulk_delete_by_identifier, bulk_delete_by_identifier, kPreviewAndPurge, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/leads/:id", Scope::Read, BodyRule::None, Reach::Workspace, decode_nothing, get_lead, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("DELETE", "/leads/:id", Scope::Write, BodyRule::Optional, Reach::Workspace, decode_delete_lead, delete_lead, kPreviewAndPurge, kForce, BodySize::Ordinary) \
  ROUTE("PUT", "/leads/:id", Scope::Write, BodyRule::Required, Reach::Workspace, decode_update_lead, update_lead, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("PATCH", "/leads/:id", Scope::Write, BodyRule::Required, Reach::Workspace, decode_update_lead, update_lead, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/campaigns", Scope::Write, BodyRule::Required, Reach::Workspace, decode_create_campaign, create_campaign, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/campaigns", Scope::Read, BodyRule::None, Reach::Campaign, decode_list_campaigns, list_campaigns, kNone, kCampaignList, BodySize::Ordinary) \
  ROUTE("GET", "/campaigns/:id", Scope::Read, BodyRule::None, Reach::Campaign, decode_nothing, get_campaign, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("PATCH", "/campaigns/:id", Scope::Write, BodyRule::Required, Reach::Campaign, decode_update_campaign, update_campaign, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("DELETE", "/campaigns/:id", Scope::Write, BodyRule::Optional, Reach::Campaign, decode_delete_campaign, delete_campaign, kPreviewAndPurge, kForce, BodySize::Ordinary) \
  ROUTE("PATCH", "/campaigns/:id/status", Scope::Write, BodyRule::Required, Reach::Campaign, decode_change_campaign_status, change_campaign_status, kPreview, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/campaigns/:id/status", Scope::Write, BodyRule::Required, Reach::Campaign, decode_change_campaign_status, change_campaign_status, kPreview, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/campaigns/:id/leads", Scope::Write, BodyRule::Required, Reach::Campaign, decode_add_campaign_leads, add_campaign_leads, kPreview, kNoQuery, BodySize::Batch) \
  ROUTE("GET", "/campaigns/:id/leads", Scope::Read, BodyRule::None, Reach::Campaign, decode_list_campaign_leads, list_campaign_leads, kNone, kMembers, BodySize::Ordinary) \
  ROUTE("GET", "/campaigns/:id/leads-export", Scope::Read, BodyRule::None, Reach::Campaign, decode_export_campaign_leads, export_campaign_leads, kNone, kMembersExport, BodySize::Ordinary) \
  ROUTE("POST", "/campaigns/:id/sequences", Scope::Write, BodyRule::Required, Reach::Campaign, decode_create_sequence, create_sequence, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/campaigns/:id/sequences", Scope::Read, BodyRule::None, Reach::Campaign, decode_nothing, list_sequences, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("DELETE", "/campaigns/:id/sequences/:sequenceId", Scope::Write, BodyRule::None, Reach::Campaign, decode_nothing, delete_sequence, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/campaigns/:id/webhooks", Scope::Write, BodyRule::Required, Reach::Campaign, decode_create_webhook, create_webhook, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/campaigns/:id/webhooks", Scope::Read, BodyRule::None, Reach::Campaign, decode_nothing, list_webhooks, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("DELETE", "/campaigns/:id/webhooks/:webhookId", Scope::Write, BodyRule::None, Reach::Campaign, decode_nothing, delete_webhook, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/receipts", Scope::Read, BodyRule::None, Reach::Workspace, decode_list_receipts, list_receipts, kNone, kPage, BodySize::Ordinary) \
  ROUTE("GET", "/receipts/:id", Scope::Read, BodyRule::None, Reach::Workspace, decode_nothing, get_receipt, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/receipts/:id/restore", Scope::Write, BodyRule::Optional, Reach::Workspace, decode_restore_receipt, restore_receipt, kPreview, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/suppressions", Scope::Write, BodyRule::Required, Reach::Workspace, decode_add_suppressions, add_suppressions, kPreview, kNoQuery, BodySize::Batch) \
  ROUTE("GET", "/suppressions", Scope::Read, BodyRule::None, Reach::Workspace, decode_list_suppressions, list_suppressions, kNone, kSuppressionList, BodySize::Ordinary) \
  ROUTE("GET", "/suppressions/check", Scope::Read, BodyRule::None, Reach::Workspace, decode_check_suppression, check_suppression, kNone, kSuppressionCheck, BodySize::Ordinary) \
  ROUTE("DELETE", "/suppressions/:id", Scope::Write, BodyRule::None, Reach::Workspace, decode_nothing, lift_suppression, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/webhooks", Scope::Write, BodyRule::Required, Reach::Workspace, decode_create_webhook_endpoint, create_webhook_endpoint, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/webhooks", Scope::Read, BodyRule::None, Reach::Workspace, decode_nothing, list_webhook_endpoints, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/webhooks/:id", Scope::Read, BodyRule::None, Reach::Workspace, decode_nothing, get_webhook_endpoint, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("PATCH", "/webhooks/:id", Scope::Write, BodyRule::Required, Reach::Workspace, decode_update_webhook_endpoint, update_webhook_endpoint, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("DELETE", "/webhooks/:id", Scope::Write, BodyRule::None, Reach::Workspace, decode_nothing, delete_webhook_endpoint, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/webhooks/:id/rotate-secret", Scope::Write, BodyRule::Optional, Reach::Workspace, decode_rotate_webhook_secret, rotate_webhook_secret, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/webhooks/:id/deliveries", Scope::Read, BodyRule::None, Reach::Workspace, decode_list_webhook_deliveries, list_webhook_deliveries, kNone, kDeliveries, BodySize::Ordinary) \
  ROUTE("POST", "/webhooks/:id/deliveries/:deliveryId/retry", Scope::Write, BodyRule::Optional, Reach::Workspace, decode_empty_body, retry_webhook_delivery, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/webhooks/:id/replay", Scope::Write, BodyRule::Required, Reach::Workspace, decode_replay_webhook_events, replay_webhook_events, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/webhooks/:id/test", Scope::Write, BodyRule::Optional, Reach::Workspace, decode_empty_body, test_webhook_endpoint, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("GET", "/audit", Scope::Read, BodyRule::None, Reach::Workspace, decode_list_audit, list_audit, kNone, kAudit, BodySize::Ordinary) \
  ROUTE("GET", "/jobs", Scope::Read, BodyRule::None, Reach::Workspace, decode_list_jobs, list_jobs, kNone, kPage, BodySize::Ordinary) \
  ROUTE("GET", "/jobs/:id", Scope::Read, BodyRule::None, Reach::Workspace, decode_nothing, get_job, kNone, kNoQuery, BodySize::Ordinary) \
  ROUTE("POST", "/jobs/:id/cancel", Scope::Write, BodyRule::Optional, Reach::Workspace, decode_empty_body, cancel_job, kNone, kNoQuery, BodySize::Ordinary)
