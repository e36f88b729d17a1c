#pragma once
// A workspace's suppression list: entries that keep a person out of every lead and campaign
// whatever is deleted or imported later. Each entry names an email, a domain (which covers its
// subdomains, validation/suppression_match.hpp) or a phone number; after an erasure an entry
// keeps only a keyed hash of its value.

#include "domain/vocabulary.hpp"
#include "leadline/lead.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::store {

struct SuppressionRecord {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  domain::SuppressionKind kind = domain::SuppressionKind::Email;
  std::optional<std::string> value;  ///< normal form; nullopt when only its keyed hash is kept
  domain::SuppressionSource source = domain::SuppressionSource::Api;
  std::optional<std::string> reason;
  std::optional<std::int64_t> lead_id;  ///< the lead whose status made the entry
  std::int64_t created_at = 0;
};

/// Which entry suppresses a lead, and through which of its fields ("email" or "phoneNumber").
struct SuppressionMatch {
  SuppressionRecord entry;
  std::string field;
};

struct SuppressionFilter {
  std::optional<std::string> kind;
  std::optional<std::string> source;
  std::optional<std::string> search;  ///< lower-case text the value contains
};

struct SuppressionPage {
  std::vector<SuppressionRecord> entries;
  bool has_more = false;
};

/// Leads a set of entries hits and their memberships that still receive email.
struct SuppressionImpact {
  std::int64_t leads = 0;
  std::int64_t active_memberships = 0;
  std::vector<Lead> sample;
};

class SuppressionStore {
 public:
  /// Registers the SQL function the set-based conditions below use (once per connection).
  explicit SuppressionStore(Database& db);

  /// Adds `entry` (its id chosen by the caller) unless an equal entry — same kind and value —
  /// is there; true when added.
  Result<bool> insert(const SuppressionRecord& entry);
  Result<std::optional<SuppressionRecord>> find(std::int64_t workspace_id, std::int64_t id);
  Status remove(std::int64_t id);
  /// Newest first, cursor pages.
  Result<SuppressionPage> list(std::int64_t workspace_id, const SuppressionFilter& filter, int limit,
                               std::optional<std::int64_t> before_id);
  /// Whether the workspace has any entry (the set-based checks are skipped when it has none).
  Result<bool> any(std::int64_t workspace_id);

  /// The entry that suppresses the normalised `email` — its own entry, its domain's or a parent
  /// domain's, or a hashed entry — if any.
  Result<std::optional<SuppressionRecord>> match_email(std::int64_t workspace_id, const std::string& email);
  /// The entry that suppresses the E.164 `phone_number`, if any.
  Result<std::optional<SuppressionRecord>> match_phone(std::int64_t workspace_id, const std::string& phone_number);
  /// The first entry that suppresses `lead` (email before phone number), if any.
  Result<std::optional<SuppressionMatch>> match_lead(const Lead& lead);

  /// The leads the given values hit (emails, domains, phone numbers, all normalised) and how
  /// many of their memberships still receive email; with `unsubscribe`, those memberships are
  /// set to unsubscribed. `sample_size` leads are returned as a sample.
  Result<SuppressionImpact> apply_to_existing(std::int64_t workspace_id, const std::vector<std::string>& emails,
                                              const std::vector<std::string>& domains,
                                              const std::vector<std::string>& phone_numbers, bool unsubscribe,
                                              int sample_size);

  /// After an erasure: the person's email or phone number stays suppressed as a keyed hash only.
  /// Entries holding the value in clear become that hashed entry (source `erased`, reason and
  /// lead dropped); with none, one is added under `new_id`. The key is made on first use. Returns
  /// how many entries now keep only the hash because of this call (0 or 1).
  Result<std::int64_t> keep_only_hash(std::int64_t workspace_id, domain::SuppressionKind kind, const std::string& value,
                                      std::int64_t new_id, std::int64_t now);

  /// SQL that is true when the lead row `alias` is suppressed by an entry that keeps its value.
  /// (A hashed entry never matches a stored lead: erasure removed the lead, and every way back in
  /// — create, import, update, restore — checks the hash first.)
  static std::string lead_is_suppressed(std::string_view alias);
  /// The same rule over SQL expressions: true when `email` is suppressed in `workspace_id`, not
  /// counting the entries the lead `own_lead_id` (when given) made through its own status.
  static std::string email_is_suppressed(std::string_view workspace_id, std::string_view email,
                                         std::string_view own_lead_id = {});
  /// True when `phone_number` is suppressed in `workspace_id` (the same exception).
  static std::string phone_is_suppressed(std::string_view workspace_id, std::string_view phone_number,
                                         std::string_view own_lead_id = {});

 private:
  Result<std::optional<SuppressionRecord>> match_value(std::int64_t workspace_id, domain::SuppressionKind kind,
                                                       const std::vector<std::string>& values);
  Result<std::optional<SuppressionRecord>> match_hash(std::int64_t workspace_id, domain::SuppressionKind kind,
                                                      const std::string& value);
  /// The keyed hash of `kind:value`, or nullopt before the first erasure made the key (unless
  /// `create_key`).
  Result<std::optional<std::string>> keyed_hash(domain::SuppressionKind kind, const std::string& value, bool create_key);

  Database& db_;
};

}  // namespace leadline::store
