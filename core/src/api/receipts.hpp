#pragma once
// Receipts as the delete routes use them: open one before deleting, capture into it, close it
// with a summary. A purge opens a receipt that keeps counts only.

#include "api/route_context.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace leadline::api {

/// Starts the receipt of the delete `context` is running: restorable for the retention window
/// unless the request asked to purge.
Result<store::ReceiptRecord> open_receipt(RouteContext& context, std::string kind);

/// Records `summary` (counts of what went) and returns the receipt's public id ("rcp_…").
Result<std::string> close_receipt(RouteContext& context, store::ReceiptRecord& receipt, nlohmann::json summary);

/// The public form of a receipt.
nlohmann::json receipt_to_json(const store::ReceiptRecord& receipt);

/// The part of a key's display form an audit trail or receipt may show: "sk_AbCd".
std::string key_prefix_of(const guards::Principal& principal);

}  // namespace leadline::api
