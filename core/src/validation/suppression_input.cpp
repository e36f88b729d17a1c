#include "validation/suppression_input.hpp"

#include "validation/limits.hpp"
#include "validation/normalise.hpp"
#include "validation/problems.hpp"
#include "validation/suppression_match.hpp"

#include <algorithm>
#include <cctype>
#include <variant>

namespace leadline::validation {
namespace {

using json = nlohmann::json;
using domain::SuppressionKind;

constexpr const char* kEmailFormat = "must be a valid email address";
constexpr const char* kPhoneFormat = "must be a phone number in international format, e.g. +15551234567";
constexpr const char* kDomainFormat = "must be a domain name such as example.com";

std::optional<std::string> normalise_as(SuppressionKind kind, std::string_view raw) {
  switch (kind) {
    case SuppressionKind::Email: return raw.size() > kMaxEmailLength ? std::nullopt : normalise_email(raw);
    case SuppressionKind::Domain: return normalise_domain(raw);
    case SuppressionKind::PhoneNumber: return raw.size() > kMaxTextLength ? std::nullopt : normalise_phone(raw);
  }
  return std::nullopt;
}

const char* format_problem(SuppressionKind kind) {
  switch (kind) {
    case SuppressionKind::Email: return kEmailFormat;
    case SuppressionKind::Domain: return kDomainFormat;
    case SuppressionKind::PhoneNumber: return kPhoneFormat;
  }
  return "";
}

// The first problem of one entry, or the entry itself.
std::variant<SuppressionEntryInput, std::string> decode_entry(const json& entry) {
  if (!entry.is_object()) return std::string("must be an object with one of email, domain or phoneNumber");
  std::optional<SuppressionKind> kind;
  SuppressionEntryInput input;
  for (const auto& [key, value] : entry.items()) {
    if (key == "reason") {
      if (value.is_null()) continue;
      if (!value.is_string()) return std::string("reason: must be a string");
      const auto text = trim(value.get_ref<const std::string&>());
      if (!is_clean_text(text)) return std::string("reason: must be valid UTF-8 text without control characters");
      if (code_point_count(text) > kMaxSuppressionReasonLength)
        return "reason: must be at most " + std::to_string(kMaxSuppressionReasonLength) + " characters";
      if (!text.empty()) input.reason = std::string(text);
      continue;
    }
    if (key == "source") {
      const auto source = value.is_string() ? domain::parse_term(domain::kSuppressionSources, value.get<std::string>())
                                            : std::nullopt;
      if (!source || *source == domain::SuppressionSource::Erased)
        return std::string("source: must be one of api, unsubscribed, bounced, complaint");
      input.source = *source;
      continue;
    }
    const auto named = domain::parse_term(domain::kSuppressionKinds, key);
    if (!named) return key + ": unknown field; allowed: email, domain, phoneNumber, reason, source";
    if (kind) return std::string("must name exactly one of email, domain or phoneNumber");
    kind = *named;
    if (!value.is_string()) return key + ": " + format_problem(*named);
    auto normalised = normalise_as(*named, trim(value.get_ref<const std::string&>()));
    if (!normalised) return key + ": " + format_problem(*named);
    input.value = std::move(*normalised);
  }
  if (!kind) return std::string("must name exactly one of email, domain or phoneNumber");
  input.kind = *kind;
  return input;
}

}  // namespace

Result<AddSuppressionsRequest> decode_add_suppressions_body(const json& body) {
  Problems problems;
  if (!body.is_object()) return Error::invalid_field("body", "must be a JSON object");
  AddSuppressionsRequest request;
  for (const auto& [key, value] : body.items()) {
    if (key == "entries") continue;
    if (key == "unsubscribeMemberships") {
      if (!value.is_boolean()) problems.add(key, "must be true or false");
      else request.unsubscribe_memberships = value.get<bool>();
      continue;
    }
    problems.add(key, "unknown field; allowed: entries, unsubscribeMemberships, dryRun, expectedCount");
  }
  if (!body.contains("entries")) {
    problems.add("entries", "is required");
    return problems.to_error();
  }
  const auto& entries = body["entries"];
  if (!entries.is_array()) problems.add("entries", "must be an array of entries");
  else if (entries.empty()) problems.add("entries", "must contain at least one entry");
  else if (entries.size() > kMaxSuppressionsPerRequest)
    problems.add("entries", "must contain at most " + std::to_string(kMaxSuppressionsPerRequest) + " entries");
  if (!problems.empty()) return problems.to_error();

  request.total = entries.size();
  for (std::size_t index = 0; index < entries.size(); ++index) {
    auto decoded = decode_entry(entries[index]);
    if (auto* message = std::get_if<std::string>(&decoded)) {
      request.invalid.push_back({{"index", index}, {"entry", entries[index]}, {"message", *message}});
      continue;
    }
    auto& entry = std::get<SuppressionEntryInput>(decoded);
    entry.index = index;
    request.entries.push_back(std::move(entry));
  }
  return request;
}

Result<SuppressionListQuery> decode_suppression_list_query(const QueryParams& params) {
  Problems problems;
  check_known_params(params, {"limit", "cursor", "kind", "source", "search"}, problems);
  SuppressionListQuery query;
  query.page = decode_page_request(params, problems);
  if (auto kind = query_value(params, "kind")) {
    if (!domain::parse_term(domain::kSuppressionKinds, *kind)) problems.add("kind", "must be one of email, domain, phoneNumber");
    else query.kind = *kind;
  }
  if (auto source = query_value(params, "source")) {
    if (!domain::parse_term(domain::kSuppressionSources, *source))
      problems.add("source", "must be one of api, unsubscribed, bounced, complaint, erased");
    else query.source = *source;
  }
  if (auto search = query_value(params, "search")) {
    const auto text = trim(*search);
    if (text.empty()) problems.add("search", "must not be empty");
    else if (!is_clean_text(text) || code_point_count(text) > kMaxSearchLength)
      problems.add("search", "must be text of at most " + std::to_string(kMaxSearchLength) + " characters");
    else {
      std::string lowered(text);
      std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      query.search = std::move(lowered);
    }
  }
  if (!problems.empty()) return problems.to_error();
  return query;
}

Result<SuppressionCheckQuery> decode_suppression_check_query(const QueryParams& params) {
  Problems problems;
  check_known_params(params, {"email", "phoneNumber"}, problems);
  if (!problems.empty()) return problems.to_error();
  const auto email = query_value(params, "email");
  const auto phone = query_value(params, "phoneNumber");
  if (email.has_value() == phone.has_value())
    return Error::invalid_field(email ? "phoneNumber" : "email", "give exactly one of email or phoneNumber");
  const auto kind = email ? SuppressionKind::Email : SuppressionKind::PhoneNumber;
  auto value = normalise_as(kind, trim(email ? *email : *phone));
  if (!value) return Error::invalid_field(email ? "email" : "phoneNumber", format_problem(kind));
  return SuppressionCheckQuery{kind, std::move(*value)};
}

}  // namespace leadline::validation
