#pragma once
// Editing many leads at once, set-wise: the leads are the scratch selection a LeadDeletion made
// (temp.selected_leads), the changes are the same for each, and every value a lead had before is
// copied into the receipt first, so a restore can put it back. One description of each change
// (its SQL "after" expression) serves the edit, the receipt and the restore, so they cannot
// disagree about what the edit wrote.

#include "leadline/lead.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/receipt_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadline::store {

/// What a bulk edit does to every selected lead, in the schema's terms.
struct LeadChanges {
  /// Column → new value (nullopt clears). Only status, email_verification_status, country,
  /// company_name and job_title; a status never replaces unsubscribed or bounced.
  std::vector<std::pair<std::string, std::optional<std::string>>> columns;
  std::optional<nlohmann::json> custom_fields_patch;  ///< RFC 7396 merge patch; a JSON null clears
  std::optional<nlohmann::json> metadata_patch;       ///< RFC 7396 merge patch; a JSON null clears
  std::vector<std::string> add_tags;
  std::vector<std::string> remove_tags;

  /// The form a job plan and a receipt summary keep.
  nlohmann::json to_json() const;
  /// Reads to_json's form; an unknown column is an error.
  static Result<LeadChanges> from_json(const nlohmann::json& stored);
};

/// The bounds a lead must stay within after the edit (validation/limits.hpp has the numbers).
struct LeadLimits {
  std::size_t max_tags = 0;
  std::size_t max_custom_fields = 0;
  std::size_t max_metadata_bytes = 0;
};

/// A selected lead the edit would take over a bound, and which field.
struct OverLimit {
  std::int64_t lead_id = 0;
  std::string field;  ///< "tags", "customFields" or "metadata"
};

/// The receipt_rows table name of a lead's values before an edit.
inline constexpr const char* kEditedLeadRows = "lead_values";

class LeadBulkUpdate {
 public:
  explicit LeadBulkUpdate(Database& db) : db_(db) {}

  /// The first selected lead the changes would take over `limits`, if any.
  Result<std::optional<OverLimit>> first_over_limit(const LeadChanges& changes, const LeadLimits& limits);
  /// Takes out of the selection every lead the changes would take over `limits`; returns how many.
  Result<std::int64_t> drop_over_limit(const LeadChanges& changes, const LeadLimits& limits);

  /// Edits the selected leads of `workspace_id`: first narrows the selection to the leads the
  /// changes would change (a lead already as they want it is left alone), copies the values they
  /// replace into the receipt, then writes the changes and the tag rows. Returns how many changed.
  Result<std::int64_t> edit_selected(ReceiptStore& receipts, std::int64_t receipt_id, const LeadChanges& changes,
                                     std::int64_t workspace_id, std::int64_t now);

  /// The leads the receipt's edit moved into `status` (id, workspace, email, phone, status filled).
  Result<std::vector<Lead>> moved_to_status(std::int64_t receipt_id, const std::string& status);

 private:
  Result<std::int64_t> keep_changing_only(const LeadChanges& changes, std::int64_t workspace_id);
  Status capture(ReceiptStore& receipts, std::int64_t receipt_id, const LeadChanges& changes);
  Status apply(const LeadChanges& changes, std::int64_t workspace_id, std::int64_t now);
  Database& db_;
};

/// Undoes the edit behind `receipt` (whose summary holds its changes): each lead it changed that
/// is still there and still holds what the edit wrote gets its earlier values back. A lead changed
/// since is left as it is and listed in `conflicts`; a status the edit made unsubscribed or bounced
/// stays. Returns `{restored: {leads}, skipped: {leads}, conflicts: [...]}`.
Result<nlohmann::json> restore_lead_edit(ReceiptStore& receipts, const ReceiptRecord& receipt, std::int64_t now);

}  // namespace leadline::store
