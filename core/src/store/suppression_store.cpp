#include "store/suppression_store.hpp"

#include "guards/sha256.hpp"
#include "store/lead_row.hpp"
#include "store/lead_visibility.hpp"
#include "store/page_rows.hpp"
#include "validation/suppression_match.hpp"

#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include <random>

namespace leadline::store {
namespace {

using json = nlohmann::json;
using domain::SuppressionKind;

// Qualified: a lookup joins json_each, whose own columns include `id` and `value`.
constexpr const char* kColumns = "s.id, s.workspace_id, s.kind, s.value, s.source, s.reason, s.lead_id, s.created_at";

SuppressionRecord read_entry(const Statement& row) {
  SuppressionRecord entry;
  entry.id = row.int64(0);
  entry.workspace_id = row.int64(1);
  entry.kind = domain::parse_term(domain::kSuppressionKinds, row.text(2)).value_or(SuppressionKind::Email);
  entry.value = row.optional_text(3);
  entry.source = domain::parse_term(domain::kSuppressionSources, row.text(4)).value_or(domain::SuppressionSource::Api);
  entry.reason = row.optional_text(5);
  if (!row.is_null(6)) entry.lead_id = row.int64(6);
  entry.created_at = row.int64(7);
  return entry;
}

std::string kind_name(SuppressionKind kind) { return std::string(domain::name_of(domain::kSuppressionKinds, kind)); }

// leadline_domain_covers(entry, email): whether the domain entry covers the email's domain — the
// rule of validation/suppression_match, so SQL and C++ cannot disagree.
void domain_covers_function(sqlite3_context* context, int, sqlite3_value** argv) {
  const auto* entry = sqlite3_value_text(argv[0]);
  const auto* email = sqlite3_value_text(argv[1]);
  if (entry == nullptr || email == nullptr) {
    sqlite3_result_int(context, 0);
    return;
  }
  const std::string_view entry_text(reinterpret_cast<const char*>(entry), sqlite3_value_bytes(argv[0]));
  const std::string_view email_text(reinterpret_cast<const char*>(email), sqlite3_value_bytes(argv[1]));
  sqlite3_result_int(context, validation::domain_covers(entry_text, validation::email_domain(email_text)) ? 1 : 0);
}

// The memberships that still receive email, as an SQL list.
const std::string& receiving_statuses() {
  static const std::string list = [] {
    std::string text;
    for (const auto& term : domain::kMembershipStatuses) {
      if (!domain::membership_receives_email(term.value)) continue;
      text += (text.empty() ? "'" : ", '") + std::string(term.name) + "'";
    }
    return text;
  }();
  return list;
}

}  // namespace

SuppressionStore::SuppressionStore(Database& db) : db_(db) {
  sqlite3_create_function_v2(db_.handle(), "leadline_domain_covers", 2,
                             SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr, domain_covers_function,
                             nullptr, nullptr, nullptr);
}

Result<bool> SuppressionStore::insert(const SuppressionRecord& entry) {
  auto stmt = db_.prepare(
      "INSERT OR IGNORE INTO suppressions (id, workspace_id, kind, value, source, reason, lead_id, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, entry.id).bind(2, entry.workspace_id).bind(3, kind_name(entry.kind)).bind(4, entry.value);
  stmt->bind(5, domain::name_of(domain::kSuppressionSources, entry.source)).bind(6, entry.reason);
  if (entry.lead_id) stmt->bind(7, *entry.lead_id);
  else stmt->bind_null(7);
  stmt->bind(8, entry.created_at);
  if (auto status = stmt->run(); !status) return status.take_error();
  return db_.changes() > 0;
}

Result<std::optional<SuppressionRecord>> SuppressionStore::find(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kColumns + " FROM suppressions s WHERE s.id = ? AND s.workspace_id = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, id).bind(2, workspace_id);
  std::optional<SuppressionRecord> entry;
  if (stmt->step()) entry = read_entry(*stmt);
  if (auto status = stmt->status(); !status) return status.take_error();
  return entry;
}

Status SuppressionStore::remove(std::int64_t id) {
  auto stmt = db_.prepare("DELETE FROM suppressions WHERE id = ?");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, id).run();
}

Result<SuppressionPage> SuppressionStore::list(std::int64_t workspace_id, const SuppressionFilter& filter, int limit,
                                               std::optional<std::int64_t> before_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kColumns +
                          " FROM suppressions s WHERE s.workspace_id = ?1 AND (?2 IS NULL OR s.kind = ?2) AND "
                          "(?3 IS NULL OR s.source = ?3) AND (?4 IS NULL OR instr(s.value, ?4) > 0) AND "
                          "(?5 IS NULL OR s.id < ?5) ORDER BY s.id DESC LIMIT ?6");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, filter.kind).bind(3, filter.source).bind(4, filter.search);
  if (before_id) stmt->bind(5, *before_id);
  else stmt->bind_null(5);
  stmt->bind(6, rows_to_fetch(limit));
  SuppressionPage page;
  while (stmt->step()) page.entries.push_back(read_entry(*stmt));
  if (auto status = stmt->status(); !status) return status.take_error();
  page.has_more = trim_to_page(page.entries, limit);
  return page;
}

Result<bool> SuppressionStore::any(std::int64_t workspace_id) {
  auto stmt = db_.prepare("SELECT EXISTS (SELECT 1 FROM suppressions WHERE workspace_id = ?)");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id);
  const bool found = stmt->step() && stmt->int64(0) != 0;
  if (auto status = stmt->status(); !status) return status.take_error();
  return found;
}

Result<std::optional<SuppressionRecord>> SuppressionStore::match_value(std::int64_t workspace_id, SuppressionKind kind,
                                                                       const std::vector<std::string>& values) {
  if (values.empty()) return std::optional<SuppressionRecord>{};
  // The order of `values` is the order of preference (an address before its domains).
  auto stmt = db_.prepare(std::string("SELECT ") + kColumns +
                          " FROM suppressions s JOIN json_each(?3) v ON s.value = v.value "
                          "WHERE s.workspace_id = ?1 AND s.kind = ?2 ORDER BY v.key LIMIT 1");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, kind_name(kind)).bind(3, json(values).dump());
  std::optional<SuppressionRecord> entry;
  if (stmt->step()) entry = read_entry(*stmt);
  if (auto status = stmt->status(); !status) return status.take_error();
  return entry;
}

Result<std::optional<std::string>> SuppressionStore::keyed_hash(SuppressionKind kind, const std::string& value,
                                                                bool create_key) {
  auto secret = db_.prepare("SELECT secret FROM suppression_secret WHERE singleton = 1");
  if (!secret) return secret.take_error();
  std::optional<std::string> key;
  if (secret->step()) key = secret->blob(0);
  if (auto status = secret->status(); !status) return status.take_error();
  if (!key && create_key) {
    // The OS's CSPRNG natively, crypto.getRandomValues under wasm (as API keys are made).
    std::random_device entropy;
    std::string made(32, '\0');
    for (auto& byte : made) byte = static_cast<char>(entropy() & 0xff);
    auto insert = db_.prepare("INSERT INTO suppression_secret (singleton, secret) VALUES (1, ?)");
    if (!insert) return insert.take_error();
    if (auto status = insert->bind_blob(1, made.data(), static_cast<int>(made.size())).run(); !status)
      return status.take_error();
    key = std::move(made);
  }
  if (!key) return std::optional<std::string>{};
  const auto digest = guards::hmac_sha256(*key, kind_name(kind) + ":" + value);
  return std::optional<std::string>{std::string(reinterpret_cast<const char*>(digest.data()), digest.size())};
}

Result<std::optional<SuppressionRecord>> SuppressionStore::match_hash(std::int64_t workspace_id, SuppressionKind kind,
                                                                      const std::string& value) {
  auto hash = keyed_hash(kind, value, false);
  if (!hash) return hash.take_error();
  if (!*hash) return std::optional<SuppressionRecord>{};  // no erasure yet: no hashed entry
  auto stmt = db_.prepare(std::string("SELECT ") + kColumns +
                          " FROM suppressions s WHERE s.workspace_id = ? AND s.kind = ? AND s.value_hash = ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, workspace_id).bind(2, kind_name(kind)).bind_blob(3, (*hash)->data(), static_cast<int>((*hash)->size()));
  std::optional<SuppressionRecord> entry;
  if (stmt->step()) entry = read_entry(*stmt);
  if (auto status = stmt->status(); !status) return status.take_error();
  return entry;
}

Result<std::optional<SuppressionRecord>> SuppressionStore::match_email(std::int64_t workspace_id,
                                                                       const std::string& email) {
  auto own = match_value(workspace_id, SuppressionKind::Email, {email});
  if (!own || *own) return own;
  auto by_domain =
      match_value(workspace_id, SuppressionKind::Domain, validation::covering_domains(validation::email_domain(email)));
  if (!by_domain || *by_domain) return by_domain;
  return match_hash(workspace_id, SuppressionKind::Email, email);
}

Result<std::optional<SuppressionRecord>> SuppressionStore::match_phone(std::int64_t workspace_id,
                                                                       const std::string& phone_number) {
  auto own = match_value(workspace_id, SuppressionKind::PhoneNumber, {phone_number});
  if (!own || *own) return own;
  return match_hash(workspace_id, SuppressionKind::PhoneNumber, phone_number);
}

Result<std::optional<SuppressionMatch>> SuppressionStore::match_lead(const Lead& lead) {
  if (lead.email) {
    auto entry = match_email(lead.workspace_id, *lead.email);
    if (!entry) return entry.take_error();
    if (*entry) return std::optional<SuppressionMatch>{SuppressionMatch{std::move(**entry), "email"}};
  }
  if (lead.phone_number) {
    auto entry = match_phone(lead.workspace_id, *lead.phone_number);
    if (!entry) return entry.take_error();
    if (*entry) return std::optional<SuppressionMatch>{SuppressionMatch{std::move(**entry), "phoneNumber"}};
  }
  return std::optional<SuppressionMatch>{};
}

Result<SuppressionImpact> SuppressionStore::apply_to_existing(std::int64_t workspace_id,
                                                              const std::vector<std::string>& emails,
                                                              const std::vector<std::string>& domains,
                                                              const std::vector<std::string>& phone_numbers,
                                                              bool unsubscribe, int sample_size) {
  if (auto status = db_.exec("CREATE TEMP TABLE IF NOT EXISTS suppression_hits (lead_id INTEGER PRIMARY KEY)"); !status)
    return status.take_error();
  if (auto status = db_.exec("DELETE FROM temp.suppression_hits"); !status) return status.take_error();
  const std::string from = "INSERT OR IGNORE INTO temp.suppression_hits (lead_id) SELECT l.id FROM " + live_leads("l") +
                           " WHERE l.workspace_id = ?1 AND " + lead_is_unmarked("l") + " AND ";
  // Addresses and numbers are index lookups; a domain is one pass over the workspace's leads.
  const std::vector<std::pair<std::string, const std::vector<std::string>*>> steps{
      {from + "l.email IN (SELECT value FROM json_each(?2))", &emails},
      {from + "l.phone_number IN (SELECT value FROM json_each(?2))", &phone_numbers},
      {from + "l.email IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(?2) d WHERE leadline_domain_covers(d.value, l.email))",
       &domains},
  };
  for (const auto& [sql, values] : steps) {
    if (values->empty()) continue;
    auto stmt = db_.prepare(sql);
    if (!stmt) return stmt.take_error();
    if (auto status = stmt->bind(1, workspace_id).bind(2, json(*values).dump()).run(); !status)
      return status.take_error();
  }
  SuppressionImpact impact;
  const std::string hit_memberships = "FROM campaign_leads m WHERE m.lead_id IN (SELECT lead_id FROM temp.suppression_hits) "
                                      "AND m.status IN (" + receiving_statuses() + ")";
  auto counts = db_.prepare("SELECT (SELECT count(*) FROM temp.suppression_hits), (SELECT count(*) " + hit_memberships + ")");
  if (!counts) return counts.take_error();
  if (counts->step()) {
    impact.leads = counts->int64(0);
    impact.active_memberships = counts->int64(1);
  }
  if (auto status = counts->status(); !status) return status.take_error();
  auto sample = db_.prepare(std::string("SELECT ") + kLeadColumns +
                            " FROM leads l WHERE l.id IN (SELECT lead_id FROM temp.suppression_hits) ORDER BY l.id LIMIT ?");
  if (!sample) return sample.take_error();
  sample->bind(1, sample_size);
  while (sample->step()) impact.sample.push_back(read_lead(*sample));
  if (auto status = sample->status(); !status) return status.take_error();
  if (unsubscribe && impact.active_memberships > 0) {
    const auto unsubscribed = domain::name_of(domain::kMembershipStatuses, domain::MembershipStatus::Unsubscribed);
    auto stmt = db_.prepare("UPDATE campaign_leads AS m SET status = ? WHERE m.lead_id IN (SELECT lead_id FROM temp.suppression_hits) "
                            "AND m.status IN (" + receiving_statuses() + ")");
    if (!stmt) return stmt.take_error();
    if (auto status = stmt->bind(1, unsubscribed).run(); !status) return status.take_error();
  }
  return impact;
}

namespace {

std::string not_made_by(std::string_view own_lead_id) {
  if (own_lead_id.empty()) return "";
  return " AND (s.lead_id IS NULL OR s.lead_id <> " + std::string(own_lead_id) + ")";
}

}  // namespace

Result<std::int64_t> SuppressionStore::keep_only_hash(std::int64_t workspace_id, SuppressionKind kind,
                                                     const std::string& value, std::int64_t new_id, std::int64_t now) {
  auto hash = keyed_hash(kind, value, true);
  if (!hash) return hash.take_error();
  const auto& digest = **hash;
  auto hashed = db_.prepare("SELECT id FROM suppressions WHERE workspace_id = ? AND kind = ? AND value_hash = ?");
  if (!hashed) return hashed.take_error();
  hashed->bind(1, workspace_id).bind(2, kind_name(kind)).bind_blob(3, digest.data(), static_cast<int>(digest.size()));
  const bool already = hashed->step();
  if (auto status = hashed->status(); !status) return status.take_error();
  if (already) {
    auto remove = db_.prepare("DELETE FROM suppressions WHERE workspace_id = ? AND kind = ? AND value = ?");
    if (!remove) return remove.take_error();
    if (auto status = remove->bind(1, workspace_id).bind(2, kind_name(kind)).bind(3, value).run(); !status)
      return status.take_error();
    return std::int64_t{0};
  }
  auto convert = db_.prepare(
      "UPDATE suppressions SET value = NULL, value_hash = ?, source = 'erased', reason = NULL, lead_id = NULL "
      "WHERE workspace_id = ? AND kind = ? AND value = ?");
  if (!convert) return convert.take_error();
  convert->bind_blob(1, digest.data(), static_cast<int>(digest.size())).bind(2, workspace_id).bind(3, kind_name(kind)).bind(4, value);
  if (auto status = convert->run(); !status) return status.take_error();
  if (db_.changes() > 0) return std::int64_t{1};
  auto insert = db_.prepare(
      "INSERT INTO suppressions (id, workspace_id, kind, value_hash, source, created_at) VALUES (?, ?, ?, ?, 'erased', ?)");
  if (!insert) return insert.take_error();
  insert->bind(1, new_id).bind(2, workspace_id).bind(3, kind_name(kind)).bind_blob(4, digest.data(), static_cast<int>(digest.size()));
  insert->bind(5, now);
  if (auto status = insert->run(); !status) return status.take_error();
  return std::int64_t{1};
}

std::string SuppressionStore::email_is_suppressed(std::string_view workspace_id, std::string_view email,
                                                  std::string_view own_lead_id) {
  const std::string ws(workspace_id), e(email);
  return "EXISTS (SELECT 1 FROM suppressions s WHERE s.workspace_id = " + ws + " AND s.value IS NOT NULL AND ((s.kind = "
         "'email' AND s.value = " + e + ") OR (s.kind = 'domain' AND leadline_domain_covers(s.value, " + e + ")))" +
         not_made_by(own_lead_id) + ")";
}

std::string SuppressionStore::phone_is_suppressed(std::string_view workspace_id, std::string_view phone_number,
                                                  std::string_view own_lead_id) {
  return "EXISTS (SELECT 1 FROM suppressions s WHERE s.workspace_id = " + std::string(workspace_id) +
         " AND s.kind = 'phoneNumber' AND s.value = " + std::string(phone_number) + not_made_by(own_lead_id) + ")";
}

std::string SuppressionStore::lead_is_suppressed(std::string_view alias) {
  const std::string a(alias);
  return "(" + email_is_suppressed(a + ".workspace_id", a + ".email") + " OR " +
         phone_is_suppressed(a + ".workspace_id", a + ".phone_number") + ")";
}

}  // namespace leadline::store
