#include "api/router.hpp"

#include "api/audit_routes.hpp"
#include "api/health_route.hpp"
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

}  // namespace

const std::vector<Route>& route_table() {
  static const std::vector<Route> routes{
      {"GET", "/health", Scope::None, BodyRule::None, Reach::Public, health},
      {"POST", "/leads", Scope::Write, BodyRule::Required, Reach::Workspace, create_leads},
      {"GET", "/leads", Scope::Read, BodyRule::None, Reach::Workspace, list_leads},
      {"DELETE", "/leads", Scope::Write, BodyRule::Required, Reach::Workspace, delete_leads, kPreviewAndPurge},
      // Before "/leads/:id", which would otherwise take "export" for an id.
      {"GET", "/leads/export", Scope::Read, BodyRule::None, Reach::Workspace, export_leads},
      {"POST", "/leads/import", Scope::Write, BodyRule::Required, Reach::Workspace, import_leads},
      {"POST", "/leads/bulk-delete", Scope::Write, BodyRule::Required, Reach::Campaign, bulk_delete_by_identifier,
       kPreviewAndPurge},
      {"POST", "/records/bulk-delete", Scope::Write, BodyRule::Required, Reach::Campaign, bulk_delete_by_identifier,
       kPreviewAndPurge},
      {"GET", "/leads/:id", Scope::Read, BodyRule::None, Reach::Workspace, get_lead},
      {"DELETE", "/leads/:id", Scope::Write, BodyRule::Optional, Reach::Workspace, delete_lead, kPreviewAndPurge},
      {"PUT", "/leads/:id", Scope::Write, BodyRule::Required, Reach::Workspace, update_lead},
      {"PATCH", "/leads/:id", Scope::Write, BodyRule::Required, Reach::Workspace, update_lead},
      {"POST", "/campaigns", Scope::Write, BodyRule::Required, Reach::Workspace, create_campaign},
      {"GET", "/campaigns", Scope::Read, BodyRule::None, Reach::Campaign, list_campaigns},
      {"GET", "/campaigns/:id", Scope::Read, BodyRule::None, Reach::Campaign, get_campaign},
      {"PATCH", "/campaigns/:id", Scope::Write, BodyRule::Required, Reach::Campaign, update_campaign},
      {"DELETE", "/campaigns/:id", Scope::Write, BodyRule::Optional, Reach::Campaign, delete_campaign, kPreviewAndPurge},
      {"PATCH", "/campaigns/:id/status", Scope::Write, BodyRule::Required, Reach::Campaign, change_campaign_status,
       kPreview},
      {"POST", "/campaigns/:id/status", Scope::Write, BodyRule::Required, Reach::Campaign, change_campaign_status,
       kPreview},
      {"POST", "/campaigns/:id/leads", Scope::Write, BodyRule::Required, Reach::Campaign, add_campaign_leads, kPreview},
      {"GET", "/campaigns/:id/leads", Scope::Read, BodyRule::None, Reach::Campaign, list_campaign_leads},
      {"GET", "/campaigns/:id/leads-export", Scope::Read, BodyRule::None, Reach::Campaign, export_campaign_leads},
      {"POST", "/campaigns/:id/sequences", Scope::Write, BodyRule::Required, Reach::Campaign, create_sequence},
      {"GET", "/campaigns/:id/sequences", Scope::Read, BodyRule::None, Reach::Campaign, list_sequences},
      {"DELETE", "/campaigns/:id/sequences/:sequenceId", Scope::Write, BodyRule::None, Reach::Campaign, delete_sequence},
      {"POST", "/campaigns/:id/webhooks", Scope::Write, BodyRule::Required, Reach::Campaign, create_webhook},
      {"GET", "/campaigns/:id/webhooks", Scope::Read, BodyRule::None, Reach::Campaign, list_webhooks},
      {"DELETE", "/campaigns/:id/webhooks/:webhookId", Scope::Write, BodyRule::None, Reach::Campaign, delete_webhook},
      {"GET", "/receipts", Scope::Read, BodyRule::None, Reach::Workspace, list_receipts},
      {"GET", "/receipts/:id", Scope::Read, BodyRule::None, Reach::Workspace, get_receipt},
      {"POST", "/receipts/:id/restore", Scope::Write, BodyRule::Optional, Reach::Workspace, restore_receipt, kPreview},
      {"GET", "/audit", Scope::Read, BodyRule::None, Reach::Workspace, list_audit},
      {"GET", "/jobs", Scope::Read, BodyRule::None, Reach::Workspace, list_jobs},
      {"GET", "/jobs/:id", Scope::Read, BodyRule::None, Reach::Workspace, get_job},
      {"POST", "/jobs/:id/cancel", Scope::Write, BodyRule::Optional, Reach::Workspace, cancel_job},
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
