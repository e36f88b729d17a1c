#pragma once
// Decoding and checking of campaign request bodies and query strings, with every problem
// named by its field.

#include "leadline/result.hpp"
#include "validation/lead_filters.hpp"
#include "validation/query_params.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::validation {

/// The campaign status a request names: the statuses in any case, plus Smartlead's names
/// (`START` = active). nullopt for anything else.
std::optional<std::string> parse_requested_status(std::string_view value);

/// `POST /campaigns`: {name}. `PATCH /campaigns/{id}`: {name} (status has its own route).
Result<std::string> decode_campaign_name_body(const nlohmann::json& body);

/// `PATCH /campaigns/{id}/status`: {status}, one of the campaign statuses in any case or
/// Smartlead's START / PAUSED / STOPPED / ARCHIVED. The lower-case target status.
Result<std::string> decode_status_body(const nlohmann::json& body);

/// The three ways of choosing leads to add to a campaign (SendKit's add-to-campaign), exactly one per request.
enum class AddLeadsMode { Explicit, Filters, SelectAll };

struct AddLeadsRequest {
  AddLeadsMode mode = AddLeadsMode::Explicit;
  const nlohmann::json* entries = nullptr;  ///< explicit mode: the `leads` array (entries checked one by one)
  LeadFilters filters;                      ///< filters mode
  std::vector<std::int64_t> exclude_ids;    ///< filters and selectAll modes
};

/// `POST /campaigns/{id}/leads`. 400 "Provide leads array, filters, or selectAll: true" when
/// no mode is chosen; unknown fields, two modes, bad filters or excludeIds are 400 too.
/// Explicit entries are only counted here (1–5000); each is checked when it is applied.
Result<AddLeadsRequest> decode_add_leads_body(const nlohmann::json& body);

/// A lead-id list such as `excludeIds`: strings of the form lead_<16 hex>, at most `max`.
/// Ids that are not lead ids are problems (a typo must not silently widen a selection).
std::vector<std::int64_t> read_lead_id_list(const nlohmann::json& value, const std::string& field,
                                            std::size_t max, Problems& problems);

/// `POST /campaigns/{id}/sequences`: {subject?, body, delayDays?}.
struct SequenceInput {
  std::optional<std::string> subject;
  std::string body;
  std::optional<int> delay_days;
};
Result<SequenceInput> decode_sequence_body(const nlohmann::json& body);

/// `POST /campaigns/{id}/webhooks`: {url, events, name?}.
struct WebhookInput {
  std::optional<std::string> name;
  std::string url;
  std::vector<std::string> events;
};
Result<WebhookInput> decode_webhook_body(const nlohmann::json& body);

/// The webhook event names a webhook may subscribe to.
const std::vector<std::string>& webhook_events();

/// `GET /campaigns`: `status` (list), `includeArchived`, `limit`, `cursor`.
struct CampaignListQuery {
  PageRequest page;
  std::vector<std::string> statuses;
  bool include_archived = false;
};
Result<CampaignListQuery> decode_campaign_list_query(const QueryParams& params);

/// `GET /campaigns/{id}/leads` and `…/leads-export`: `status` (membership statuses), and for
/// the listing `limit` and `cursor`.
struct MembershipQuery {
  PageRequest page;
  std::vector<std::string> statuses;
};
Result<MembershipQuery> decode_membership_query(const QueryParams& params, bool paged);

/// Query strings that take only flags, e.g. `DELETE /campaigns/{id}?force=true`: every
/// parameter must be in `flags` (or `api_key`) and read `true` or `false`.
Result<std::vector<std::string>> decode_flag_query(const QueryParams& params, const std::vector<std::string>& flags);

}  // namespace leadline::validation
