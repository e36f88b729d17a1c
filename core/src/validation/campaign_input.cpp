#include "validation/campaign_input.hpp"

#include "domain/vocabulary.hpp"

#include <cctype>

#include "leadline/ids.hpp"
#include "validation/body_fields.hpp"
#include "validation/limits.hpp"
#include "validation/normalise.hpp"

#include <algorithm>
#include <charconv>

namespace leadline::validation {
namespace {

using json = nlohmann::json;

// The items of every `name` parameter, each split on commas, as one list.
std::vector<std::string> split_list(const QueryParams& params, const std::string& name) {
  std::vector<std::string> items;
  for (const auto& [key, value] : params) {
    if (key != name) continue;
    for (auto& item : split_comma_list(value)) items.push_back(std::move(item));
  }
  return items;
}

std::optional<bool> read_flag(const QueryParams& params, const std::string& name, Problems& problems) {
  auto value = query_value(params, name);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  problems.add(name, "must be true or false");
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_requested_status(std::string_view value) {
  std::string lower(value);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto status = domain::parse_term(domain::kCampaignStatuses, lower)) return std::string(domain::to_string(*status));
  std::string upper(value);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto alias = domain::parse_term(domain::kSmartleadStatusAliases, upper)) return std::string(domain::to_string(*alias));
  return std::nullopt;
}

Result<std::string> decode_campaign_name_body(const json& body) {
  if (body.is_object() && body.contains("status")) {
    return Error::invalid_field("status", "change it with PATCH /campaigns/{id}/status");
  }
  Problems problems;
  if (!check_fields(body, {"name"}, problems) || !problems.empty()) return problems.to_error();
  auto name = read_text_field(body, "name", kMaxCampaignNameLength, true, problems);
  if (!problems.empty()) return problems.to_error();
  return *name;
}

Result<std::string> decode_status_body(const json& body) {
  Problems problems;
  if (!check_fields(body, {"status"}, problems) || !problems.empty()) return problems.to_error();
  if (!body.contains("status")) return Error::invalid_field("status", "is required");
  const auto& value = body["status"];
  if (!value.is_string()) return Error::invalid_field("status", "must be a string");
  auto status = parse_requested_status(value.get<std::string>());
  if (!status) {
    return Error::invalid_field("status", "must be one of START, PAUSED, STOPPED, COMPLETED, ARCHIVED (or " +
                                              join(domain::campaign_status_names()) + ")");
  }
  return *status;
}

std::vector<std::int64_t> read_lead_id_list(const json& value, const std::string& field, std::size_t max,
                                            Problems& problems) {
  std::vector<std::int64_t> ids;
  if (!value.is_array()) {
    problems.add(field, "must be an array of lead ids");
    return ids;
  }
  if (value.size() > max) {
    problems.add(field, "must list at most " + std::to_string(max) + " ids");
    return ids;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto id = value[i].is_string() ? parse_id(kLeadIdPrefix, value[i].get<std::string>()) : std::nullopt;
    if (!id) {
      problems.add(index_path(field, i), "is not a lead id (lead_ followed by 16 hex digits)");
      return ids;
    }
    ids.push_back(*id);
  }
  return ids;
}

Result<AddLeadsRequest> decode_add_leads_body(const json& body) {
  Problems problems;
  if (!check_fields(body, {"leads", "filters", "selectAll", "excludeIds"}, problems) || !problems.empty())
    return problems.to_error();

  if (body.contains("selectAll") && !body["selectAll"].is_boolean())
    return Error::invalid_field("selectAll", "must be true or false");
  const bool has_leads = body.contains("leads");
  const bool has_filters = body.contains("filters");
  const bool select_all = body.contains("selectAll") && body["selectAll"].get<bool>();
  const int modes = int(has_leads) + int(has_filters) + int(select_all);
  if (modes == 0) return Error{ErrorCode::ValidationError, "Provide leads array, filters, or selectAll: true"};
  if (modes > 1) {
    return Error{ErrorCode::ValidationError,
                 "Provide only one of leads array, filters, or selectAll: true",
                 {{"field", has_leads ? "leads" : "filters"}}};
  }

  AddLeadsRequest request;
  if (has_leads) {
    request.mode = AddLeadsMode::Explicit;
    const auto& entries = body["leads"];
    if (!entries.is_array()) return Error::invalid_field("leads", "must be an array");
    if (entries.empty()) return Error::invalid_field("leads", "must contain at least one entry");
    if (entries.size() > kMaxLeadsPerCampaignAdd) {
      return Error::invalid_field("leads", "must contain at most " + std::to_string(kMaxLeadsPerCampaignAdd) +
                                               " entries per request");
    }
    if (body.contains("excludeIds")) {
      return Error::invalid_field("excludeIds", "applies only to filters or selectAll (leave the lead out of leads)");
    }
    request.entries = &entries;
    return request;
  }
  if (has_filters) {
    request.mode = AddLeadsMode::Filters;
    request.filters = decode_lead_filters(body["filters"], "filters", problems);
    if (problems.empty() && body["filters"].empty()) {
      problems.add("filters", "must contain at least one filter (to add every lead, send selectAll: true)");
    }
  } else {
    request.mode = AddLeadsMode::SelectAll;
  }
  if (body.contains("excludeIds")) {
    request.exclude_ids = read_lead_id_list(body["excludeIds"], "excludeIds", kMaxExcludeIds, problems);
  }
  if (!problems.empty()) return problems.to_error();
  return request;
}

Result<SequenceInput> decode_sequence_body(const json& body) {
  Problems problems;
  if (!check_fields(body, {"subject", "body", "delayDays"}, problems)) return problems.to_error();
  SequenceInput input;
  input.subject = read_text_field(body, "subject", kMaxSubjectLength, false, problems);
  if (auto text = read_text_field(body, "body", kMaxSequenceBodyLength, true, problems)) input.body = *text;
  if (body.contains("delayDays")) {
    const auto& delay = body["delayDays"];
    if (!delay.is_number_integer() || delay.get<std::int64_t>() < 0 || delay.get<std::int64_t>() > kMaxDelayDays) {
      problems.add("delayDays", "must be a whole number of days from 0 to " + std::to_string(kMaxDelayDays));
    } else {
      input.delay_days = delay.get<int>();
    }
  }
  if (!problems.empty()) return problems.to_error();
  return input;
}

const std::vector<std::string>& webhook_events() {
  static const std::vector<std::string> events = domain::names_of(domain::kCampaignEvents);
  return events;
}

Result<WebhookInput> decode_webhook_body(const json& body) {
  Problems problems;
  if (!check_fields(body, {"name", "url", "events"}, problems)) return problems.to_error();
  WebhookInput input;
  input.name = read_text_field(body, "name", kMaxTextLength, false, problems);
  if (auto url = read_text_field(body, "url", kMaxUrlLength, true, problems)) {
    const bool web = url->rfind("https://", 0) == 0 || url->rfind("http://", 0) == 0;
    const auto host_start = url->find("://") + 3;
    if (!web || url->size() <= host_start || url->find(' ') != std::string::npos) {
      problems.add("url", "must be an http:// or https:// URL");
    } else {
      input.url = *url;
    }
  }
  if (!body.contains("events")) {
    problems.add("events", "is required; allowed: " + join(webhook_events()));
  } else if (!body["events"].is_array() || body["events"].empty()) {
    problems.add("events", "must be a non-empty array; allowed: " + join(webhook_events()));
  } else {
    for (std::size_t i = 0; i < body["events"].size(); ++i) {
      const auto& event = body["events"][i];
      if (!event.is_string() || !contains(webhook_events(), event.get<std::string>())) {
        problems.add(index_path("events", i), "is not a webhook event; allowed: " + join(webhook_events()));
        break;
      }
      if (!contains(input.events, event.get<std::string>())) input.events.push_back(event.get<std::string>());
    }
  }
  if (!problems.empty()) return problems.to_error();
  return input;
}

Result<CampaignListQuery> decode_campaign_list_query(const QueryParams& params) {
  Problems problems;
  check_known_params(params, {"status", "includeArchived", "limit", "cursor"}, problems);
  CampaignListQuery query;
  query.page = decode_page_request(params, problems);
  for (const auto& value : split_list(params, "status")) {
    auto status = parse_requested_status(value);
    if (!status) {
      problems.add("status", "'" + value + "' is not a campaign status; allowed: " + join(domain::campaign_status_names()));
      break;
    }
    if (!contains(query.statuses, *status)) query.statuses.push_back(*status);
  }
  query.include_archived = read_flag(params, "includeArchived", problems).value_or(false);
  if (!problems.empty()) return problems.to_error();
  return query;
}

Result<MembershipQuery> decode_membership_query(const QueryParams& params, bool paged) {
  Problems problems;
  check_known_params(params, paged ? std::vector<std::string>{"status", "limit", "cursor"}
                                   : std::vector<std::string>{"status"},
                     problems);
  MembershipQuery query;
  if (paged) query.page = decode_page_request(params, problems);
  for (const auto& value : split_list(params, "status")) {
    if (!contains(domain::membership_status_names(), value)) {
      problems.add("status", "'" + value + "' is not a membership status; allowed: " +
                                 join(domain::membership_status_names()));
      break;
    }
    if (!contains(query.statuses, value)) query.statuses.push_back(value);
  }
  if (!problems.empty()) return problems.to_error();
  return query;
}

Result<std::vector<std::string>> decode_flag_query(const QueryParams& params, const std::vector<std::string>& flags) {
  Problems problems;
  check_known_params(params, flags, problems);
  std::vector<std::string> set;
  for (const auto& flag : flags) {
    if (read_flag(params, flag, problems).value_or(false)) set.push_back(flag);
  }
  if (!problems.empty()) return problems.to_error();
  return set;
}

}  // namespace leadline::validation
