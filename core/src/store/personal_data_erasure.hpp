#pragma once
// Erasure of a person: the lead rows and everything that is theirs alone go, and every place
// Leadline kept a copy of what they sent is redacted — receipts' copies, stored idempotent
// replies, audit entries' request bodies, restore reports. What counts for a campaign stays,
// moved to an opaque id that names no lead: memberships (so the campaign's counts keep counting)
// and email statistics. Messages and scheduled emails, which may quote the person, go.
// Runs inside the caller's transaction; the caller turns secure_delete on for it
// (SecureDeleteScope) so the freed bytes are zeroed, not just unlinked.

#include "leadline/lead.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadline::store {

/// What an erasure removed or redacted, by where it was kept.
struct ErasureCounts {
  std::int64_t leads = 0;                ///< lead rows (live, or deleted and kept for undo)
  std::int64_t tags = 0;
  std::int64_t messages = 0;             ///< conversation messages and scheduled emails removed
  std::int64_t memberships = 0;          ///< kept under an opaque id
  std::int64_t statistics = 0;           ///< kept under an opaque id
  std::int64_t receipt_rows = 0;         ///< copies in receipts removed
  std::int64_t restore_reports = 0;      ///< receipts' restore reports redacted
  std::int64_t idempotent_replies = 0;   ///< stored replies redacted
  std::int64_t audit_entries = 0;        ///< audit request bodies redacted
  std::int64_t suppression_entries = 0;  ///< entries now kept only as a keyed hash

  nlohmann::json to_json() const;
};

/// Turns SQLite's secure_delete fully on (freed pages and cells zeroed) for its lifetime; the
/// connection otherwise runs with FAST (zeroing only where it costs no extra I/O).
class SecureDeleteScope {
 public:
  explicit SecureDeleteScope(Database& db);
  ~SecureDeleteScope();
  SecureDeleteScope(const SecureDeleteScope&) = delete;
  SecureDeleteScope& operator=(const SecureDeleteScope&) = delete;

 private:
  Database& db_;
};

class PersonalDataErasure {
 public:
  explicit PersonalDataErasure(Database& db) : db_(db) {}

  /// The lead with this id in the workspace, deleted (kept for undo) or not.
  Result<std::optional<Lead>> find_any(std::int64_t workspace_id, std::int64_t id);
  /// Every lead with this normalised email, deleted or not.
  Result<std::vector<Lead>> find_by_email(std::int64_t workspace_id, const std::string& email);
  /// Ids of leads a receipt copied as rows (receipts written before deletes marked) with this email.
  Result<std::vector<std::int64_t>> copied_ids_by_email(std::int64_t workspace_id, const std::string& email);
  /// Whether the input of an import that has not finished mentions any of `needles`.
  Result<bool> pending_import_mentions(std::int64_t workspace_id, const std::vector<std::string>& needles);

  /// Erases the leads `ids` (with the opaque id each one's memberships and statistics move to).
  Status erase_leads(std::int64_t workspace_id, const std::vector<std::pair<std::int64_t, std::int64_t>>& ids,
                     ErasureCounts& counts);
  /// Redacts every stored request and reply of the workspace that contains one of `needles`
  /// (ignoring case), and every audit request naming one of `phone_numbers` in any spelling.
  Status redact_mentions(std::int64_t workspace_id, const std::vector<std::string>& needles,
                         const std::vector<std::string>& phone_numbers, ErasureCounts& counts);

 private:
  Database& db_;
};

}  // namespace leadline::store
