#include "store/lead_bulk_update.hpp"

#include "domain/vocabulary.hpp"
#include "leadline/ids.hpp"
#include "store/lead_visibility.hpp"

#include <algorithm>
#include <functional>

namespace leadline::store {
namespace {

using json = nlohmann::json;

// Parameters every statement below may use (SQLite ignores a bound index a statement lacks).
constexpr int kAddTags = 1, kRemoveTags = 2, kCustomFieldsPatch = 3, kMetadataPatch = 4, kNow = 5, kWorkspace = 6,
              kReceipt = 7, kFirstColumn = 8;

const std::vector<std::string>& settable_columns() {
  static const std::vector<std::string> columns{"status", "email_verification_status", "country", "company_name",
                                                "job_title"};
  return columns;
}

std::string param(int index) { return "?" + std::to_string(index); }

// 'unsubscribed', 'bounced': the statuses that keep a person from being contacted.
std::string protective_statuses() {
  std::string list;
  for (const auto& term : domain::kLeadStatuses) {
    if (!domain::suppression_source_for(term.value)) continue;
    list += (list.empty() ? "'" : ", '") + std::string(term.name) + "'";
  }
  return list;
}

// A column's value as an expression over the lead (`l.tags`) or a captured row.
using Source = std::function<std::string(const std::string& column)>;

Source of_lead(const std::string& alias) {
  return [alias](const std::string& column) { return alias + "." + column; };
}
Source of_capture(const std::string& row) {
  return [row](const std::string& column) { return captured_value(row, column); };
}

// True when the edit only adds tags: whether a lead changes is then a question for the tag
// index alone, and a lead it changes lacks at least one of them.
bool only_adds_tags(const LeadChanges& changes) {
  return changes.columns.empty() && !changes.custom_fields_patch && !changes.metadata_patch && changes.remove_tags.empty() &&
         !changes.add_tags.empty();
}

// How a lead's stored tags are known to stand to a single added tag.
enum class AddedTag { MayBeThere, KnownMissing };

// Every column the changes touch, with what it holds after the edit given what it held before.
// `added`: KnownMissing when every lead it applies to lacks the single added tag (the selection
// was narrowed to the leads the edit changes), so the tag is appended without looking.
std::vector<std::pair<std::string, std::string>> after_values(const LeadChanges& changes, const Source& before,
                                                              AddedTag added = AddedTag::MayBeThere) {
  std::vector<std::pair<std::string, std::string>> after;
  for (std::size_t i = 0; i < changes.columns.size(); ++i) {
    const auto& column = changes.columns[i].first;
    const auto value = param(kFirstColumn + static_cast<int>(i));
    if (column == "status") {
      after.emplace_back(column, "CASE WHEN " + before(column) + " IN (" + protective_statuses() + ") THEN " +
                                     before(column) + " ELSE " + value + " END");
    } else {
      after.emplace_back(column, value);
    }
  }
  if (changes.add_tags.size() == 1 && changes.remove_tags.empty()) {
    // One tag added, the common case: appended unless there, without rebuilding the list.
    const auto tags = before("tags");
    const auto tag = "json_extract(" + param(kAddTags) + ", '$[0]')";
    if (added == AddedTag::KnownMissing) after.emplace_back("tags", "json_insert(" + tags + ", '$[#]', " + tag + ")");
    else after.emplace_back("tags", "CASE WHEN EXISTS (SELECT 1 FROM json_each(" + tags + ") WHERE value = " + tag + ") THEN " +
                                   tags + " ELSE json_insert(" + tags + ", '$[#]', " + tag + ") END");
  } else if (!changes.add_tags.empty() || !changes.remove_tags.empty()) {
    const auto tags = before("tags");
    after.emplace_back("tags", "(SELECT json_group_array(value ORDER BY part, key) FROM (SELECT 0 AS part, key, value FROM "
                               "json_each(" + tags + ") WHERE value NOT IN (SELECT value FROM json_each(" +
                                   param(kRemoveTags) + ")) UNION ALL SELECT 1, key, value FROM json_each(" +
                                   param(kAddTags) + ") WHERE value NOT IN (SELECT value FROM json_each(" + tags + "))))");
  }
  const auto merged = [&](const std::optional<json>& patch, const std::string& column, int index) {
    if (!patch) return;
    after.emplace_back(column, patch->is_null() ? std::string("'{}'") : "json_patch(" + before(column) + ", " + param(index) + ")");
  };
  merged(changes.custom_fields_patch, "custom_fields", kCustomFieldsPatch);
  merged(changes.metadata_patch, "metadata", kMetadataPatch);
  return after;
}

// True when the changes would change the lead (alias; its id as `id`). Tags are judged by the tag
// index (a primary key probe per tag) rather than by building the new list, which costs a JSON
// parse per lead.
std::string differs(const LeadChanges& changes, const std::string& alias, const std::string& id) {
  std::string sql;
  const auto either = [&sql](const std::string& condition) { sql += (sql.empty() ? "(" : " OR ") + condition; };
  for (const auto& [column, value] : after_values(changes, of_lead(alias)))
    if (column != "tags") either(alias + "." + column + " IS NOT " + value);
  const auto has_tag = [&](const std::string& tag) {
    return "EXISTS (SELECT 1 FROM lead_tags t WHERE t.workspace_id = " + param(kWorkspace) + " AND t.tag = " + tag +
           " AND t.lead_id = " + id + ")";
  };
  if (!changes.add_tags.empty())
    either("EXISTS (SELECT 1 FROM json_each(" + param(kAddTags) + ") a WHERE NOT " + has_tag("a.value") + ")");
  if (!changes.remove_tags.empty())
    either("EXISTS (SELECT 1 FROM json_each(" + param(kRemoveTags) + ") r WHERE " + has_tag("r.value") + ")");
  return sql.empty() ? "0" : sql + ")";
}

void bind_changes(Statement& stmt, const LeadChanges& changes) {
  stmt.bind(kAddTags, json(changes.add_tags).dump()).bind(kRemoveTags, json(changes.remove_tags).dump());
  if (changes.custom_fields_patch && !changes.custom_fields_patch->is_null())
    stmt.bind(kCustomFieldsPatch, changes.custom_fields_patch->dump());
  if (changes.metadata_patch && !changes.metadata_patch->is_null()) stmt.bind(kMetadataPatch, changes.metadata_patch->dump());
  for (std::size_t i = 0; i < changes.columns.size(); ++i)
    stmt.bind(kFirstColumn + static_cast<int>(i), changes.columns[i].second);
}

// The condition naming the first bound a lead (alias) would break after the edit, as a CASE
// giving the field's name, or "NULL" when the changes cannot break any.
std::string over_limit_field(const LeadChanges& changes, const LeadLimits& limits, const std::string& alias) {
  std::string cases;
  for (const auto& [column, value] : after_values(changes, of_lead(alias))) {
    if (column == "tags") {
      // Only a lead near the bound is worth building its new list for, and only one whose list is
      // long enough to hold that many tags is worth parsing: n strings take at least 3n + 1 bytes.
      const auto fewest_over = static_cast<std::int64_t>(limits.max_tags) + 1 - static_cast<std::int64_t>(changes.add_tags.size());
      cases += " WHEN length(CAST(" + alias + ".tags AS BLOB)) > " + std::to_string(3 * std::max<std::int64_t>(fewest_over, 0)) +
               " AND json_array_length(" + alias + ".tags) + " + std::to_string(changes.add_tags.size()) + " > " +
               std::to_string(limits.max_tags) + " AND json_array_length(" + value + ") > " +
               std::to_string(limits.max_tags) + " THEN 'tags'";
    } else if (column == "custom_fields" && changes.custom_fields_patch && !changes.custom_fields_patch->is_null()) {
      // A merge grows the field count by at most the keys it sets; without any, no lead can pass the bound.
      std::size_t added = 0;
      for (const auto& [key, entry] : changes.custom_fields_patch->items()) added += entry.is_null() ? 0 : 1;
      if (added == 0) continue;
      cases += " WHEN (SELECT count(*) FROM json_each(" + alias + ".custom_fields)) + " + std::to_string(added) + " > " +
               std::to_string(limits.max_custom_fields) + " AND (SELECT count(*) FROM json_each(" + value + ")) > " +
               std::to_string(limits.max_custom_fields) + " THEN 'customFields'";
    } else if (column == "metadata" && changes.metadata_patch && !changes.metadata_patch->is_null()) {
      // A merged document is never longer than the two documents together.
      cases += " WHEN length(CAST(" + alias + ".metadata AS BLOB)) + " + std::to_string(changes.metadata_patch->dump().size()) +
               " > " + std::to_string(limits.max_metadata_bytes) + " AND length(CAST(" + value + " AS BLOB)) > " +
               std::to_string(limits.max_metadata_bytes) + " THEN 'metadata'";
    }
  }
  return cases.empty() ? "NULL" : "CASE" + cases + " END";
}

const std::string kSelected = "(SELECT id FROM temp.selected_leads)";

}  // namespace

json LeadChanges::to_json() const {
  json set = json::object();
  for (const auto& [column, value] : columns) set[column] = value ? json(*value) : json(nullptr);
  json out{{"columns", std::move(set)}, {"addTags", add_tags}, {"removeTags", remove_tags}};
  if (custom_fields_patch) out["customFieldsPatch"] = *custom_fields_patch;
  if (metadata_patch) out["metadataPatch"] = *metadata_patch;
  return out;
}

Result<LeadChanges> LeadChanges::from_json(const json& stored) {
  LeadChanges changes;
  if (!stored.is_object()) return Error{ErrorCode::Internal, "lead edit: changes are not an object"};
  const auto columns = stored.value("columns", json::object());  // kept: items() of a temporary would dangle
  for (const auto& [column, value] : columns.items()) {
    const auto& known = settable_columns();
    if (std::find(known.begin(), known.end(), column) == known.end())
      return Error{ErrorCode::Internal, "lead edit: unknown column " + column};
    changes.columns.emplace_back(column, value.is_null() ? std::nullopt : std::optional<std::string>(value.get<std::string>()));
  }
  changes.add_tags = stored.value("addTags", std::vector<std::string>{});
  changes.remove_tags = stored.value("removeTags", std::vector<std::string>{});
  if (stored.contains("customFieldsPatch")) changes.custom_fields_patch = stored["customFieldsPatch"];
  if (stored.contains("metadataPatch")) changes.metadata_patch = stored["metadataPatch"];
  return changes;
}

Result<std::optional<OverLimit>> LeadBulkUpdate::first_over_limit(const LeadChanges& changes, const LeadLimits& limits) {
  const auto field = over_limit_field(changes, limits, "l");
  if (field == "NULL") return std::optional<OverLimit>{};
  auto stmt = db_.prepare("SELECT l.id, " + field + " FROM leads l WHERE l.id IN " + kSelected + " AND " + field +
                          " IS NOT NULL ORDER BY l.id LIMIT 1");
  if (!stmt) return stmt.take_error();
  bind_changes(*stmt, changes);
  std::optional<OverLimit> found;
  if (stmt->step()) found = OverLimit{stmt->int64(0), stmt->text(1)};
  if (auto status = stmt->status(); !status) return status.take_error();
  return found;
}

Result<std::int64_t> LeadBulkUpdate::drop_over_limit(const LeadChanges& changes, const LeadLimits& limits) {
  const auto field = over_limit_field(changes, limits, "l");
  if (field == "NULL") return std::int64_t{0};
  auto stmt = db_.prepare("DELETE FROM temp.selected_leads WHERE id IN (SELECT l.id FROM leads l WHERE l.id IN " +
                          kSelected + " AND " + field + " IS NOT NULL)");
  if (!stmt) return stmt.take_error();
  bind_changes(*stmt, changes);
  if (auto status = stmt->run(); !status) return status.take_error();
  return db_.changes();
}

Result<std::int64_t> LeadBulkUpdate::edit_selected(ReceiptStore& receipts, std::int64_t receipt_id,
                                                   const LeadChanges& changes, std::int64_t workspace_id, std::int64_t now) {
  auto changing = keep_changing_only(changes, workspace_id);
  if (!changing) return changing.take_error();
  if (*changing == 0) return std::int64_t{0};
  if (auto status = capture(receipts, receipt_id, changes); !status) return status.take_error();
  if (auto status = apply(changes, workspace_id, now); !status) return status.take_error();
  return *changing;
}

Result<std::int64_t> LeadBulkUpdate::keep_changing_only(const LeadChanges& changes, std::int64_t workspace_id) {
  // An edit that only adds tags is judged by the tag index without reading the leads.
  auto drop = db_.prepare(only_adds_tags(changes)
                              ? "DELETE FROM temp.selected_leads WHERE NOT " + differs(changes, "l", "temp.selected_leads.id")
                              : "DELETE FROM temp.selected_leads WHERE id IN (SELECT l.id FROM leads l WHERE l.id IN " +
                                    kSelected + " AND NOT " + differs(changes, "l", "l.id") + ")");
  if (!drop) return drop.take_error();
  bind_changes(*drop, changes);
  if (auto status = drop->bind(kWorkspace, workspace_id).run(); !status) return status.take_error();
  auto count = db_.prepare("SELECT count(*) FROM temp.selected_leads");
  if (!count) return count.take_error();
  std::int64_t left = 0;
  if (count->step()) left = count->int64(0);
  if (auto status = count->status(); !status) return status.take_error();
  return left;
}

Status LeadBulkUpdate::capture(ReceiptStore& receipts, std::int64_t receipt_id, const LeadChanges& changes) {
  // Text columns are kept as JSON strings, not parsed, so a restore writes back the very bytes.
  std::string object = "json_object('lead_id', l.id";
  for (const auto& [column, value] : after_values(changes, of_lead("l"))) object += ", '" + column + "', l." + column;
  object += ")";
  auto stmt = receipts.database().prepare("INSERT INTO receipt_rows (receipt_id, table_name, row) SELECT ?, '" +
                                          std::string(kEditedLeadRows) + "', " + object + " FROM leads l WHERE l.id IN " +
                                          kSelected);
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, receipt_id).run();
}

Status LeadBulkUpdate::apply(const LeadChanges& changes, std::int64_t workspace_id, std::int64_t now) {
  std::string assignments;
  // edit_selected narrowed the selection to leads the edit changes: an edit that only adds one
  // tag changes a lead only by appending it.
  const auto added = only_adds_tags(changes) ? AddedTag::KnownMissing : AddedTag::MayBeThere;
  for (const auto& [column, value] : after_values(changes, of_lead("leads"), added)) assignments += column + " = " + value + ", ";
  auto update = db_.prepare("UPDATE leads SET " + assignments + "updated_at = " + param(kNow) + " WHERE id IN " + kSelected);
  if (!update) return update.take_error();
  bind_changes(*update, changes);
  if (auto status = update->bind(kNow, now).run(); !status) return status;
  if (!changes.remove_tags.empty()) {
    auto drop = db_.prepare("DELETE FROM lead_tags WHERE workspace_id = " + param(kWorkspace) +
                            " AND tag IN (SELECT value FROM json_each(" + param(kRemoveTags) + ")) AND lead_id IN " + kSelected);
    if (!drop) return drop.take_error();
    bind_changes(*drop, changes);
    if (auto status = drop->bind(kWorkspace, workspace_id).run(); !status) return status;
  }
  if (!changes.add_tags.empty()) {
    // Leads the tags limit keeps out of the edit were taken out of the selection beforehand.
    auto add = db_.prepare("INSERT OR IGNORE INTO lead_tags (workspace_id, tag, lead_id) SELECT " + param(kWorkspace) +
                           ", a.value, s.id FROM temp.selected_leads s, json_each(" + param(kAddTags) + ") a");
    if (!add) return add.take_error();
    bind_changes(*add, changes);
    if (auto status = add->bind(kWorkspace, workspace_id).run(); !status) return status;
  }
  return Ok{};
}

Result<std::vector<Lead>> LeadBulkUpdate::moved_to_status(std::int64_t receipt_id, const std::string& status) {
  auto stmt = db_.prepare("SELECT l.id, l.workspace_id, l.email, l.phone_number FROM receipt_rows r JOIN leads l ON l.id = " +
                          captured_value("r.row", "lead_id") + " WHERE r.receipt_id = ? AND r.table_name = '" +
                          kEditedLeadRows + "' AND l.status = ? AND " + captured_value("r.row", "status") + " IS NOT ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, receipt_id).bind(2, status).bind(3, status);
  std::vector<Lead> leads;
  while (stmt->step()) {
    Lead lead;
    lead.id = stmt->int64(0);
    lead.workspace_id = stmt->int64(1);
    lead.email = stmt->optional_text(2);
    lead.phone_number = stmt->optional_text(3);
    lead.status = status;
    leads.push_back(std::move(lead));
  }
  if (auto status_now = stmt->status(); !status_now) return status_now.take_error();
  return leads;
}

Result<json> restore_lead_edit(ReceiptStore& receipts, const ReceiptRecord& receipt, std::int64_t now) {
  auto& db = receipts.database();
  auto changes = LeadChanges::from_json(receipt.summary.value("changes", json::object()));
  if (!changes) return changes.take_error();
  if (auto status = db.exec("CREATE TEMP TABLE IF NOT EXISTS restore_edited_leads (id INTEGER PRIMARY KEY)"); !status)
    return status.take_error();
  if (auto status = db.exec("DELETE FROM temp.restore_edited_leads"); !status) return status.take_error();

  const std::string of_receipt = "r.receipt_id = " + param(kReceipt) + " AND r.table_name = '" + kEditedLeadRows + "'";
  const auto lead_of_row = captured_value("r.row", "lead_id");
  // Still there, and still holding what the edit wrote: anything else means a later write owns it.
  std::string unchanged;
  for (const auto& [column, value] : after_values(*changes, of_capture("r.row")))
    unchanged += " AND l." + column + " IS " + value;
  auto eligible = db.prepare("INSERT INTO temp.restore_edited_leads (id) SELECT l.id FROM receipt_rows r JOIN leads l ON l.id = " +
                             lead_of_row + " WHERE " + of_receipt + " AND " + lead_is_live("l.id") + unchanged);
  if (!eligible) return eligible.take_error();
  bind_changes(*eligible, *changes);
  if (auto status = eligible->bind(kReceipt, receipt.id).run(); !status) return status.take_error();
  const auto restored = db.changes();

  std::string assignments;
  bool status_kept = false;
  for (const auto& [column, value] : after_values(*changes, of_capture("r.row"))) {
    if (column == "status") {
      const auto& set = std::find_if(changes->columns.begin(), changes->columns.end(),
                                     [](const auto& entry) { return entry.first == "status"; })->second;
      if (set && domain::protects_person(*set)) {
        status_kept = true;  // a person marked unsubscribed or bounced stays so
        continue;
      }
    }
    assignments += column + " = " + captured_value("r.row", column) + ", ";
  }
  auto put_back = db.prepare("UPDATE leads SET " + assignments + "updated_at = " + param(kNow) + " FROM receipt_rows r WHERE " +
                             of_receipt + " AND leads.id = " + lead_of_row + " AND leads.id IN (SELECT id FROM temp.restore_edited_leads)");
  if (!put_back) return put_back.take_error();
  if (auto status = put_back->bind(kReceipt, receipt.id).bind(kNow, now).run(); !status) return status.take_error();

  if (!changes->add_tags.empty() || !changes->remove_tags.empty()) {
    json touched = changes->add_tags;
    for (const auto& tag : changes->remove_tags) touched.push_back(tag);
    auto drop = db.prepare("DELETE FROM lead_tags WHERE lead_id IN (SELECT id FROM temp.restore_edited_leads) AND tag IN "
                           "(SELECT value FROM json_each(?))");
    if (!drop) return drop.take_error();
    if (auto status = drop->bind(1, touched.dump()).run(); !status) return status.take_error();
    auto add = db.prepare("INSERT OR IGNORE INTO lead_tags (workspace_id, tag, lead_id) SELECT l.workspace_id, t.value, l.id "
                          "FROM leads l, json_each(l.tags) t WHERE l.id IN (SELECT id FROM temp.restore_edited_leads) AND "
                          "t.value IN (SELECT value FROM json_each(?))");
    if (!add) return add.take_error();
    if (auto status = add->bind(1, touched.dump()).run(); !status) return status.take_error();
  }

  // What stays as it is: leads changed since (listed, up to 100) and leads gone since (counted).
  auto left = db.prepare("SELECT " + lead_of_row + ", EXISTS (SELECT 1 FROM leads l WHERE l.id = " + lead_of_row + " AND " +
                         lead_is_live("l.id") + ") FROM receipt_rows r WHERE " + of_receipt + " AND " + lead_of_row +
                         " NOT IN (SELECT id FROM temp.restore_edited_leads) ORDER BY 1");
  if (!left) return left.take_error();
  left->bind(kReceipt, receipt.id);
  json conflicts = json::array();
  std::int64_t changed_since = 0, gone = 0;
  while (left->step()) {
    if (left->int64(1) == 0) {
      ++gone;
      continue;
    }
    if (++changed_since > 100) continue;
    const auto id = format_id(kLeadIdPrefix, left->int64(0));
    conflicts.push_back({{"leadId", id}, {"field", "lead"}, {"value", id},
                         {"message", "not restored: lead " + id + " was changed after the edit"}});
  }
  if (auto status = left->status(); !status) return status.take_error();
  json skipped = json::object();
  if (changed_since + gone > 0) skipped["leads"] = changed_since + gone;
  json report{{"restored", {{"leads", restored}}}, {"skipped", std::move(skipped)}, {"conflicts", std::move(conflicts)}};
  if (changed_since > 100) report["conflictsTruncated"] = true;
  if (status_kept) report["statusKept"] = true;
  return report;
}

}  // namespace leadline::store
