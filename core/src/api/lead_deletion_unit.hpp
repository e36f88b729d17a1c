#pragma once
// The one unit of work every lead delete runs once its selection is made (in
// `Services::deletion`): judge the protected leads, capture what will go into the receipt, delete.
// The inline delete, the bulk delete by identifier and each slice of a background delete all
// run it, so they cannot drift apart in what they protect, keep or remove.

#include "api/route_context.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

namespace leadline::api {

/// What a delete does with selected leads that are live members of active campaigns.
enum class Protection {
  Refuse,  ///< 400 with SendKit's message unless `force` (a request's delete)
  Skip,    ///< leave them out and count them, unless `force` (a background slice: they may have joined since)
  Ignore,  ///< no check (the bulk delete by identifier took them out of the campaign first)
};

struct DeletionRules {
  Protection protection = Protection::Refuse;
  bool force = false;
  /// The receipt to capture the deleted rows into, when it keeps them (not for a purge).
  std::optional<std::int64_t> capture_into = std::nullopt;
  /// A dry run's reply: the protected campaigns and a sample of the selection go in its preview.
  Reply* preview = nullptr;
};

struct DeletionDone {
  std::int64_t deleted = 0;
  std::int64_t skipped_protected = 0;
  /// Counts by kind of what was captured ({leadMemberships, scheduledEmails, messages}).
  nlohmann::json captured = nlohmann::json::object();
};

/// Protection, capture, delete — on the selection already made.
Result<DeletionDone> delete_selected_leads(Services& services, const DeletionRules& rules);

}  // namespace leadline::api
