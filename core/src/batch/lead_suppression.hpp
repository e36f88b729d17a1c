#pragma once
// The suppression list's two rules for leads, shared by every way a lead is created or changed:
// a suppressed person is not let in (the caller refuses or skips them), and a lead whose status
// becomes unsubscribed or bounced puts its address on the list itself, so no later delete and
// re-import can bring the person back.

#include "leadline/error.hpp"
#include "leadline/ids.hpp"
#include "leadline/lead.hpp"
#include "leadline/result.hpp"
#include "store/suppression_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

namespace leadline::batch {

/// 422 SUPPRESSED naming the field that matched; the entry's id too, unless only its hash is kept.
Error suppressed_error(const store::SuppressionMatch& match);

/// What a batch reply lists for a suppressed entry beside its index: `field` and, unless hashed,
/// `suppressionId`.
nlohmann::json suppressed_detail(const store::SuppressionMatch& match);

/// Adds the entry `lead`'s status calls for (its email, or its phone number when it has no email)
/// unless an equal one is there. `lead` must carry its id and workspace.
Status suppress_for_status(store::SuppressionStore& suppressions, const Lead& lead, IdGenerator& ids,
                           std::int64_t now);

}  // namespace leadline::batch
