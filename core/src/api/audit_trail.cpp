#include "api/audit_trail.hpp"

#include "api/receipts.hpp"
#include "guards/api_key.hpp"

#include <algorithm>

namespace leadline::api {

using json = nlohmann::json;

namespace {
constexpr std::size_t kListItemsKept = 20;
constexpr std::size_t kTextKept = 200;
}

namespace {

constexpr const char* kRedacted = "[redacted]";

json summarise(const json& body) {
  if (body.is_array()) {
    if (body.size() > kListItemsKept) return json{{"count", body.size()}};
    json out = json::array();
    for (const auto& item : body) out.push_back(summarise(item));
    return out;
  }
  if (body.is_object()) {
    json out = json::object();
    for (const auto& [key, value] : body.items()) {
      out[key] = guards::names_a_secret(key) && !value.is_structured() ? json(kRedacted) : summarise(value);
    }
    return out;
  }
  if (body.is_string()) {
    const auto& text = body.get_ref<const std::string&>();
    if (guards::looks_like_secret(text)) return kRedacted;
    if (text.size() > kTextKept) return json{{"length", text.size()}};
  }
  return body;
}

}  // namespace

json summarise_body(const json& body) { return summarise(body); }

store::AuditEntry audit_entry_for(std::string_view route, const RouteContext& context, int status, const json& data,
                                  bool keeps_no_request) {
  store::AuditEntry entry;
  entry.id = context.services.ids.next(context.now);
  entry.workspace_id = context.principal->workspace_id;
  entry.at = context.now;
  entry.key_prefix = key_prefix_of(*context.principal);
  entry.method = context.request.method;
  entry.path = context.request.path;
  entry.route = std::string(route);
  entry.status = status;
  if (context.controls.purge) {
    entry.request = {{"purge", true}};
  } else if (keeps_no_request) {
    entry.request = {{"erasure", true}};
  } else {
    json query = json::object();
    for (const auto& [name, value] : context.query) {
      if (name == "api_key") continue;
      query[name] = guards::names_a_secret(name) || guards::looks_like_secret(value) ? kRedacted : value;
    }
    entry.request = {{"query", std::move(query)}};
    if (context.body) entry.request["body"] = summarise_body(*context.body);
    if (context.controls.expected_count) entry.request["expectedCount"] = *context.controls.expected_count;
  }
  if (data.is_object()) {
    const auto all_numbers = [](const json& value) {
      return std::all_of(value.begin(), value.end(), [](const json& item) { return item.is_number(); });
    };
    // Top-level numbers, and objects of numbers (a campaign delete's per-kind counts).
    for (const auto& [key, value] : data.items()) {
      if (value.is_number() || (value.is_object() && !value.empty() && all_numbers(value))) entry.counts[key] = value;
    }
    if (data.contains("receiptId") && data["receiptId"].is_string()) {
      entry.receipt_id = parse_id(kReceiptIdPrefix, data["receiptId"].get<std::string>());
    }
  }
  return entry;
}

}  // namespace leadline::api
