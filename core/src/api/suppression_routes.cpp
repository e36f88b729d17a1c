#include "api/suppression_routes.hpp"

#include "api/webhook_outbox.hpp"

#include "leadline/time_format.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;
using domain::SuppressionKind;

json entry_to_json(const store::SuppressionRecord& entry) {
  return {{"id", format_id(kSuppressionIdPrefix, entry.id)},
          {"kind", domain::name_of(domain::kSuppressionKinds, entry.kind)},
          {"value", entry.value ? json(*entry.value) : json(nullptr)},
          {"hashed", !entry.value.has_value()},
          {"source", domain::name_of(domain::kSuppressionSources, entry.source)},
          {"reason", entry.reason ? json(*entry.reason) : json(nullptr)},
          {"leadId", entry.lead_id ? json(format_id(kLeadIdPrefix, *entry.lead_id)) : json(nullptr)},
          {"createdAt", format_timestamp(entry.created_at)}};
}

Error suppression_not_found(const std::string& id) {
  return Error{ErrorCode::NotFound, "Suppression entry not found", {{"details", {{"suppressionId", id}}}}};
}

}  // namespace

Result<Reply> add_suppressions(RouteContext& context, validation::AddSuppressionsRequest& decoded) {
  auto& services = context.services;
  const auto workspace_id = context.principal->workspace_id;
  std::int64_t added = 0;
  std::vector<std::string> emails, domains, phone_numbers;
  for (const auto& input : decoded.entries) {
    store::SuppressionRecord entry;
    entry.id = services.ids.next(context.now);
    entry.workspace_id = workspace_id;
    entry.kind = input.kind;
    entry.value = input.value;
    entry.source = input.source;
    entry.reason = input.reason;
    entry.created_at = context.now;
    auto inserted = services.suppressions.insert(entry);
    if (!inserted) return inserted.take_error();
    if (*inserted) ++added;
    auto& values = input.kind == SuppressionKind::Email ? emails : input.kind == SuppressionKind::Domain ? domains : phone_numbers;
    values.push_back(input.value);
  }
  auto impact = services.suppressions.apply_to_existing(workspace_id, emails, domains, phone_numbers,
                                                        decoded.unsubscribe_memberships, kPreviewSampleSize);
  if (!impact) return impact.take_error();
  const auto valid = static_cast<std::int64_t>(decoded.entries.size());
  Reply reply{added > 0 ? 201 : 200,
              {{"added", added},
               {"alreadySuppressed", valid - added},
               {"invalid", decoded.invalid.size()},
               {"errors", std::move(decoded.invalid)},
               {"impact",
                {{"leads", impact->leads},
                 {"activeMemberships", impact->active_memberships},
                 {"unsubscribedMemberships", decoded.unsubscribe_memberships ? impact->active_memberships : 0}}}}};
  reply.affected = added;
  reply.preview["sample"] = leads_to_json(impact->sample);
  // Counts only: the entries' values are the people themselves.
  if (added > 0) {
    reply.events.push_back({domain::WebhookEvent::SuppressionAdded, std::nullopt,
                            {{"addedCount", added},
                             {"affectedLeads", impact->leads},
                             {"unsubscribedMemberships", decoded.unsubscribe_memberships ? impact->active_memberships : 0}}});
  }
  return reply;
}

Result<Reply> list_suppressions(RouteContext& context, validation::SuppressionListQuery& decoded) {
  store::SuppressionFilter filter{decoded.kind, decoded.source, decoded.search};
  auto page = context.services.suppressions.list(context.principal->workspace_id, filter, decoded.page.limit,
                                                 decoded.page.before_id);
  if (!page) return page.take_error();
  json entries = json::array();
  for (const auto& entry : page->entries) entries.push_back(entry_to_json(entry));
  json next_cursor = nullptr;
  if (page->has_more) next_cursor = validation::encode_cursor(page->entries.back().id);
  return Reply{200, {{"suppressions", std::move(entries)}, {"nextCursor", next_cursor}, {"hasMore", page->has_more}}};
}

Result<Reply> check_suppression(RouteContext& context, validation::SuppressionCheckQuery& decoded) {
  auto& suppressions = context.services.suppressions;
  const auto workspace_id = context.principal->workspace_id;
  auto match = decoded.kind == SuppressionKind::Email ? suppressions.match_email(workspace_id, decoded.value)
                                                      : suppressions.match_phone(workspace_id, decoded.value);
  if (!match) return match.take_error();
  const auto field = decoded.kind == SuppressionKind::Email ? "email" : "phoneNumber";
  return Reply{200, {{field, decoded.value},
                     {"suppressed", match->has_value()},
                     {"entry", *match ? entry_to_json(**match) : json(nullptr)}}};
}

Result<Reply> lift_suppression(RouteContext& context, NothingDecoded&) {
  const auto& public_id = context.path_params[0];
  const auto id = parse_id(kSuppressionIdPrefix, public_id);
  if (!id) return suppression_not_found(public_id);
  auto entry = context.services.suppressions.find(context.principal->workspace_id, *id);
  if (!entry) return entry.take_error();
  if (!*entry) return suppression_not_found(public_id);
  if (!domain::liftable_with_api_key((*entry)->source)) {
    const auto source = std::string(domain::name_of(domain::kSuppressionSources, (*entry)->source));
    return Error{ErrorCode::Conflict,
                 "Suppression entry " + public_id + " comes from " +
                     (source == "erased" ? "an erasure request" : "a spam complaint") +
                     " and protects the person from this workspace: it cannot be lifted with an API key",
                 {{"details", {{"suppressionId", public_id}, {"source", source}}}}};
  }
  if (auto status = context.services.suppressions.remove(*id); !status) return status.take_error();
  Reply reply{200, entry_to_json(**entry), "Suppression entry lifted"};
  reply.events.push_back({domain::WebhookEvent::SuppressionLifted, std::nullopt,
                          {{"suppressionId", public_id}, {"kind", domain::name_of(domain::kSuppressionKinds, (*entry)->kind)}}});
  return reply;
}

}  // namespace leadline::api
