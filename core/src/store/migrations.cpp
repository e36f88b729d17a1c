#include "store/migrations.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::store {
namespace {

// Append only: a released migration is never edited, a change is a new entry.
// The size follows from the list: adding a migration is adding an entry.
// The schema is written in pieces so the three kinds of database share one text for each table.
// The workspaces: every row a workspace owns names one.
constexpr std::string_view kWorkspacesTable = R"sql(
CREATE TABLE workspaces (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
)sql";
// Users (owners of platform keys), their workspaces, and the API keys.
constexpr std::string_view kPeopleAndKeys = R"sql(CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE user_workspaces (
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, workspace_id)
) WITHOUT ROWID;
CREATE TABLE api_keys (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('workspace', 'platform')),
  workspace_id  INTEGER REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id       INTEGER REFERENCES users(id) ON DELETE CASCADE,
  key_hash      BLOB NOT NULL UNIQUE,
  display       TEXT NOT NULL,
  scopes        TEXT NOT NULL,
  campaign_ids  TEXT,
  label         TEXT,
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  CHECK ((kind = 'workspace') = (workspace_id IS NOT NULL)),
  CHECK ((kind = 'platform') = (user_id IS NOT NULL))
);
)sql";
// Leads, their tags, campaigns and membership (which the lead filters read).
constexpr std::string_view kLeadsAndMemberships = R"sql(CREATE TABLE leads (
  id                         INTEGER PRIMARY KEY,
  workspace_id               INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  email                      TEXT,
  first_name                 TEXT,
  last_name                  TEXT,
  company_name               TEXT,
  job_title                  TEXT,
  phone_number               TEXT,
  external_id                TEXT,
  status                     TEXT NOT NULL,
  tags                       TEXT NOT NULL DEFAULT '[]',
  country                    TEXT,
  email_verification_status  TEXT NOT NULL,
  custom_fields              TEXT NOT NULL DEFAULT '{}',
  metadata                   TEXT NOT NULL DEFAULT '{}',
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL
);
-- (workspace_id, rowid) order serves newest-first cursor pages of a workspace.
CREATE INDEX leads_by_workspace ON leads (workspace_id);
CREATE UNIQUE INDEX leads_by_email ON leads (workspace_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX leads_by_external_id ON leads (workspace_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX leads_by_phone ON leads (workspace_id, phone_number) WHERE phone_number IS NOT NULL;
CREATE INDEX leads_by_status ON leads (workspace_id, status);
-- Tags are also kept one row per tag so "any of these tags" is an index lookup.
CREATE TABLE lead_tags (
  workspace_id  INTEGER NOT NULL,
  tag           TEXT NOT NULL,
  lead_id       INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  PRIMARY KEY (workspace_id, tag, lead_id)
) WITHOUT ROWID;
CREATE INDEX lead_tags_by_lead ON lead_tags (lead_id);
CREATE TABLE campaigns (
  id            INTEGER PRIMARY KEY,
  workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  status        TEXT NOT NULL,
  status_before_archive TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX campaigns_by_workspace ON campaigns (workspace_id);
-- No foreign key to leads: a force-deleted lead's membership in an active campaign stays as a
-- 'removed' row so the campaign's statistics keep their history (SendKit's soft removal).
CREATE TABLE campaign_leads (
  campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  lead_id      INTEGER NOT NULL,
  status       TEXT NOT NULL,
  added_at     INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, lead_id)
) WITHOUT ROWID;
CREATE INDEX campaign_leads_by_lead ON campaign_leads (lead_id);
)sql";
// What a campaign owns besides its memberships; all of it goes when the campaign goes.
constexpr std::string_view kCampaignOwned = R"sql(
CREATE TABLE campaign_sequences (
  id           INTEGER PRIMARY KEY,
  campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  step_number  INTEGER NOT NULL,
  subject      TEXT,
  body         TEXT NOT NULL,
  delay_days   INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  UNIQUE (campaign_id, step_number)
);
CREATE TABLE campaign_webhooks (
  id           INTEGER PRIMARY KEY,
  campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  name         TEXT,
  url          TEXT NOT NULL,
  events       TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX campaign_webhooks_by_campaign ON campaign_webhooks (campaign_id);
-- Lead ids below carry no foreign key, like campaign_leads: history outlives a deleted lead.
CREATE TABLE scheduled_emails (
  id            INTEGER PRIMARY KEY,
  campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  lead_id       INTEGER NOT NULL,
  sequence_id   INTEGER,
  scheduled_at  INTEGER NOT NULL,
  status        TEXT NOT NULL
);
CREATE INDEX scheduled_emails_by_campaign ON scheduled_emails (campaign_id);
CREATE TABLE email_statistics (
  id           INTEGER PRIMARY KEY,
  campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  lead_id      INTEGER NOT NULL,
  step_number  INTEGER,
  event        TEXT NOT NULL,
  occurred_at  INTEGER NOT NULL
);
CREATE INDEX email_statistics_by_campaign ON email_statistics (campaign_id);
CREATE TABLE conversation_messages (
  id           INTEGER PRIMARY KEY,
  campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  lead_id      INTEGER NOT NULL,
  direction    TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  subject      TEXT,
  body         TEXT NOT NULL,
  sent_at      INTEGER NOT NULL
);
CREATE INDEX conversation_messages_by_campaign ON conversation_messages (campaign_id);
)sql";
// Safety nets: undo receipts…
constexpr std::string_view kReceipts = R"sql(
-- A receipt holds, as JSON rows, everything one delete removed or changed, until it expires.
-- A purge (erasure) receipt keeps only counts: restorable = 0 and no rows.
CREATE TABLE receipts (
  id            INTEGER PRIMARY KEY,
  workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL,
  endpoint      TEXT NOT NULL,
  summary       TEXT NOT NULL,
  restorable    INTEGER NOT NULL,
  key_prefix    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  restored_at   INTEGER,
  restore_report TEXT
);
CREATE INDEX receipts_by_workspace ON receipts (workspace_id, id);
CREATE INDEX receipts_by_expiry ON receipts (expires_at);
)sql";
// …their rows as the single-file layout kept them: no primary key, so a changeset (which
// identifies rows by primary key) would silently leave them out…
constexpr std::string_view kReceiptRowsWithoutKey = R"sql(CREATE TABLE receipt_rows (
  receipt_id  INTEGER NOT NULL REFERENCES receipts(id) ON DELETE CASCADE,
  table_name  TEXT NOT NULL,
  row         TEXT NOT NULL
);
CREATE INDEX receipt_rows_by_receipt ON receipt_rows (receipt_id, table_name);
)sql";
// …and with one, as every workspace database keeps them.
constexpr std::string_view kReceiptRows = R"sql(CREATE TABLE receipt_rows (
  id          INTEGER PRIMARY KEY,
  receipt_id  INTEGER NOT NULL REFERENCES receipts(id) ON DELETE CASCADE,
  table_name  TEXT NOT NULL,
  row         TEXT NOT NULL
);
CREATE INDEX receipt_rows_by_receipt ON receipt_rows (receipt_id, table_name);
)sql";
// The audit trail and idempotent retries.
constexpr std::string_view kAuditAndIdempotency = R"sql(-- Append-only: no foreign keys (an audit row outlives what it mentions) and triggers that
-- refuse any change to a written row.
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  workspace_id  INTEGER NOT NULL,
  at            INTEGER NOT NULL,
  key_prefix    TEXT NOT NULL,
  method        TEXT NOT NULL,
  path          TEXT NOT NULL,
  route         TEXT NOT NULL,
  request       TEXT NOT NULL,
  status        INTEGER NOT NULL,
  counts        TEXT NOT NULL,
  receipt_id    INTEGER
);
CREATE INDEX audit_by_workspace ON audit_log (workspace_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- The first reply to a request carrying an Idempotency-Key, written in the same transaction
-- as the request's effect, so a retry after a lost reply replays instead of re-applying.
CREATE TABLE idempotency_keys (
  workspace_id     INTEGER NOT NULL,
  key_id           INTEGER NOT NULL,
  idempotency_key  TEXT NOT NULL,
  fingerprint      TEXT NOT NULL,
  status           INTEGER NOT NULL,
  headers          TEXT NOT NULL,
  body             TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, key_id, idempotency_key)
) WITHOUT ROWID;
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
)sql";
// Background jobs (CSV import, large deletes), worked a slice at a time between requests.
constexpr std::string_view kJobs = R"sql(
CREATE TABLE jobs (
  id            INTEGER PRIMARY KEY,
  workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  key_prefix    TEXT NOT NULL,
  plan          TEXT NOT NULL,
  payload       TEXT,
  cursor        INTEGER NOT NULL,
  total         INTEGER NOT NULL,
  processed     INTEGER NOT NULL DEFAULT 0,
  result        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  finished_at   INTEGER
);
CREATE INDEX jobs_by_workspace ON jobs (workspace_id, id);
CREATE INDEX jobs_unfinished ON jobs (id) WHERE status IN ('queued', 'running');
)sql";
// A job's input apart from its progress. In the jobs row, every slice's progress update
// rewrote the whole payload (2 MB of ids for a 100k-lead delete: ~500 pages per slice into the
// WAL and again at checkpoint).
constexpr std::string_view kJobPayloads = R"sql(
CREATE TABLE job_payloads (
  job_id   INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  payload  TEXT NOT NULL
);
INSERT INTO job_payloads (job_id, payload) SELECT id, payload FROM jobs WHERE payload IS NOT NULL;
ALTER TABLE jobs DROP COLUMN payload;
)sql";

// Deletes that mark: a deleted lead's row (and its tags) stays where it is until its receipt
// expires, and its id in `deleted_leads` hides it from every read; a restore takes the mark off,
// the background purge removes the row and the mark together. Deleting 100,000 leads so writes
// 100,000 small rows instead of copying them and unlinking them from every index.
// Email and externalId stay unique among the leads that are not marked, so a deleted lead's
// address is free at once: the indexes that held uniqueness keep marked rows too (a mark never
// rewrites them). A trigger refuses an update that would make a second unmarked holder. New leads
// are checked by the callers of LeadStore::insert, which look each address up before inserting
// (they must, to choose between creating and reusing a lead): an insert trigger would make SQLite
// journal every insert's pages for a possible statement rollback (+25% on adding 5,000 leads).
// check-integrity reports any duplicate that got past.
constexpr std::string_view kDeletionMarks = R"sql(
CREATE TABLE deleted_leads (
  lead_id     INTEGER PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
  receipt_id  INTEGER NOT NULL REFERENCES receipts(id)
);
CREATE INDEX deleted_leads_by_receipt ON deleted_leads (receipt_id);
DROP INDEX leads_by_email;
CREATE INDEX leads_by_email ON leads (workspace_id, email) WHERE email IS NOT NULL;
DROP INDEX leads_by_external_id;
CREATE INDEX leads_by_external_id ON leads (workspace_id, external_id) WHERE external_id IS NOT NULL;
CREATE TRIGGER leads_unique_update BEFORE UPDATE OF email, external_id ON leads
WHEN NEW.email IS NOT OLD.email OR NEW.external_id IS NOT OLD.external_id
BEGIN
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: leads.workspace_id, leads.email')
    WHERE NEW.email IS NOT NULL AND NEW.email IS NOT OLD.email
    AND EXISTS (SELECT 1 FROM leads o LEFT JOIN deleted_leads m ON m.lead_id = o.id
                WHERE o.workspace_id = NEW.workspace_id AND o.email = NEW.email AND o.id <> NEW.id AND m.lead_id IS NULL);
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: leads.workspace_id, leads.external_id')
    WHERE NEW.external_id IS NOT NULL AND NEW.external_id IS NOT OLD.external_id
    AND EXISTS (SELECT 1 FROM leads o LEFT JOIN deleted_leads m ON m.lead_id = o.id
                WHERE o.workspace_id = NEW.workspace_id AND o.external_id = NEW.external_id AND o.id <> NEW.id
                AND m.lead_id IS NULL);
END;
)sql";

// Which entry of a cluster's change log this copy of the database reflects (store/replication.hpp):
// written in the same transaction as the entry's changes, so after a crash the copy knows exactly
// where to resume. `sequence` 0: no entry yet (and always, on a single node). Change capture
// leaves the table out: each copy records its own position.
constexpr std::string_view kReplicationPosition = R"sql(
CREATE TABLE replication_position (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  sequence   INTEGER NOT NULL,
  epoch      INTEGER NOT NULL
);
INSERT INTO replication_position (singleton, sequence, epoch) VALUES (1, 0, 0);
)sql";

// The workspace's do-not-contact list. `value` is the entry's normal form (an email, a domain, an
// E.164 number); an entry that outlives an erasure keeps only `value_hash`, a keyed hash of it
// (the key in `suppression_secret`, made in the transaction of the first erasure so a cluster's
// copies replicate the same key), so the person is refused again without being stored.
// An erasure also redacts the request bodies in the audit trail that mention the person: the
// trail's update trigger lets that one change through and refuses every other.
// `lead_id` is the lead whose status made the entry (lifecycle entries), for the record only.
constexpr std::string_view kSuppressions = R"sql(
CREATE TABLE suppressions (
  id            INTEGER PRIMARY KEY,
  workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('email', 'domain', 'phoneNumber')),
  value         TEXT,
  value_hash    BLOB,
  source        TEXT NOT NULL CHECK (source IN ('api', 'unsubscribed', 'bounced', 'complaint', 'erased')),
  reason        TEXT,
  lead_id       INTEGER,
  created_at    INTEGER NOT NULL,
  CHECK ((value IS NULL) <> (value_hash IS NULL))
);
CREATE UNIQUE INDEX suppressions_by_value ON suppressions (workspace_id, kind, value) WHERE value IS NOT NULL;
CREATE UNIQUE INDEX suppressions_by_hash ON suppressions (workspace_id, kind, value_hash) WHERE value_hash IS NOT NULL;
CREATE TABLE suppression_secret (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  secret     BLOB NOT NULL
);
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.request = '{"redacted":true}' AND NEW.id = OLD.id AND NEW.workspace_id = OLD.workspace_id
          AND NEW.at = OLD.at AND NEW.key_prefix = OLD.key_prefix AND NEW.method = OLD.method AND NEW.path = OLD.path
          AND NEW.route = OLD.route AND NEW.status = OLD.status AND NEW.counts = OLD.counts
          AND NEW.receipt_id IS OLD.receipt_id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (an erasure may only redact a request)'); END;
)sql";

// Webhooks. `webhook_endpoints` are the workspace's receivers (their signing secret, and the one
// being rotated out until `previous_secret_until`); campaign webhooks (campaign_webhooks) are
// receivers too, for their campaign's events, and gain a secret of their own. An event is written
// in the transaction of the change it reports (the outbox), with one delivery per receiver it
// goes to; each attempt at a delivery is kept for the delivery log. A delivery names exactly one
// receiver. A secret is "whsec_" + base64 of its key: hex digits are base64 digits, so the
// secrets made here decode to a 36-byte key.
constexpr std::string_view kWebhooks = R"sql(
CREATE TABLE webhook_endpoints (
  id                     INTEGER PRIMARY KEY,
  workspace_id           INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  url                    TEXT NOT NULL,
  description            TEXT,
  events                 TEXT NOT NULL,
  enabled                INTEGER NOT NULL,
  disabled_reason        TEXT,
  secret                 TEXT NOT NULL,
  previous_secret        TEXT,
  previous_secret_until  INTEGER,
  last_success_at        INTEGER,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL
);
ALTER TABLE campaign_webhooks ADD COLUMN secret TEXT;
UPDATE campaign_webhooks SET secret = 'whsec_' || hex(randomblob(24));
CREATE TABLE webhook_events (
  id            INTEGER PRIMARY KEY,
  workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  type          TEXT NOT NULL,
  campaign_id   INTEGER,
  body          TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX webhook_events_by_time ON webhook_events (created_at);
CREATE TABLE webhook_deliveries (
  id                   INTEGER PRIMARY KEY,
  event_id             INTEGER NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
  endpoint_id          INTEGER REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  campaign_webhook_id  INTEGER REFERENCES campaign_webhooks(id) ON DELETE CASCADE,
  state                TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts             INTEGER NOT NULL,
  next_attempt_at      INTEGER,
  created_at           INTEGER NOT NULL,
  CHECK ((endpoint_id IS NULL) <> (campaign_webhook_id IS NULL)),
  CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE UNIQUE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, event_id) WHERE endpoint_id IS NOT NULL;
CREATE UNIQUE INDEX webhook_deliveries_by_campaign_webhook ON webhook_deliveries (campaign_webhook_id, event_id) WHERE campaign_webhook_id IS NOT NULL;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);
CREATE TABLE webhook_attempts (
  id                INTEGER PRIMARY KEY,
  delivery_id       INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempted_at      INTEGER NOT NULL,
  status_code       INTEGER,
  duration_ms       INTEGER NOT NULL,
  error             TEXT,
  response_excerpt  TEXT
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id);
)sql";

template <std::size_t N>
using Migrations = std::array<std::string, N>;

std::string join(std::initializer_list<std::string_view> pieces) {
  std::string sql;
  for (auto piece : pieces) sql += piece;
  return sql;
}

// Append only: a released migration is never edited, a change is a new entry.
//
// The single-file layout (before workspace databases): read only to convert it.
const Migrations<5>& single_file_migrations() {
  static const Migrations<5> list{
      join({kWorkspacesTable, kPeopleAndKeys, kLeadsAndMemberships}),
      join({kCampaignOwned}),
      join({kReceipts, kReceiptRowsWithoutKey, kAuditAndIdempotency}),
      join({kJobs}),
      join({kJobPayloads}),
  };
  return list;
}

// The catalog: what authentication needs.
const Migrations<2>& catalog_migrations() {
  static const Migrations<2> list{join({kWorkspacesTable, kPeopleAndKeys}), join({kReplicationPosition})};
  return list;
}

// A workspace's database: its own row in `workspaces` and everything it owns.
const Migrations<5>& workspace_migrations() {
  static const Migrations<5> list{
      join({kWorkspacesTable, kLeadsAndMemberships, kCampaignOwned, kReceipts, kReceiptRows, kAuditAndIdempotency,
            kJobs, kJobPayloads}),
      join({kDeletionMarks}),
      join({kReplicationPosition}),
      join({kSuppressions}),
      join({kWebhooks}),
  };
  return list;
}

template <std::size_t N>
std::vector<std::string_view> view(const Migrations<N>& list) {
  return {list.begin(), list.end()};
}

std::vector<std::string_view> migrations_of(Schema schema) {
  switch (schema) {
    case Schema::SingleFile: return view(single_file_migrations());
    case Schema::Catalog: return view(catalog_migrations());
    case Schema::Workspace: return view(workspace_migrations());
  }
  return {};
}

// PRAGMA application_id marks what a file is, so a catalog is never opened as a workspace (or
// the other way round). The single-file layout predates it: 0.
std::int32_t application_id_of(Schema schema) {
  switch (schema) {
    case Schema::SingleFile: return 0;
    case Schema::Catalog: return 0x4C4C4341;    // "LLCA"
    case Schema::Workspace: return 0x4C4C5753;  // "LLWS"
  }
  return 0;
}

const char* name_of(Schema schema) {
  switch (schema) {
    case Schema::SingleFile: return "single-file Leadline database";
    case Schema::Catalog: return "Leadline catalog";
    case Schema::Workspace: return "Leadline workspace database";
  }
  return "";
}

Result<std::int64_t> read_pragma(Database& db, const char* pragma) {
  auto stmt = db.prepare(std::string("PRAGMA ") + pragma);
  if (!stmt) return stmt.take_error();
  if (!stmt->step()) return db.error(pragma);
  return stmt->int64(0);
}

}  // namespace

int latest_schema_version(Schema schema) { return static_cast<int>(migrations_of(schema).size()); }

Status migrate(Database& db, Schema schema) {
  auto version = read_pragma(db, "user_version");
  if (!version) return version.take_error();
  auto application = read_pragma(db, "application_id");
  if (!application) return application.take_error();
  const auto expected = application_id_of(schema);
  if ((*version > 0 || *application != 0) && *application != expected) {
    return Error{ErrorCode::Internal, std::string("this file is not a ") + name_of(schema)};
  }
  const auto list = migrations_of(schema);
  if (*version > static_cast<std::int64_t>(list.size())) {
    return Error{ErrorCode::Internal, std::string(name_of(schema)) + " schema version " + std::to_string(*version) +
                                          " is newer than this build supports (" + std::to_string(list.size()) + ")"};
  }
  for (auto next = static_cast<std::size_t>(*version) + 1; next <= list.size(); ++next) {
    auto txn = Transaction::begin(db);
    if (!txn) return txn.take_error();
    if (auto status = db.exec(std::string(list[next - 1])); !status) return status;
    if (auto status = db.exec("PRAGMA user_version = " + std::to_string(next)); !status) return status;
    if (next == 1 && expected != 0) {
      if (auto status = db.exec("PRAGMA application_id = " + std::to_string(expected)); !status) return status;
    }
    if (auto status = txn->commit(); !status) return status;
  }
  return Ok{};
}

Result<int> schema_version(Database& db) {
  auto version = read_pragma(db, "user_version");
  if (!version) return version.take_error();
  return static_cast<int>(*version);
}

}  // namespace leadline::store
