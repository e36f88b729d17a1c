// Previews, count guards, undo, the audit trail and idempotent retries, over real HTTP.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readFixture, spawnServer, startTestServer, tempDir } from './helpers.mjs';

let server;
before(async () => {
  server = await startTestServer({ engineOptions: { receiptRetentionMs: 2 * 24 * 60 * 60 * 1000 } });
});
after(() => server.close());

async function createLeads(count, extra = (i) => ({})) {
  const leads = Array.from({ length: count }, (_, i) => ({ email: `l${i}-${Math.random()}@example.com`, ...extra(i) }));
  const reply = await server.request('POST', '/api/v1/leads', { body: { leads } });
  assert.equal(reply.status, 201);
  return reply.body.data.results.map((result) => result.id);
}

async function createCampaign(name, leadIds, status) {
  const created = await server.request('POST', '/api/v1/campaigns', { body: { name } });
  const id = created.body.data.id;
  if (leadIds.length) {
    const added = await server.request('POST', `/api/v1/campaigns/${id}/leads`, {
      body: { leads: leadIds.map((leadId) => ({ leadId })) },
    });
    assert.equal(added.status, 200);
  }
  if (status) assert.equal((await server.request('PATCH', `/api/v1/campaigns/${id}/status`, { body: { status } })).status, 200);
  return id;
}

// The whole workspace as the API shows it: every lead and every campaign's members.
async function snapshot(campaigns) {
  const leads = (await server.request('GET', '/api/v1/leads/export')).body.data.leads;
  const members = {};
  for (const campaign of campaigns) {
    const listed = await server.request('GET', `/api/v1/campaigns/${campaign}/leads?limit=100`);
    members[campaign] = listed.status === 200 ? listed.body.data.leads.map((row) => [row.leadId, row.status]) : listed.status;
  }
  return { leads, members };
}

test('dry run over HTTP: same reply as the real delete, nothing changed, samples and protection shown', async () => {
  const tag = `dry-${Date.now()}`;
  const ids = await createLeads(30, (i) => ({ tags: [tag], country: i % 2 ? 'US' : 'DE' }));
  const active = await createCampaign('Dry active', ids.slice(0, 4), 'START');
  const body = { deleteAll: true, filters: { tags: [tag], country: 'US' }, force: true };
  const before = await snapshot([active]);
  const preview = await server.request('DELETE', '/api/v1/leads?dryRun=true', { body });
  assert.equal(preview.status, 200);
  assert.equal(preview.body.data.dryRun, true);
  assert.equal(preview.body.data.deletedCount, 15);
  assert.equal(preview.body.data.preview.sample.length, 10);
  assert.ok(preview.body.data.preview.sample.every((lead) => lead.country === 'US'));
  assert.deepEqual(preview.body.data.preview.protected, { affectedLeads: 2, campaigns: ['Dry active'] });
  assert.equal(preview.body.data.receiptId, undefined);
  assert.deepEqual(await snapshot([active]), before);

  const real = await server.request('DELETE', '/api/v1/leads', { body });
  assert.equal(real.status, 200);
  const { receiptId, ...effect } = real.body.data;
  const { dryRun, preview: shown, ...previewed } = preview.body.data;
  assert.deepEqual(previewed, effect);
  assert.match(receiptId, /^rcp_[0-9a-f]{16}$/);
});

test('restore after a forced bulk delete gives back the same rows', async () => {
  const ids = await createLeads(12, (i) => ({ externalId: `restore-${Date.now()}-${i}`, tags: ['restore'] }));
  const active = await createCampaign('Restore active', ids.slice(0, 6), 'START');
  const other = await createCampaign('Restore other', ids.slice(3, 9));
  const before = await snapshot([active, other]);
  const deleted = await server.request('DELETE', '/api/v1/leads', { body: { leadIds: ids, force: true } });
  assert.equal(deleted.status, 200);
  assert.equal(deleted.body.data.deletedCount, 12);
  assert.notDeepEqual(await snapshot([active, other]), before);

  const receipt = await server.request('GET', `/api/v1/receipts/${deleted.body.data.receiptId}`);
  assert.equal(receipt.status, 200);
  assert.equal(receipt.body.data.restorable, true);
  assert.equal(receipt.body.data.summary.leads, 12);
  // The configured retention (2 days here) sets the expiry.
  assert.equal(Date.parse(receipt.body.data.expiresAt) - Date.parse(receipt.body.data.createdAt), 2 * 86400000);

  const restored = await server.request('POST', `/api/v1/receipts/${deleted.body.data.receiptId}/restore`);
  assert.equal(restored.status, 200);
  assert.equal(restored.body.data.restored.leads, 12);
  assert.deepEqual(restored.body.data.conflicts, []);
  assert.deepEqual(await snapshot([active, other]), before);
  const again = await server.request('POST', `/api/v1/receipts/${deleted.body.data.receiptId}/restore`);
  assert.equal(again.status, 409);
});

test('campaign delete: preview, count guard, receipt, restore', async () => {
  const ids = await createLeads(5);
  const campaign = await createCampaign('To delete', ids);
  const before = await snapshot([campaign]);
  const preview = await server.request('DELETE', `/api/v1/campaigns/${campaign}`, { body: { dryRun: true } });
  assert.equal(preview.status, 200);
  assert.equal(preview.body.data.deleted.leadMemberships, 5);
  assert.equal(preview.body.data.preview.sample.length, 5);
  const guarded = await server.request('DELETE', `/api/v1/campaigns/${campaign}?expectedCount=4`);
  assert.equal(guarded.status, 409);
  assert.equal(guarded.body.error.code, 'COUNT_MISMATCH');
  assert.equal(guarded.body.error.actualCount, 5);
  assert.deepEqual(await snapshot([campaign]), before);
  const deleted = await server.request('DELETE', `/api/v1/campaigns/${campaign}?expectedCount=5`);
  assert.equal(deleted.status, 200);
  assert.equal((await server.request('GET', `/api/v1/campaigns/${campaign}`)).status, 404);
  const restored = await server.request('POST', `/api/v1/receipts/${deleted.body.data.receiptId}/restore`);
  assert.equal(restored.status, 200);
  assert.deepEqual(await snapshot([campaign]), before);
});

test('bulk delete by identifier: dry run per-identifier outcomes, then receipt and restore', async () => {
  const stamp = Date.now();
  const ids = await createLeads(3, (i) => ({ externalId: `bd-${stamp}-${i}` }));
  const campaign = await createCampaign('Bulk', ids, 'START');
  const body = { campaignId: campaign, leads: [{ externalId: `bd-${stamp}-0` }, { externalId: `bd-${stamp}-1` }, { externalId: 'nope' }] };
  const before = await snapshot([campaign]);
  const preview = await server.request('POST', '/api/v1/leads/bulk-delete', { body: { ...body, dryRun: true } });
  assert.equal(preview.status, 200);
  assert.deepEqual(preview.body.data.deletedIdentifiers, [`bd-${stamp}-0`, `bd-${stamp}-1`]);
  assert.deepEqual(preview.body.data.notFoundIdentifiers, ['nope']);
  assert.deepEqual(await snapshot([campaign]), before);
  const real = await server.request('POST', '/api/v1/leads/bulk-delete', { body });
  assert.equal(real.body.data.deleted, 2);
  const restored = await server.request('POST', `/api/v1/receipts/${real.body.data.receiptId}/restore`);
  assert.equal(restored.status, 200);
  assert.deepEqual(await snapshot([campaign]), before);
});

test('GET /receipts and GET /audit list what happened, newest first, key prefix only', async () => {
  const receipts = await server.request('GET', '/api/v1/receipts?limit=2');
  assert.equal(receipts.status, 200);
  assert.equal(receipts.body.data.receipts.length, 2);
  assert.equal(receipts.body.data.hasMore, true);
  const audit = await server.request('GET', `/api/v1/audit?route=${encodeURIComponent('POST /receipts/:id/restore')}`);
  assert.equal(audit.status, 200);
  assert.ok(audit.body.data.entries.length >= 3);
  for (const entry of audit.body.data.entries) {
    assert.equal(entry.method, 'POST');
    assert.match(entry.receiptId ?? '', /^$|^rcp_/);
    assert.equal(entry.keyPrefix, server.workspaceKey.slice(0, 7));
  }
  assert.ok(!audit.text.includes(server.workspaceKey));
  // The trail is workspace-wide: a key restricted to campaigns may not read it.
  const campaign = await createCampaign('Audit scope', []);
  const restricted = await server.admin({ command: 'create-key', workspaceId: server.workspaceId, campaignIds: [campaign] });
  assert.equal(restricted.success, true);
  const refused = await server.request('GET', '/api/v1/audit', { key: restricted.data.key });
  assert.equal(refused.status, 403);
});

test('Idempotency-Key over HTTP: replay byte for byte, 422 for another body, 409 while in flight', async () => {
  const headers = { 'idempotency-key': `create-${Date.now()}` };
  const body = { leads: Array.from({ length: 50 }, (_, i) => ({ email: `idem-${headers['idempotency-key']}-${i}@example.com` })) };
  const first = await server.request('POST', '/api/v1/leads', { body, headers });
  assert.equal(first.status, 201);
  const retry = await server.request('POST', '/api/v1/leads', { body, headers });
  assert.equal(retry.status, 201);
  assert.equal(retry.text, first.text);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  const other = await server.request('POST', '/api/v1/leads', { body: { email: 'different@example.com' }, headers });
  assert.equal(other.status, 422);
  assert.equal(other.body.error.code, 'IDEMPOTENCY_KEY_REUSED');

  // A client cannot forge the host's in-flight marker.
  const forged = await server.request('POST', '/api/v1/leads', {
    body: { email: `forged-${Date.now()}@example.com` },
    headers: { 'idempotency-key': `forged-${Date.now()}`, 'x-leadline-idempotency-in-flight': '1' },
  });
  assert.equal(forged.status, 201);

  // Two copies at once: one applies, the other is told the first is still in flight.
  const bulk = { leads: Array.from({ length: 3000 }, (_, i) => ({ email: `race-${Date.now()}-${i}@example.com` })) };
  const raceHeaders = { 'idempotency-key': `race-${Date.now()}` };
  const [a, b] = await Promise.all([
    server.request('POST', '/api/v1/leads', { body: bulk, headers: raceHeaders }),
    server.request('POST', '/api/v1/leads', { body: bulk, headers: raceHeaders }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [201, 409]);
  const refused = a.status === 409 ? a : b;
  assert.equal(refused.body.error.code, 'IDEMPOTENCY_KEY_IN_USE');
  assert.equal(refused.headers.get('retry-after'), '1');
  const replay = await server.request('POST', '/api/v1/leads', { body: bulk, headers: raceHeaders });
  assert.equal(replay.status, 201);
  assert.equal(replay.text, (a.status === 201 ? a : b).text);
});

test('a crash between commit and reply: the retry replays, the write applied once', async () => {
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const start = (env = {}) => {
    const server = spawnServer(dataDir, env);
    return { ...server, key: () => /workspace key: (\S+)/.exec(server.output())?.[1] };
  };

  const faulty = start({ LEADLINE_TEST_FAULT: 'crash-after-commit' });
  const url = await faulty.ready;
  const key = faulty.key();
  const body = JSON.stringify({ leads: [{ email: 'once-a@example.com' }, { email: 'once-b@example.com' }] });
  const headers = { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': 'import-42' };
  await assert.rejects(fetch(`${url}/api/v1/leads`, { method: 'POST', headers, body }));
  assert.equal(await faulty.exited, 'SIGKILL');

  const healthy = start();
  const url2 = await healthy.ready;
  try {
    const retry = await fetch(`${url2}/api/v1/leads`, { method: 'POST', headers, body });
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    const listed = await (await fetch(`${url2}/api/v1/leads?search=once-`, { headers: { 'x-api-key': key } })).json();
    assert.equal(listed.data.leads.length, 2);
  } finally {
    healthy.child.kill('SIGTERM');
    await healthy.exited;
  }
});

test('controls are refused where they are not supported, never ignored (fixture table)', async () => {
  const keep = await createLeads(1);
  const campaign = await createCampaign(`Controls ${Date.now()}`, []);
  const step = await server.request('POST', `/api/v1/campaigns/${campaign}/sequences`, { body: { body: 'Hi', delayDays: 0 } });
  assert.equal(step.status, 201);
  for (const row of readFixture('request_controls.json').cases) {
    const target = row.target.replace('{campaign}', campaign).replace('{sequence}', step.body.data.id);
    const reply = await server.request(row.method, target, { body: row.body });
    assert.equal(reply.status, 400, row.name);
    assert.equal(reply.body.error.message, row.message, row.name);
  }
  assert.equal((await server.request('GET', `/api/v1/leads/${keep[0]}`)).status, 200);
  const shown = (await server.request('GET', `/api/v1/campaigns/${campaign}`)).body.data;
  assert.equal(shown.status, 'draft');
  const steps = await server.request('GET', `/api/v1/campaigns/${campaign}/sequences`);
  assert.equal(steps.body.data.sequences.length, 1);
});
