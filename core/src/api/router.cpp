#include "api/router.hpp"

#include "api/audit_routes.hpp"
#include "api/health_route.hpp"
#include "api/meta_route.hpp"
#include "api/job_routes.hpp"
#include "api/receipt_routes.hpp"
#include "api/campaign_lead_routes.hpp"
#include "api/campaign_owned_routes.hpp"
#include "api/campaign_routes.hpp"
#include "api/lead_delete_routes.hpp"
#include "api/lead_export_route.hpp"
#include "api/lead_routes.hpp"

namespace leadline::api {
namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool matches(const Route& route, const std::vector<std::string_view>& segments, std::vector<std::string>& params) {
  const auto pattern = split_segments(route.pattern);
  if (pattern.size() != segments.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!pattern[i].empty() && pattern[i].front() == ':') params.emplace_back(segments[i]);
    else if (pattern[i] != segments[i]) return false;
  }
  return true;
}

constexpr unsigned kPreview = validation::kPreviewControls;
constexpr unsigned kPreviewAndPurge = validation::kPreviewControls | validation::kPurgeControl;
constexpr unsigned kNone = validation::kNoControls;

const validation::QueryShape kNoQuery{};
const validation::QueryShape kPage{{"limit", "cursor"}};
const validation::QueryShape kLeadList{{"limit", "cursor"}, {}, true};
const validation::QueryShape kLeadExport{{"format"}, {}, true};
const validation::QueryShape kForce{{"force"}};
const validation::QueryShape kCampaignList{{"status", "includeArchived", "limit", "cursor"}, {"status"}};
const validation::QueryShape kMembers{{"status", "limit", "cursor"}, {"status"}};
const validation::QueryShape kMembersExport{{"status"}, {"status"}};
const validation::QueryShape kAudit{{"limit", "cursor", "method", "route", "receiptId", "since", "until"}};

}  // namespace

const std::vector<Route>& route_table() {
  using enum Scope;
  using enum Reach;
  static const std::vector<Route> routes{
      {"GET", "/health", Scope::None, BodyRule::None, Public, steps<decode_nothing, health>()},
      {"GET", "/meta", Scope::None, BodyRule::None, Public, steps<decode_nothing, meta>()},
      {"POST", "/leads", Write, BodyRule::Required, Workspace, steps<decode_create_leads, create_leads>(), kNone, kNoQuery, BodySize::Batch},
      {"GET", "/leads", Read, BodyRule::None, Workspace, steps<decode_list_leads, list_leads>(), kNone, kLeadList},
      {"DELETE", "/leads", Write, BodyRule::Required, Workspace, steps<decode_delete_leads, delete_leads>(), kPreviewAndPurge},
      // Before "/leads/:id", which would otherwise take "export" for an id.
      {"GET", "/leads/export", Read, BodyRule::None, Workspace, steps<decode_export_leads, export_leads>(), kNone, kLeadExport},
      {"POST", "/leads/import", Write, BodyRule::Required, Workspace, steps<decode_import_leads, import_leads>(), kNone, kNoQuery, BodySize::Batch},
      {"POST", "/leads/bulk-delete", Write, BodyRule::Required, Campaign, steps<decode_bulk_delete_by_identifier, bulk_delete_by_identifier>(), kPreviewAndPurge},
      {"POST", "/records/bulk-delete", Write, BodyRule::Required, Campaign, steps<decode_bulk_delete_by_identifier, bulk_delete_by_identifier>(), kPreviewAndPurge},
      {"GET", "/leads/:id", Read, BodyRule::None, Workspace, steps<decode_nothing, get_lead>()},
      {"DELETE", "/leads/:id", Write, BodyRule::Optional, Workspace, steps<decode_delete_lead, delete_lead>(), kPreviewAndPurge, kForce},
      {"PUT", "/leads/:id", Write, BodyRule::Required, Workspace, steps<decode_update_lead, update_lead>()},
      {"PATCH", "/leads/:id", Write, BodyRule::Required, Workspace, steps<decode_update_lead, update_lead>()},
      {"POST", "/campaigns", Write, BodyRule::Required, Workspace, steps<decode_create_campaign, create_campaign>()},
      {"GET", "/campaigns", Read, BodyRule::None, Campaign, steps<decode_list_campaigns, list_campaigns>(), kNone, kCampaignList},
      {"GET", "/campaigns/:id", Read, BodyRule::None, Campaign, steps<decode_nothing, get_campaign>()},
      {"PATCH", "/campaigns/:id", Write, BodyRule::Required, Campaign, steps<decode_update_campaign, update_campaign>()},
      {"DELETE", "/campaigns/:id", Write, BodyRule::Optional, Campaign, steps<decode_delete_campaign, delete_campaign>(), kPreviewAndPurge, kForce},
      {"PATCH", "/campaigns/:id/status", Write, BodyRule::Required, Campaign, steps<decode_change_campaign_status, change_campaign_status>(), kPreview},
      {"POST", "/campaigns/:id/status", Write, BodyRule::Required, Campaign, steps<decode_change_campaign_status, change_campaign_status>(), kPreview},
      {"POST", "/campaigns/:id/leads", Write, BodyRule::Required, Campaign, steps<decode_add_campaign_leads, add_campaign_leads>(), kPreview, kNoQuery,
       BodySize::Batch},
      {"GET", "/campaigns/:id/leads", Read, BodyRule::None, Campaign, steps<decode_list_campaign_leads, list_campaign_leads>(), kNone, kMembers},
      {"GET", "/campaigns/:id/leads-export", Read, BodyRule::None, Campaign, steps<decode_export_campaign_leads, export_campaign_leads>(), kNone,
       kMembersExport},
      {"POST", "/campaigns/:id/sequences", Write, BodyRule::Required, Campaign, steps<decode_create_sequence, create_sequence>()},
      {"GET", "/campaigns/:id/sequences", Read, BodyRule::None, Campaign, steps<decode_nothing, list_sequences>()},
      {"DELETE", "/campaigns/:id/sequences/:sequenceId", Write, BodyRule::None, Campaign, steps<decode_nothing, delete_sequence>()},
      {"POST", "/campaigns/:id/webhooks", Write, BodyRule::Required, Campaign, steps<decode_create_webhook, create_webhook>()},
      {"GET", "/campaigns/:id/webhooks", Read, BodyRule::None, Campaign, steps<decode_nothing, list_webhooks>()},
      {"DELETE", "/campaigns/:id/webhooks/:webhookId", Write, BodyRule::None, Campaign, steps<decode_nothing, delete_webhook>()},
      {"GET", "/receipts", Read, BodyRule::None, Workspace, steps<decode_list_receipts, list_receipts>(), kNone, kPage},
      {"GET", "/receipts/:id", Read, BodyRule::None, Workspace, steps<decode_nothing, get_receipt>()},
      {"POST", "/receipts/:id/restore", Write, BodyRule::Optional, Workspace, steps<decode_restore_receipt, restore_receipt>(), kPreview},
      {"GET", "/audit", Read, BodyRule::None, Workspace, steps<decode_list_audit, list_audit>(), kNone, kAudit},
      {"GET", "/jobs", Read, BodyRule::None, Workspace, steps<decode_list_jobs, list_jobs>(), kNone, kPage},
      {"GET", "/jobs/:id", Read, BodyRule::None, Workspace, steps<decode_nothing, get_job>()},
      {"POST", "/jobs/:id/cancel", Write, BodyRule::Optional, Workspace, steps<decode_cancel_job, cancel_job>()},
  };
  return routes;
}

Result<RouteMatch> match_route(std::string_view method, std::string_view path) {
  std::string_view rest;
  for (std::string_view prefix : {std::string_view("/api/v1"), std::string_view("/v1")}) {
    if (path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/')) {
      rest = path.substr(prefix.size());
      break;
    }
  }
  const auto not_found = Error{ErrorCode::NotFound, "Route not found: " + std::string(method) + " " + std::string(path)};
  if (rest.empty()) return not_found;
  const auto segments = split_segments(rest);
  std::string allow;
  RouteMatch match;
  for (const auto& route : route_table()) {
    if (!matches(route, segments, match.params)) continue;
    if (route.method == method) {
      match.route = &route;
      return match;
    }
    allow += (allow.empty() ? "" : ", ") + std::string(route.method);
  }
  if (allow.empty()) return not_found;
  return Error{ErrorCode::MethodNotAllowed, "Method " + std::string(method) + " is not allowed here",
               {{"allow", allow}}};
}

}  // namespace leadline::api
