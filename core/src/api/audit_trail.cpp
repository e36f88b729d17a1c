#include "api/audit_trail.hpp"

#include "api/receipts.hpp"

#include <algorithm>

namespace leadline::api {

using json = nlohmann::json;

namespace {
constexpr std::size_t kListItemsKept = 20;
constexpr std::size_t kTextKept = 200;
}

json summarise_body(const json& body) {
  if (body.is_array()) {
    if (body.size() > kListItemsKept) return json{{"count", body.size()}};
    json out = json::array();
    for (const auto& item : body) out.push_back(summarise_body(item));
    return out;
  }
  if (body.is_object()) {
    json out = json::object();
    for (const auto& [key, value] : body.items()) out[key] = summarise_body(value);
    return out;
  }
  if (body.is_string() && body.get_ref<const std::string&>().size() > kTextKept) {
    return json{{"length", body.get_ref<const std::string&>().size()}};
  }
  return body;
}

store::AuditEntry audit_entry_for(std::string_view route, const RouteContext& context, int status, const json& data) {
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
  } else {
    json query = json::object();
    for (const auto& [name, value] : context.query) {
      if (name != "api_key") query[name] = value;
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
