// The plain implementation the bench measures Leadline against: what a Node developer would
// write for the same workloads with better-sqlite3 — the same tables and indexes (without the
// undo, audit, idempotency and job machinery), foreign-key cascades, prepared statements, one
// transaction per workload, WAL with SQLite's default synchronous commit. In-process: no HTTP,
// no validation, no undo. Every lead and campaign the seed has, it has too.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { SEED_CAMPAIGNS, batchTag, groupTag, seedLead, DELETE_BATCH, EDIT_BATCH, SCATTERED_DELETE_GROUP } from './workloads.mjs';

const SCHEMA = `
CREATE TABLE leads (
  id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, email TEXT, first_name TEXT, last_name TEXT,
  company_name TEXT, job_title TEXT, phone_number TEXT, external_id TEXT, status TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]', country TEXT, email_verification_status TEXT NOT NULL,
  custom_fields TEXT NOT NULL DEFAULT '{}', metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
);
CREATE INDEX leads_by_workspace ON leads (workspace_id);
CREATE UNIQUE INDEX leads_by_email ON leads (workspace_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX leads_by_external_id ON leads (workspace_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX leads_by_phone ON leads (workspace_id, phone_number) WHERE phone_number IS NOT NULL;
CREATE INDEX leads_by_status ON leads (workspace_id, status);
CREATE TABLE lead_tags (
  workspace_id INTEGER NOT NULL, tag TEXT NOT NULL,
  lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  PRIMARY KEY (workspace_id, tag, lead_id)
) WITHOUT ROWID;
CREATE INDEX lead_tags_by_lead ON lead_tags (lead_id);
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
);
CREATE TABLE campaign_leads (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  status TEXT NOT NULL, added_at INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, lead_id)
) WITHOUT ROWID;
CREATE INDEX campaign_leads_by_lead ON campaign_leads (lead_id);
`;

const WORKSPACE = 1;

function open(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL'); // better-sqlite3's own advice for speed
  db.pragma('foreign_keys = ON');
  return db;
}

/** Builds the plain database `file` with the seed's leads, tags, campaigns and memberships. */
export function seedPlain(file, leadCount) {
  fs.rmSync(file, { force: true });
  const db = open(file);
  db.exec(SCHEMA);
  const insertLead = db.prepare(`INSERT INTO leads (id, workspace_id, email, first_name, last_name, company_name,
    job_title, external_id, status, tags, country, email_verification_status, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unverified', ?, ?)`);
  const insertTag = db.prepare('INSERT INTO lead_tags (workspace_id, tag, lead_id) VALUES (?, ?, ?)');
  const now = Date.now();
  for (let start = 0; start < leadCount; start += 5000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(start + 5000, leadCount); ++i) {
        const lead = seedLead(i, leadCount);
        insertLead.run(i + 1, WORKSPACE, lead.email, lead.firstName, lead.lastName, lead.companyName, lead.jobTitle,
          lead.externalId, lead.status, JSON.stringify(lead.tags), lead.country, now, now);
        for (const tag of lead.tags) insertTag.run(WORKSPACE, tag, i + 1);
      }
    })();
  }
  const campaigns = {};
  SEED_CAMPAIGNS.forEach((campaign, index) => {
    const id = index + 1;
    db.prepare('INSERT INTO campaigns VALUES (?, ?, ?, ?, ?, ?)').run(id, WORKSPACE, campaign.name, campaign.status, now, now);
    if (campaign.members !== null) {
      db.prepare(`INSERT INTO campaign_leads (campaign_id, lead_id, status, added_at)
        SELECT ?, lead_id, 'active', ? FROM lead_tags WHERE workspace_id = ? AND tag = ?`).run(id, now, WORKSPACE, campaign.members);
    }
    campaigns[campaign.key] = id;
  });
  db.close();
  return campaigns;
}

function timed(work) {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

/** The plain workloads on one open database; each returns {ms, result}. */
export function plainWorkloads(file, campaigns) {
  const db = open(file);
  const byEmail = db.prepare('SELECT id FROM leads WHERE workspace_id = ? AND email = ?');
  const insertLead = db.prepare(`INSERT INTO leads (workspace_id, email, first_name, status, email_verification_status,
    created_at, updated_at) VALUES (?, ?, ?, 'new', 'unverified', ?, ?)`);
  const join = db.prepare(`INSERT INTO campaign_leads (campaign_id, lead_id, status, added_at) VALUES (?, ?, 'active', ?)
    ON CONFLICT DO NOTHING`);
  const memberByExternalId = db.prepare(`SELECT l.id FROM leads l JOIN campaign_leads cl ON cl.lead_id = l.id
    WHERE cl.campaign_id = ? AND l.workspace_id = ? AND l.external_id = ?`);
  const leave = db.prepare('DELETE FROM campaign_leads WHERE campaign_id = ? AND lead_id = ?');
  const elsewhere = db.prepare('SELECT 1 FROM campaign_leads WHERE lead_id = ? LIMIT 1');
  const removeLead = db.prepare('DELETE FROM leads WHERE id = ?');
  const removeTagged = db.prepare(`DELETE FROM leads WHERE id IN
    (SELECT lead_id FROM lead_tags WHERE workspace_id = ? AND tag = ?)`);
  const tagTagged = db.prepare(`UPDATE leads SET tags = json_insert(tags, '$[#]', ?), updated_at = ? WHERE id IN
    (SELECT lead_id FROM lead_tags WHERE workspace_id = ? AND tag = ?)`);
  const indexTag = db.prepare(`INSERT OR IGNORE INTO lead_tags (workspace_id, tag, lead_id)
    SELECT workspace_id, ?, lead_id FROM lead_tags WHERE workspace_id = ? AND tag = ?`);
  const members = db.prepare(`SELECT l.* FROM campaign_leads cl JOIN leads l ON l.id = cl.lead_id
    WHERE cl.campaign_id = ? ORDER BY cl.lead_id`);
  const csvField = (value) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return {
    /** 5,000 new leads (explicit emails) into the add campaign: look up, insert, join. */
    addNewLeads: (side, r) => timed(() => db.transaction(() => {
      const now = Date.now();
      for (let i = 0; i < 5000; ++i) {
        const email = `new-${side}-${r}-${i}@bench.example`;
        const id = byEmail.get(WORKSPACE, email)?.id ?? insertLead.run(WORKSPACE, email, 'New', now, now).lastInsertRowid;
        join.run(campaigns.add, id, now);
      }
    })()),
    /** The same thousand externalIds as Leadline's bulk delete: leave the campaign, delete the orphans. */
    bulkDelete: (externalIds) => timed(() => db.transaction(() => {
      let deleted = 0;
      for (const externalId of externalIds) {
        for (const { id } of memberByExternalId.all(campaigns.bulk, WORKSPACE, externalId)) {
          leave.run(campaigns.bulk, id);
          if (!elsewhere.get(id)) deleted += removeLead.run(id).changes;
        }
      }
      return deleted;
    })()),
    /** Every lead with the tag, in one statement: tags and memberships go by cascade. */
    deleteTagged: (tag) => timed(() => db.transaction(() => removeTagged.run(WORKSPACE, tag).changes)()),
    /** A new tag on every lead with `tag`: the JSON column and the tag index, in one transaction. */
    tagTagged: (tag, added) => timed(() => db.transaction(() => {
      const changed = tagTagged.run(added, Date.now(), WORKSPACE, tag).changes;
      indexTag.run(added, WORKSPACE, tag);
      return changed;
    })()),
    /** The export campaign's members as CSV text. */
    exportCampaign: () => timed(() => {
      const lines = [];
      let header = null;
      for (const row of members.iterate(campaigns.export)) {
        if (!header) {
          header = Object.keys(row);
          lines.push(header.join(','));
        }
        lines.push(header.map((column) => csvField(row[column])).join(','));
      }
      return `${lines.join('\r\n')}\r\n`.length;
    }),
    close: () => db.close(),
  };
}

/** The tag the bulk edit selects. */
export const PLAIN_EDIT_TAG = batchTag(EDIT_BATCH);

/** The tags the two 100k deletes select. */
export const PLAIN_DELETE_TAGS = { deleteTagGroup: batchTag(DELETE_BATCH), deleteScatteredGroup: groupTag(SCATTERED_DELETE_GROUP) };
