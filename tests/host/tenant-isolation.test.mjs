// Tenant isolation (issue 5, point 7): every route the core lists × every kind of caller →
// the expected status, while another workspace's data stays byte-for-byte what it was.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer } from './helpers.mjs';

let server;
let tenantB; // the other workspace: {key, workspaceId, ids}
let keys; // callers acting on workspace A
let outsiders; // leads of workspace A outside the campaigns a restricted key is given: {ids, secrets}
let counter = 0;
const unique = (label) => `${label}${(counter += 1)}z`; // the z ends the number: obj1z is no part of obj10z

// A full set of objects in one workspace: a lead (with an externalId) in a campaign that has a
// sequence and a webhook, a second campaign, a receipt and a finished import job.
// A workspace keeps few webhook endpoints: each set of objects replaces the one made before it.
const lastEndpoint = new Map();
async function createObjects(key) {
  const call = (method, target, body) => server.request(method, target, { body, key });
  const tag = unique('obj');
  if (lastEndpoint.has(key)) await call('DELETE', `/api/v1/webhooks/${lastEndpoint.get(key)}`);
  const endpoint = (await call('POST', '/api/v1/webhooks', { url: `https://hooks.example.com/${tag}`, events: ['lead.created'] })).body.data.webhook;
  lastEndpoint.set(key, endpoint.id);
  const lead = (await call('POST', '/api/v1/leads', { email: `${tag}@example.com`, externalId: `ext-${tag}` })).body.data;
  const campaign = (await call('POST', '/api/v1/campaigns', { name: `Campaign ${tag}` })).body.data;
  const other = (await call('POST', '/api/v1/campaigns', { name: `Other ${tag}` })).body.data;
  assert.equal((await call('POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: [{ leadId: lead.id }] })).status, 200);
  const sequence = (await call('POST', `/api/v1/campaigns/${campaign.id}/sequences`, { subject: 'Hi', body: 'Hello' })).body.data;
  const webhook = (await call('POST', `/api/v1/campaigns/${campaign.id}/webhooks`, { url: 'https://example.com/h', events: ['lead.added'] }))
    .body.data;
  const twin = (await call('POST', '/api/v1/leads', { email: `twin-${tag}@example.com` })).body.data;
  const scratch = (await call('POST', '/api/v1/leads', { email: `scratch-${tag}@example.com` })).body.data;
  const receipt = (await call('DELETE', `/api/v1/leads/${scratch.id}`)).body.data.receiptId;
  const job = (await call('POST', '/api/v1/leads/import', { csv: `email\nimported-${tag}@example.com\n` })).body.data;
  assert.equal((await call('POST', '/api/v1/suppressions', { entries: [{ email: `blocked-${tag}@example.com` }] })).status, 201);
  const suppression = (await call('GET', `/api/v1/suppressions/check?email=blocked-${tag}@example.com`)).body.data.entry.id;
  const [delivery] = (await call('GET', `/api/v1/webhooks/${endpoint.id}/deliveries`)).body.data.deliveries;
  return {
    endpoint: endpoint.id, delivery: delivery.id,
    lead: lead.id, twin: twin.id, externalId: `ext-${tag}`, campaign: campaign.id, otherCampaign: other.id, sequence: sequence.id, webhook: webhook.id, receipt, job: job.id, suppression,
  };
}

// One row per route: the request it sends for a set of ids, the status when it succeeds, and
// whether it addresses stored objects (so another workspace's ids must be "not found").
const ROUTES = [
  { route: 'GET /api/v1/health', request: () => ['GET', '/api/v1/health'], ok: 200, public: true },
  { route: 'GET /api/v1/meta', request: () => ['GET', '/api/v1/meta'], ok: 200, public: true },
  { route: 'POST /api/v1/leads', request: () => ['POST', '/api/v1/leads', { email: `${unique('new')}@example.com` }], ok: 201 },
  { route: 'GET /api/v1/leads', request: () => ['GET', '/api/v1/leads'], ok: 200 },
  // Ids of another workspace are treated as ids that do not exist: listed in notFoundIds, 0 deleted.
  { route: 'DELETE /api/v1/leads', request: (ids) => ['DELETE', '/api/v1/leads', { leadIds: [ids.lead], force: true }], ok: 200, byId: 200 },
  { route: 'PATCH /api/v1/leads', request: (ids) => ['PATCH', '/api/v1/leads', { leadIds: [ids.lead], addTags: ['matrix'] }], ok: 200, byId: 200 },
  // Another workspace's ids name no lead here: 404, nothing merged.
  { route: 'POST /api/v1/leads/merge', request: (ids) => ['POST', '/api/v1/leads/merge', { primaryId: ids.lead, duplicateIds: [ids.twin] }], ok: 200, byId: 404 },
  { route: 'GET /api/v1/leads/export', request: () => ['GET', '/api/v1/leads/export?format=csv'], ok: 200 },
  { route: 'POST /api/v1/leads/import', request: () => ['POST', '/api/v1/leads/import', { csv: `email\n${unique('imp')}@example.com\n` }], ok: 202 },
  {
    route: 'POST /api/v1/leads/bulk-delete',
    request: (ids) => ['POST', '/api/v1/leads/bulk-delete', { campaignId: ids.campaign, leads: [{ externalId: ids.externalId }] }],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  {
    route: 'POST /api/v1/records/bulk-delete',
    request: (ids) => ['POST', '/api/v1/records/bulk-delete', { campaignId: ids.campaign, leads: [{ externalId: ids.externalId }] }],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  { route: 'POST /api/v1/leads/erase', request: (ids) => ['POST', '/api/v1/leads/erase', { leadIds: [ids.lead] }], ok: 200, byId: 200 },
  { route: 'POST /api/v1/leads/:id/erase', request: (ids) => ['POST', `/api/v1/leads/${ids.lead}/erase`], ok: 200, byId: 404 },
  { route: 'GET /api/v1/leads/:id', request: (ids) => ['GET', `/api/v1/leads/${ids.lead}`], ok: 200, byId: 404 },
  { route: 'DELETE /api/v1/leads/:id', request: (ids) => ['DELETE', `/api/v1/leads/${ids.lead}?force=true`], ok: 200, byId: 404 },
  { route: 'PUT /api/v1/leads/:id', request: (ids) => ['PUT', `/api/v1/leads/${ids.lead}`, { firstName: 'Changed' }], ok: 200, byId: 404 },
  { route: 'PATCH /api/v1/leads/:id', request: (ids) => ['PATCH', `/api/v1/leads/${ids.lead}`, { firstName: 'Changed' }], ok: 200, byId: 404 },
  { route: 'POST /api/v1/campaigns', request: () => ['POST', '/api/v1/campaigns', { name: unique('Campaign ') }], ok: 201 },
  { route: 'GET /api/v1/campaigns', request: () => ['GET', '/api/v1/campaigns'], ok: 200, campaign: true, listsCampaigns: true },
  { route: 'GET /api/v1/campaigns/:id', request: (ids) => ['GET', `/api/v1/campaigns/${ids.campaign}`], ok: 200, byId: 404, campaign: true },
  {
    route: 'PATCH /api/v1/campaigns/:id',
    request: (ids) => ['PATCH', `/api/v1/campaigns/${ids.campaign}`, { name: unique('Renamed ') }],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  { route: 'DELETE /api/v1/campaigns/:id', request: (ids) => ['DELETE', `/api/v1/campaigns/${ids.campaign}`], ok: 200, byId: 404, campaign: true },
  {
    route: 'PATCH /api/v1/campaigns/:id/status',
    request: (ids) => ['PATCH', `/api/v1/campaigns/${ids.campaign}/status`, { status: 'active' }],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  {
    route: 'POST /api/v1/campaigns/:id/status',
    request: (ids) => ['POST', `/api/v1/campaigns/${ids.campaign}/status`, { status: 'START' }],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  {
    route: 'POST /api/v1/campaigns/:id/leads',
    request: (ids) => ['POST', `/api/v1/campaigns/${ids.campaign}/leads`, { leads: [{ email: `${unique('added')}@example.com` }] }],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  { route: 'GET /api/v1/campaigns/:id/leads', request: (ids) => ['GET', `/api/v1/campaigns/${ids.campaign}/leads`], ok: 200, byId: 404, campaign: true },
  {
    route: 'GET /api/v1/campaigns/:id/leads-export',
    request: (ids) => ['GET', `/api/v1/campaigns/${ids.campaign}/leads-export`],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  {
    route: 'POST /api/v1/campaigns/:id/sequences',
    request: (ids) => ['POST', `/api/v1/campaigns/${ids.campaign}/sequences`, { body: 'Next step' }],
    ok: 201,
    byId: 404,
    campaign: true,
  },
  { route: 'GET /api/v1/campaigns/:id/sequences', request: (ids) => ['GET', `/api/v1/campaigns/${ids.campaign}/sequences`], ok: 200, byId: 404, campaign: true },
  {
    route: 'DELETE /api/v1/campaigns/:id/sequences/:sequenceId',
    request: (ids) => ['DELETE', `/api/v1/campaigns/${ids.campaign}/sequences/${ids.sequence}`],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  {
    route: 'POST /api/v1/campaigns/:id/webhooks',
    request: (ids) => ['POST', `/api/v1/campaigns/${ids.campaign}/webhooks`, { url: 'https://example.com/x', events: ['email.sent'] }],
    ok: 201,
    byId: 404,
    campaign: true,
  },
  { route: 'GET /api/v1/campaigns/:id/webhooks', request: (ids) => ['GET', `/api/v1/campaigns/${ids.campaign}/webhooks`], ok: 200, byId: 404, campaign: true },
  {
    route: 'DELETE /api/v1/campaigns/:id/webhooks/:webhookId',
    request: (ids) => ['DELETE', `/api/v1/campaigns/${ids.campaign}/webhooks/${ids.webhook}`],
    ok: 200,
    byId: 404,
    campaign: true,
  },
  { route: 'GET /api/v1/receipts', request: () => ['GET', '/api/v1/receipts'], ok: 200 },
  { route: 'GET /api/v1/receipts/:id', request: (ids) => ['GET', `/api/v1/receipts/${ids.receipt}`], ok: 200, byId: 404 },
  { route: 'POST /api/v1/receipts/:id/restore', request: (ids) => ['POST', `/api/v1/receipts/${ids.receipt}/restore`], ok: 200, byId: 404 },
  { route: 'POST /api/v1/suppressions', request: () => ['POST', '/api/v1/suppressions', { entries: [{ email: `${unique('sup')}@example.com` }] }], ok: 201 },
  { route: 'GET /api/v1/suppressions', request: () => ['GET', '/api/v1/suppressions'], ok: 200 },
  { route: 'GET /api/v1/suppressions/check', request: () => ['GET', '/api/v1/suppressions/check?email=someone@example.com'], ok: 200 },
  { route: 'DELETE /api/v1/suppressions/:id', request: (ids) => ['DELETE', `/api/v1/suppressions/${ids.suppression}`], ok: 200, byId: 404 },
  { route: 'POST /api/v1/webhooks', request: () => ['POST', '/api/v1/webhooks', { url: `https://hooks.example.com/${unique('new')}`, events: ['lead.deleted'] }], ok: 201 },
  { route: 'GET /api/v1/webhooks', request: () => ['GET', '/api/v1/webhooks'], ok: 200 },
  { route: 'GET /api/v1/webhooks/:id', request: (ids) => ['GET', `/api/v1/webhooks/${ids.endpoint}`], ok: 200, byId: 404 },
  { route: 'PATCH /api/v1/webhooks/:id', request: (ids) => ['PATCH', `/api/v1/webhooks/${ids.endpoint}`, { description: 'changed' }], ok: 200, byId: 404 },
  { route: 'DELETE /api/v1/webhooks/:id', request: (ids) => ['DELETE', `/api/v1/webhooks/${ids.endpoint}`], ok: 200, byId: 404 },
  { route: 'POST /api/v1/webhooks/:id/rotate-secret', request: (ids) => ['POST', `/api/v1/webhooks/${ids.endpoint}/rotate-secret`], ok: 200, byId: 404 },
  { route: 'GET /api/v1/webhooks/:id/deliveries', request: (ids) => ['GET', `/api/v1/webhooks/${ids.endpoint}/deliveries`], ok: 200, byId: 404 },
  // Deliveries stay pending in this server (it sends none): a retry of a pending one is a 409.
  {
    route: 'POST /api/v1/webhooks/:id/deliveries/:deliveryId/retry',
    request: (ids) => ['POST', `/api/v1/webhooks/${ids.endpoint}/deliveries/${ids.delivery}/retry`],
    ok: 409,
    byId: 404,
  },
  { route: 'POST /api/v1/webhooks/:id/replay', request: (ids) => ['POST', `/api/v1/webhooks/${ids.endpoint}/replay`, { since: '2026-01-01T00:00:00Z' }], ok: 202, byId: 404 },
  { route: 'POST /api/v1/webhooks/:id/test', request: (ids) => ['POST', `/api/v1/webhooks/${ids.endpoint}/test`], ok: 202, byId: 404 },
  { route: 'GET /api/v1/audit', request: () => ['GET', '/api/v1/audit'], ok: 200 },
  { route: 'GET /api/v1/jobs', request: () => ['GET', '/api/v1/jobs'], ok: 200 },
  { route: 'GET /api/v1/jobs/:id', request: (ids) => ['GET', `/api/v1/jobs/${ids.job}`], ok: 200, byId: 404 },
  // The import has usually finished by now: cancelling a finished job is a 409, not a failure.
  { route: 'POST /api/v1/jobs/:id/cancel', request: (ids) => ['POST', `/api/v1/jobs/${ids.job}/cancel`], ok: [200, 409], byId: 404 },
];

// The outsider leads as the full key sees them, and the members of the campaign one of them is in.
async function outsiderState() {
  const leads = [];
  for (const id of outsiders.ids) leads.push((await server.request('GET', `/api/v1/leads/${id}`)).text);
  const members = (await server.request('GET', `/api/v1/campaigns/${outsiders.campaign}/leads?limit=100`)).body.data.leads;
  return { leads, members };
}

// A key restricted to exactly the campaign `ids.campaign` of a fresh set of objects.
async function sameCampaignKey(ids) {
  return (await server.admin({ command: 'create-key', workspaceId: server.workspaceId, campaignIds: [ids.campaign] })).data.key;
}

// Everything workspace B can see of itself, read with its own key.
async function snapshot() {
  const read = async (target) => (await server.request('GET', target, { key: tenantB.key })).text;
  const ids = tenantB.ids;
  return {
    leads: await read('/api/v1/leads/export?format=json'),
    campaigns: await read('/api/v1/campaigns?includeArchived=true'),
    campaign: await read(`/api/v1/campaigns/${ids.campaign}`),
    members: await read(`/api/v1/campaigns/${ids.campaign}/leads`),
    sequences: await read(`/api/v1/campaigns/${ids.campaign}/sequences`),
    webhooks: await read(`/api/v1/campaigns/${ids.campaign}/webhooks`),
    receipts: await read('/api/v1/receipts'),
    receipt: await read(`/api/v1/receipts/${ids.receipt}`),
    suppressions: await read('/api/v1/suppressions?limit=100'),
    webhooks: await read('/api/v1/webhooks'),
    deliveries: await read(`/api/v1/webhooks/${ids.endpoint}/deliveries`),
    audit: await read('/api/v1/audit?limit=100'),
    jobs: await read('/api/v1/jobs'),
  };
}

before(async () => {
  server = await startTestServer({ rateLimit: null, authFailureLimit: null });
  const workspace = (await server.admin({ command: 'create-workspace', name: 'Tenant B' })).data;
  const keyB = (await server.admin({ command: 'create-key', workspaceId: workspace.id })).data.key;
  tenantB = { key: keyB, workspaceId: workspace.id };
  tenantB.ids = await createObjects(keyB);
  const shared = await createObjects(server.workspaceKey);
  const create = async (args) => (await server.admin({ command: 'create-key', workspaceId: server.workspaceId, ...args })).data;
  const revoked = await create({});
  await server.admin({ command: 'revoke-key', keyId: revoked.id });
  // In another campaign of A, and in none: a key restricted to some other campaign must never see or change them.
  const call = (method, target, body) => server.request(method, target, { body });
  const inOther = (await call('POST', '/api/v1/leads', { email: 'outsider-a@example.com', externalId: 'ext-outsider-a', tags: ['t'] })).body.data;
  const loose = (await call('POST', '/api/v1/leads', { email: 'outsider-b@example.com', externalId: 'ext-outsider-b', tags: ['t'] })).body.data;
  await call('POST', `/api/v1/campaigns/${shared.otherCampaign}/leads`, { leads: [{ leadId: inOther.id }] });
  outsiders = {
    campaign: shared.otherCampaign,
    ids: [inOther.id, loose.id],
    secrets: [inOther.id, loose.id, 'outsider-a@example.com', 'outsider-b@example.com', 'ext-outsider-a', 'ext-outsider-b'],
  };
  keys = {
    own: server.workspaceKey,
    restricted: (await create({ campaignIds: [shared.otherCampaign] })).key,
    readOnly: (await create({ scopes: ['read'] })).key,
    revoked: revoked.key,
    malformed: 'sk_this-is-not-a-key!',
  };
});
after(() => server.close());

test('the matrix covers exactly the routes the core serves', async () => {
  const listed = (await server.admin({ command: 'list-routes' })).data.routes.map((route) => `${route.method} ${route.path}`);
  assert.deepEqual([...ROUTES.map((row) => row.route)].sort(), [...listed].sort());
});

test('every route × every caller gives the expected status; the other workspace is untouched', async () => {
  const before = await snapshot();
  const secretsOfB = [tenantB.ids.lead, tenantB.ids.campaign, tenantB.ids.externalId, tenantB.ids.receipt];
  const cells = [];
  const send = async (row, caller, key, ids, headers = {}) => {
    const [method, target, body] = row.request(ids);
    const reply = await server.request(method, target, { body, key, headers });
    cells.push({ route: row.route, caller, status: reply.status });
    // Nothing of B's comes back, except what the caller itself sent (echoed as "not found").
    const sent = target + JSON.stringify(body ?? {});
    for (const secret of secretsOfB) {
      if (!sent.includes(secret)) assert.ok(!reply.text.includes(secret), `${row.route} as ${caller} showed ${secret}`);
    }
    return reply;
  };
  const expectStatus = (reply, expected, label) =>
    assert.ok([expected].flat().includes(reply.status), `${label}: expected ${expected}, got ${reply.status} ${reply.text.slice(0, 200)}`);

  const outsidersBefore = await outsiderState();
  for (const row of ROUTES) {
    const isWrite = row.request({})[0] !== 'GET';
    const fresh = async () => createObjects(keys.own); // a write may consume what it touches
    // 1. own workspace, full key.
    expectStatus(await send(row, 'own', keys.own, await fresh()), row.ok, `${row.route} own`);
    if (row.public) {
      for (const caller of ['restricted', 'readOnly', 'revoked', 'malformed']) {
        expectStatus(await send(row, caller, keys[caller], {}), row.ok, `${row.route} ${caller}`);
      }
      expectStatus(await send(row, 'none', null, {}), row.ok, `${row.route} none`);
      continue;
    }
    // 2. another workspace's objects with our key: not found, never "forbidden" (that would confirm they exist).
    if (row.byId) {
      const reply = await send(row, 'other-ids', keys.own, tenantB.ids);
      expectStatus(reply, row.byId, `${row.route} other-ids`);
      if (reply.status === 200) assert.equal(reply.body.data.deletedCount ?? reply.body.data.erasedLeads ?? reply.body.data.matchedCount, 0);
    }
    // 3. naming the other workspace with our key.
    expectStatus(
      await send(row, 'other-workspace', keys.own, tenantB.ids, { 'x-workspace-id': tenantB.workspaceId }),
      403,
      `${row.route} other-workspace`,
    );
    // 4. a key restricted to other campaigns: campaign lists are filtered, everything else refused.
    const restricted = await send(row, 'restricted', keys.restricted, await fresh());
    expectStatus(restricted, row.listsCampaigns ? 200 : 403, `${row.route} restricted`);
    // 4b. a key restricted to the very campaign the request names: campaign routes work,
    // workspace routes are refused, and no reply shows a lead outside the key's campaign.
    {
      const ids = await fresh();
      const reply = await send(row, 'same-campaign', await sameCampaignKey(ids), ids);
      expectStatus(reply, row.campaign ? row.ok : 403, `${row.route} same-campaign`);
      for (const secret of outsiders.secrets) assert.ok(!reply.text.includes(secret), `${row.route} as same-campaign showed ${secret}`);
    }
    // 5. read-only key: reads work, writes are refused.
    expectStatus(await send(row, 'read-only', keys.readOnly, await fresh()), isWrite ? 403 : row.ok, `${row.route} read-only`);
    // 6–8. revoked, malformed, missing key.
    for (const caller of ['revoked', 'malformed']) {
      const reply = await send(row, caller, keys[caller], await fresh());
      expectStatus(reply, 401, `${row.route} ${caller}`);
      assert.equal(reply.body.error.message, 'Invalid or inactive API key');
    }
    expectStatus(await send(row, 'none', null, await fresh()), 401, `${row.route} none`);
  }
  assert.deepEqual(await snapshot(), before, 'workspace B changed');
  assert.deepEqual(await outsiderState(), outsidersBefore, 'a lead outside the restricted keys\' campaigns changed');
  console.log(`tenant isolation: ${cells.length} cells over ${ROUTES.length} routes`);
});

// Every add mode and every filter with a key restricted to one campaign (its own members are
// the only leads it may reach): the preview, the add, the members list and the bulk delete that
// follows never show or change a lead outside it.
test('a campaign-restricted key: every add mode and filter reaches only leads already in its campaigns', async () => {
  const outsidersBefore = await outsiderState();
  const filters = [
    { tags: ['t'] },
    { search: 'outsider' },
    { status: ['new'] },
    { emailVerificationStatus: ['unverified'] },
    { leadIds: outsiders.ids },
    { createdAfter: '2000-01-01T00:00:00Z' },
    { createdBefore: '2999-01-01T00:00:00Z' },
  ];
  const modes = [
    { selectAll: true },
    { selectAll: true, excludeIds: [outsiders.ids[0]] },
    ...filters.map((filter) => ({ filters: filter })),
    { leads: outsiders.ids.map((leadId) => ({ leadId })) },
    { leads: [{ email: 'outsider-a@example.com' }, { email: 'outsider-b@example.com' }, { email: 'brand-new@example.com' }] },
  ];
  for (const mode of modes) {
    const label = JSON.stringify(mode);
    const ids = await createObjects(keys.own);
    const home = await server.request('POST', '/api/v1/campaigns', { body: { name: unique('Home ') } });
    const key = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId, campaignIds: [ids.campaign, home.body.data.id] }))
      .data.key;
    const add = `/api/v1/campaigns/${home.body.data.id}/leads`;
    const sent = JSON.stringify(mode);
    const unsent = outsiders.secrets.filter((secret) => !sent.includes(secret));
    const preview = await server.request('POST', add, { key, body: { ...mode, dryRun: true } });
    assert.equal(preview.status, 200, `${label}: ${preview.text}`);
    for (const secret of unsent) assert.ok(!preview.text.includes(secret), `${label}: the preview showed ${secret}`);
    const added = await server.request('POST', add, { key, body: mode });
    assert.equal(added.status, 200, `${label}: ${added.text}`);
    assert.equal(added.body.data.created ?? 0, 0, `${label}: a restricted key created a lead`);
    const members = await server.request('GET', `${add}?limit=100`, { key });
    for (const secret of outsiders.secrets) assert.ok(!members.text.includes(secret), `${label}: members show ${secret}`);
    for (const member of members.body.data.leads) assert.ok(member.leadId === ids.lead, `${label}: ${member.leadId} was added`);
    const identifiers = ['ext-outsider-a', 'ext-outsider-b', ids.externalId].map((externalId) => ({ externalId }));
    const bulk = await server.request('POST', '/api/v1/leads/bulk-delete', { key, body: { campaignId: home.body.data.id, leads: identifiers } });
    assert.equal(bulk.status, 200, bulk.text);
    for (const outside of ['ext-outsider-a', 'ext-outsider-b']) assert.ok(bulk.body.data.notFoundIdentifiers.includes(outside), bulk.text);
  }
  assert.equal((await server.request('GET', '/api/v1/leads?search=brand-new')).body.data.leads.length, 0);
  assert.deepEqual(await outsiderState(), outsidersBefore, 'a lead outside the restricted key\'s campaigns changed');
});
