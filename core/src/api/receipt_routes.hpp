#pragma once
// Undo: the receipts deletes leave behind, and restoring them.

#include "api/route_context.hpp"
#include "validation/history_queries.hpp"

namespace leadline::api {

/// GET /receipts — the workspace's receipts, newest first, cursor pagination.
Result<validation::PageRequest> decode_list_receipts(const DecodeInput& context);
Result<Reply> list_receipts(RouteContext& context, validation::PageRequest& decoded);
/// GET /receipts/{id} — one receipt (404 "Receipt not found" once expired or in another workspace).
Result<Reply> get_receipt(RouteContext& context, NothingDecoded&);
/// POST /receipts/{id}/restore — puts back what the delete took (see store/receipt_restore.hpp
/// for a changed world); 409 when the receipt was a purge or is already restored.
Result<NothingDecoded> decode_restore_receipt(const DecodeInput& context);
Result<Reply> restore_receipt(RouteContext& context, NothingDecoded&);

}  // namespace leadline::api
