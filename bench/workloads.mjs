// What `npm run bench` measures, defined once: the seed workspace and each workload as plain API
// requests ({method, path, query, headers, body}). bench/run.mjs sends the same requests to the
// native core (bench/replay.cpp) and over HTTP to the wasm server, so the two columns compare
// like with like.

export const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'CA', 'AU'];
const STATUSES = ['new', 'contacted', 'replied', 'interested', 'not_interested'];
const LEADS_PER_REQUEST = 5000;

/** Tag every tenth lead shares: `group{k}` selects exactly a tenth of the workspace. */
export const groupTag = (k) => `group${k}`;

/** The campaigns the seed creates; `members` is the tag group added to each (filter mode). */
export const SEED_CAMPAIGNS = [
  { key: 'cascade', name: 'Bench: draft holding the delete target', status: 'draft', members: 0 },
  { key: 'export', name: 'Bench: export', status: 'active', members: 1 },
  { key: 'bulk', name: 'Bench: bulk delete by externalId', status: 'active', members: 2 },
  { key: 'add', name: 'Bench: add new leads', status: 'active', members: null },
];
/** The tag group GET /leads pages through (nobody deletes it). */
export const LIST_GROUP = 3;
/** The tag group the deleteAll workload removes (its leads sit in the draft campaign). */
export const DELETE_GROUP = 0;

export const leadExternalId = (i) => `ext-${i}`;

function seedLead(i) {
  return {
    email: `lead${i}@bench.example`,
    externalId: leadExternalId(i),
    firstName: `First${i}`,
    lastName: `Last${i % 1000}`,
    companyName: `Company ${i % 5000}`,
    jobTitle: i % 2 ? 'Head of Sales' : 'Founder',
    country: COUNTRIES[i % COUNTRIES.length],
    status: STATUSES[i % STATUSES.length],
    tags: [groupTag(i % 10), `segment${i % 7}`],
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
    for (let i = start; i < Math.min(start + LEADS_PER_REQUEST, leadCount); ++i) leads.push(seedLead(i));
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
 * Seed 002: deletes 1,000 members of the bulk campaign by externalId. Each run takes its own
 * thousand (run r, side offset) out of the group, so no run finds its leads already gone.
 */
export function bulkDeleteByExternalId(key, campaignId, leadCount, slot) {
  const members = [];
  for (let i = 2 + slot * 1000 * 10; members.length < 1000 && i < leadCount; i += 10) members.push({ externalId: leadExternalId(i) });
  if (members.length < 1000) throw new Error(`the seed is too small for bulk-delete slot ${slot}`);
  return request(key, 'POST', '/leads/bulk-delete', { body: { campaignId, leads: members } });
}

/** Seed 000: deleteAll with a tag filter selecting a tenth of the workspace. */
export function deleteTagGroup(key) {
  return request(key, 'DELETE', '/leads', { body: { deleteAll: true, filters: { tags: [groupTag(DELETE_GROUP)] } } });
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

/** Targets, as the issue states them; `check(measured)` says whether a result meets one. */
export const TARGETS = {
  addNewLeads: { text: '≤ 100 ms', check: (m) => m.http.median <= 100 },
  bulkDelete: { text: '≤ 30 ms', check: (m) => m.http.median <= 30 },
  deleteTagGroup: { text: '≤ 2 s, peak RSS ≤ 300 MB', check: (m) => m.http.median <= 2000 && m.http.peakRssMb <= 300 },
  getLead: { text: '≥ 10,000 req/s, p99 ≤ 20 ms', check: (m) => m.http.requestsPerSecond >= 10000 && m.http.p99 <= 20 },
  listPages: { text: 'page 1,000 ≤ 1.5× page 1', check: (m) => m.http.page1000 <= 1.5 * m.http.page1 },
  exportCsv: { text: '≥ 100,000 rows/s, memory flat', check: (m) => m.http.rowsPerSecond >= 100000 && m.http.memoryFlat },
  ratio: { text: 'HTTP+wasm ÷ native ≤ 2.0', check: (ratio) => ratio <= 2.0 },
};
