#pragma once
// What a route's decode and execute steps receive and return.

#include "api/decode_input.hpp"
#include "api/reply.hpp"
#include "guards/api_key.hpp"
#include "leadline/http.hpp"
#include "leadline/ids.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/campaign_cascade.hpp"
#include "store/campaign_owned_store.hpp"
#include "store/campaign_store.hpp"
#include "store/membership_store.hpp"
#include "store/lead_bulk_update.hpp"
#include "store/lead_deletion.hpp"
#include "store/lead_merge.hpp"
#include "store/lead_store.hpp"
#include "store/receipt_store.hpp"
#include "store/audit_store.hpp"
#include "store/idempotency_store.hpp"
#include "store/job_store.hpp"
#include "store/suppression_store.hpp"
#include "store/webhook_store.hpp"
#include "validation/query_params.hpp"
#include "validation/request_controls.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leadline::api {

/// The deployment's webhook rules (EngineOptions): may receivers be private, and the delays
/// between a delivery's attempts.
struct WebhookPolicy {
  bool allow_private = false;
  std::vector<std::int64_t> retry_schedule_ms;
};

/// One workspace's database, its stores and the engine's shared state (owned by the
/// WorkspacePool while the database is open).
struct Services {
  store::Database& db;
  store::LeadStore leads;
  store::CampaignStore campaigns;
  store::MembershipStore memberships;
  store::CampaignOwnedStore owned;
  store::CampaignCascade cascade;
  store::LeadDeletion deletion;
  store::LeadBulkUpdate bulk_update;  ///< edits the selection `deletion` made
  store::LeadMerge merge;
  store::ReceiptStore receipts;
  store::AuditStore audit;
  store::IdempotencyStore idempotency;
  store::JobStore jobs;
  store::SuppressionStore suppressions;
  store::WebhookStore webhooks;
  IdGenerator& ids;
  std::int64_t receipt_retention_ms;  ///< how long a delete stays restorable
  const WebhookPolicy& webhook_policy;
};

/// What a route's execute step receives besides its decoded request.
struct RouteContext {
  const Request& request;
  const validation::QueryParams& query;
  std::vector<std::string> path_params;    ///< captures of the route's ":param" segments, in order
  const nlohmann::json* body = nullptr;    ///< parsed JSON body, or null when the request had none
  const guards::Principal* principal = nullptr;  ///< the caller (a default one on public routes)
  Services& services;
  std::int64_t now = 0;                    ///< ms since epoch, one value per request
  validation::RequestControls controls{};  ///< dryRun / expectedCount / purge, already taken out of body and query
};

}  // namespace leadline::api
