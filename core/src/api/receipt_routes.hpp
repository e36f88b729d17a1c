#pragma once
// Undo: the receipts deletes leave behind, and restoring them.

#include "api/route_context.hpp"
#include "api/route_decoders.hpp"
#include "validation/history_queries.hpp"

namespace leadline::api {

/// GET /receipts — the workspace's receipts, newest first, cursor pagination.
Result<Reply> list_receipts(RouteContext& context, validation::PageRequest& decoded);
/// GET /receipts/{id} — one receipt (404 "Receipt not found" once expired or in another workspace).
Result<Reply> get_receipt(RouteContext& context, NothingDecoded&);
/// POST /receipts/{id}/restore — puts back what the delete took (see store/receipt_restore.hpp
/// for a changed world); 409 when the receipt was a purge or is already restored.
Result<Reply> restore_receipt(RouteContext& context, NothingDecoded&);

}  // namespace leadline::api
