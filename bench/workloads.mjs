// What `npm run bench` measures, defined once: the seed workspace and each workload as plain API
// requests ({method, path, query, headers, body}). bench/run.mjs sends the same requests to the
// native core (bench/replay.cpp) and over HTTP to the wasm server, so the two columns compare
// like with like.

export const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'CA', 'AU'];
const STATUSES = ['new', 'contacted', 'replied', 'interested', 'not_interested'];
const LEADS_PER_REQUEST = 5000;

/** Tag every tenth lead shares: `group{k}` selects a tenth of the workspace, spread through it. */
export const groupTag = (k) => `group${k}`;
/**
 * Tag a tenth of the workspace shares as one contiguous import: `batch{k}` is leads
 * [k·N/10, (k+1)·N/10), the shape of "delete what that import brought in".
 */
export const batchTag = (k) => `batch${k}`;

/** The tag group GET /leads pages through (nobody deletes it). */
export const LIST_GROUP = 3;
/** The import batch the deleteAll workload removes (its leads sit in the draft campaign). */
export const DELETE_BATCH = 0;
/** The import batch the export campaign holds (a campaign made from one import). */
export const EXPORT_BATCH = 1;
/** The import batch the bulk edit retags (PATCH /leads; nobody deletes it). */
export const EDIT_BATCH = 4;
/** The spread-out group the second deleteAll workload removes. */
export const SCATTERED_DELETE_GROUP = 0;

/** The campaigns the seed creates; `members` is the tag whose leads are added (filter mode). */
export const SEED_CAMPAIGNS = [
  { key: 'cascade', name: 'Bench: draft holding the delete target', status: 'draft', members: batchTag(DELETE_BATCH) },
  { key: 'export', name: 'Bench: export', status: 'active', members: batchTag(EXPORT_BATCH) },
  { key: 'bulk', name: 'Bench: bulk delete by externalId', status: 'active', members: groupTag(2) },
  { key: 'add', name: 'Bench: add new leads', status: 'active', members: null },
];

export const leadExternalId = (i) => `ext-${i}`;

/** The seed's lead number `i` of `leadCount` (tags name its group, import batch and segment). */
export function seedLead(i, leadCount) {
  return {
    email: `lead${i}@bench.example`,
    externalId: leadExternalId(i),
    firstName: `First${i}`,
    lastName: `Last${i % 1000}`,
    companyName: `Company ${i % 5000}`,
    jobTitle: i % 2 ? 'Head of Sales' : 'Founder',
    country: COUNTRIES[i % COUNTRIES.length],
    status: STATUSES[i % STATUSES.length],
    tags: [groupTag(i % 10), batchTag(Math.floor((i * 10) / leadCount)), `segment${i % 7}`],
  };
}

export const api = (path) => `/api/v1${path}`;

/** A request spec with the workspace key and a JSON body. */
export function request(key, method, path, { query = '', body } = {}) {
  const headers = { 'x-api-key': key };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { method, path: api(path), query, headers, body: body === undefined ? '' : JSON.stringify(body) };
}

/** The seed leads, `LEADS_PER_REQUEST` per POST /leads. */
export function* seedLeadRequests(key, leadCount) {
  for (let start = 0; start < leadCount; start += LEADS_PER_REQUEST) {
    const leads = [];
    for (let i = start; i < Math.min(start + LEADS_PER_REQUEST, leadCount); ++i) leads.push(seedLead(i, leadCount));
    yield request(key, 'POST', '/leads', { body: { leads } });
  }
}

// ---- the workloads (run index r makes each run's data its own) -----------------------------------

/** Adds 5,000 leads nobody has seen (explicit emails) to the empty active campaign. */
export function addNewLeads(key, campaignId, side, r) {
  const leads = [];
  for (let i = 0; i < 5000; ++i) leads.push({ email: `new-${side}-${r}-${i}@bench.example`, firstName: 'New' });
  return request(key, 'POST', `/campaigns/${campaignId}/leads`, { body: { leads } });
}

/**
 * Lupitor's bulk delete: deletes 1,000 members of the bulk campaign by externalId. Each run takes its own
 * thousand out of the group, so no run finds its leads already gone. Slots start past the
 * first two import batches: those leads are also in another campaign, so the bulk delete would only
 * take them out of this one and keep them; these are in no other campaign and are deleted.
 */
export function bulkDeleteByExternalId(key, campaignId, leadCount, slot) {
  const members = [];
  const first = 2 + Math.ceil((2 * leadCount) / 10 / 10000) * 10000 + slot * 1000 * 10;
  for (let i = first; members.length < 1000 && i < leadCount; i += 10) members.push({ externalId: leadExternalId(i) });
  if (members.length < 1000) throw new Error(`the seed is too small for bulk-delete slot ${slot}`);
  return request(key, 'POST', '/leads/bulk-delete', { body: { campaignId, leads: members } });
}

/**
 * SendKit's DELETE /v1/leads: deleteAll with a tag filter selecting one import batch, a tenth of the workspace.
 * A fifth of those leads are in the two active campaigns, so `force` is passed: their
 * memberships stay as `removed` rows (SendKit's soft removal), the rest cascade.
 */
export function deleteTagGroup(key) {
  return request(key, 'DELETE', '/leads', { body: { deleteAll: true, force: true, filters: { tags: [batchTag(DELETE_BATCH)] } } });
}

/** The same with a tenth spread evenly through the workspace (force too: some are in the export campaign). */
export function deleteScatteredGroup(key) {
  return request(key, 'DELETE', '/leads', { body: { deleteAll: true, force: true, filters: { tags: [groupTag(SCATTERED_DELETE_GROUP)] } } });
}

/**
 * PATCH /leads adding a tag to one import batch, a tenth of the workspace: more than 10,000
 * leads, so it runs as a job, timed to its completion. Each run adds a tag of its own, so every
 * run changes all 100,000 leads.
 */
export function editTagGroup(key, side, r) {
  return request(key, 'PATCH', '/leads', { body: { filters: { tags: [batchTag(EDIT_BATCH)] }, addTags: [`edited-${side}-${r}`] } });
}

/** One page of GET /leads filtered to the list group; `cursor` from the previous page. */
export function listPage(key, cursor) {
  const query = `tags=${groupTag(LIST_GROUP)}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  return request(key, 'GET', '/leads', { query });
}

/** The export campaign's members as CSV (a tenth of the workspace). */
export function exportCampaign(key, campaignId) {
  return request(key, 'GET', `/campaigns/${campaignId}/leads-export`);
}

/** Every lead of the workspace as CSV (GET /leads/export): ten times the campaign export. */
export function exportWorkspace(key) {
  return request(key, 'GET', '/leads/export', { query: 'format=csv' });
}

/** Targets; `check(measured)` says whether a result meets one. */
export const TARGETS = {
  addNewLeads: { text: '≤ 100 ms', check: (m) => m.http.median <= 100 },
  bulkDelete: { text: '≤ 30 ms', check: (m) => m.http.median <= 30 },
  deleteTagGroup: { text: '≤ 1.5 s, peak RSS ≤ 300 MB', check: (m) => m.http.median <= 1500 && m.http.peakRssMb <= 300 },
  deleteScatteredGroup: { text: '≤ 2.5 s', check: (m) => m.http.median <= 2500 },
  editTagGroup: { text: '≤ 2 s', check: (m) => m.http.median <= 2000 },
  getLead: { text: '≥ 10,000 req/s, p99 ≤ 20 ms', check: (m) => m.http.requestsPerSecond >= 10000 && m.http.p99 <= 20 },
  listPages: { text: 'page 1,000 ≤ 1.5× page 1', check: (m) => m.http.page1000 <= 1.5 * m.http.page1 },
  exportCsv: { text: '≥ 100,000 rows/s, memory flat', check: (m) => m.http.rowsPerSecond >= 100000 && m.http.memoryFlat },
  ratio: { text: 'HTTP+wasm ÷ native ≤ 2.0', check: (ratio) => ratio <= 2.0 },
  purge: { text: 'GET p99 during the purge ≤ 2× idle', check: (purge) => purge.p99Ratio <= 2.0 },
  webhooks: { text: 'every event arrives; GET p99 during ≤ 1.5× idle', check: (hooks) => hooks.arrived === hooks.events && hooks.p99Ratio <= 1.5 },
};

/**
 * How far ahead of the plain better-sqlite3 implementation (bench/plain.mjs) Leadline should be:
 * plain milliseconds ÷ Leadline's over HTTP. Goals, printed beside the measured ratio.
 */
export const PLAIN_GOALS = { bulkDelete: 8, deleteTagGroup: 5, addNewLeads: 5 };
// The bulk edit has no goal: the plain UPDATE keeps no undo, so the ratio says what the receipt costs.
