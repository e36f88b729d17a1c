#include "api/meta_route.hpp"

#include "domain/vocabulary.hpp"
#include "validation/import_headers.hpp"
#include "validation/lead_merge_input.hpp"

namespace leadline::api {

using json = nlohmann::json;

json vocabulary_json() {
  json transitions = json::object();
  for (const auto& row : domain::kCampaignTransitions) {
    json to = json::array();
    for (const auto& next : row.to) {
      if (next) to.push_back(domain::to_string(*next));
    }
    transitions[std::string(domain::to_string(row.from))] = std::move(to);
  }
  auto requested = domain::names_of(domain::kCampaignStatuses);
  for (auto& alias : domain::names_of(domain::kSmartleadStatusAliases)) requested.push_back(std::move(alias));
  json filters = json::array();
  json list_filters = json::array();
  for (const auto& key : domain::kLeadFilterKeys) {
    filters.push_back(key.name);
    if (key.list) list_filters.push_back(key.name);
  }
  json locked_sources = json::array();
  for (const auto& term : domain::kSuppressionSources) {
    if (!domain::liftable_with_api_key(term.value)) locked_sources.push_back(term.name);
  }
  json import_headers = json::object();
  for (const auto& [field, aliases] : validation::import_header_aliases()) import_headers[field] = aliases;
  json formats = json::array();
  for (auto format : domain::kExportFormats) formats.push_back(format);
  return {
      {"leadStatuses", domain::names_of(domain::kLeadStatuses)},
      {"emailVerificationStatuses", domain::names_of(domain::kVerificationStatuses)},
      {"campaignStatuses", domain::names_of(domain::kCampaignStatuses)},
      {"requestedCampaignStatuses", std::move(requested)},
      // Archived is apart: it returns to the status it had before.
      {"campaignTransitions", std::move(transitions)},
      {"membershipStatuses", domain::names_of(domain::kMembershipStatuses)},
      {"leadFilterKeys", std::move(filters)},
      {"listFilterKeys", std::move(list_filters)},
      {"jobKinds", domain::names_of(domain::kJobKinds)},
      {"jobStatuses", domain::names_of(domain::kJobStatuses)},
      {"entryOutcomes", domain::names_of(domain::kEntryOutcomes)},
      {"duplicatePolicies", domain::names_of(domain::kDuplicatePolicies)},
      {"mergeFields", validation::mergeable_fields()},
      {"campaignEvents", domain::names_of(domain::kCampaignEvents)},
      {"webhookEvents", domain::names_of(domain::kWebhookEvents)},
      {"webhookDeliveryStates", domain::names_of(domain::kDeliveryStates)},
      {"importHeaders", std::move(import_headers)},
      {"suppressionKinds", domain::names_of(domain::kSuppressionKinds)},
      {"suppressionSources", domain::names_of(domain::kSuppressionSources)},
      {"lockedSuppressionSources", std::move(locked_sources)},
      {"exportFormats", std::move(formats)},
  };
}

Result<Reply> meta(RouteContext&, NothingDecoded&) {
  static const json vocabulary = vocabulary_json();  // fixed at build time: made once
  return Reply{200, vocabulary, std::nullopt};
}

}  // namespace leadline::api
