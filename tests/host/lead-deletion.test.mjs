// Lead deletion over real HTTP: SendKit's `DELETE /v1/leads`, the one-lead delete and Lupitor's bulk delete replayed with only host, key and ids
// changed, every refusal deleting nothing, and the 1000-identifier bulk delete.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expandFixture, readFixture, startTestServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

async function createLeads(leads) {
  const reply = await server.request('POST', '/api/v1/leads', { body: { leads } });
  assert.equal(reply.status, 201, reply.text);
  return reply.body.data.results.map((result) => result.id);
}

async function createCampaign(name, leadIds, status) {
  const created = await server.request('POST', '/api/v1/campaigns', { body: { name } });
  assert.equal(created.status, 201);
  const id = created.body.data.id;
  if (leadIds.length) {
    const added = await server.request('POST', `/api/v1/campaigns/${id}/leads`, {
      body: { leads: leadIds.map((leadId) => ({ leadId })) },
    });
    assert.equal(added.body.data.added, leadIds.length, added.text);
  }
  if (status) {
    assert.equal((await server.request('PATCH', `/api/v1/campaigns/${id}/status`, { body: { status } })).status, 200);
  }
  return id;
}

async function exists(id) {
  return (await server.request('GET', `/api/v1/leads/${id}`)).status === 200;
}

async function memberStatuses(campaign) {
  const listed = await server.request('GET', `/api/v1/campaigns/${campaign}/leads?limit=100`);
  return Object.fromEntries(listed.body.data.leads.map((row) => [row.leadId, row.status]));
}

async function countLeads() {
  let count = 0;
  let cursor = '';
  for (;;) {
    const page = await server.request('GET', `/api/v1/leads?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    count += page.body.data.leads.length;
    if (!page.body.data.hasMore) return count;
    cursor = page.body.data.nextCursor;
  }
}

const seedHeaders = () => ({
  'Content-Type': 'application/json',
  'X-Api-Key': server.workspaceKey,
  Authorization: `Bearer ${server.workspaceKey}`,
});

describe('SendKit: DELETE /v1/leads', () => {
  test('SendKit\'s sample request (both auth headers, leadIds) replies {deletedCount}', async () => {
    const ids = await createLeads([{ email: 's000-a@example.com' }, { email: 's000-b@example.com' }]);
    const reply = await server.request('DELETE', '/v1/leads', { key: null, headers: seedHeaders(), body: { leadIds: ids } });
    assert.equal(reply.status, 200, reply.text);
    const { receiptId, ...seedData } = reply.body.data;
    assert.match(receiptId, /^rcp_/, 'every delete leaves an undo receipt beside the documented fields');
    assert.deepEqual({ ...reply.body, data: seedData }, { success: true, data: { deletedCount: 2, notFoundIds: [] } });
    assert.equal(await exists(ids[0]), false);
  });

  test('SendKit\'s sample unchanged, with its own ids: 200, nothing deleted, both ids not found', async () => {
    const ids = await createLeads([{ email: 'sample-kept@example.com' }]);
    const before = await countLeads();
    const sample = { leadIds: ['665d4e5f6a7b8c9d0e1f2a3b', '665d4e5f6a7b8c9d0e1f2a3c'] };
    const reply = await server.request('DELETE', '/v1/leads', { key: null, headers: seedHeaders(), body: sample });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.data.deletedCount, 0);
    assert.deepEqual(reply.body.data.notFoundIds, sample.leadIds);
    assert.equal(await countLeads(), before);
    // Mixed with one of ours: ours is deleted, the foreign one reported, in the order sent.
    const mixed = await server.request('DELETE', '/v1/leads', { body: { leadIds: ['665d4e5f6a7b8c9d0e1f2a3b', ids[0]] } });
    assert.equal(mixed.body.data.deletedCount, 1);
    assert.deepEqual(mixed.body.data.notFoundIds, ['665d4e5f6a7b8c9d0e1f2a3b']);
  });

  for (const row of readFixture('delete_leads_requests.json').cases) {
    test(`refuses and deletes nothing: ${row.name}`, async () => {
      await createLeads([{ email: `keep-${row.name.replace(/\W/g, '')}@example.com`, tags: ['a'] }]);
      const before = await countLeads();
      const reply = await server.request('DELETE', '/v1/leads', { body: row.body });
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.body.error.code, 'VALIDATION_ERROR');
      assert.equal(reply.body.error.message, row.message);
      assert.equal(await countLeads(), before);
    });
  }

  test('active-campaign protection: SendKit\'s message, nothing deleted; force keeps removed memberships', async () => {
    const ids = await createLeads(
      Array.from({ length: 4 }, (_, i) => ({ email: `protected-${i}@example.com`, tags: ['s000-protect'] })),
    );
    const q1 = await createCampaign('Q1 Outreach', [ids[0], ids[1]], 'START');
    const followUp = await createCampaign('Follow-up Campaign', [ids[2]], 'START');
    const stopped = await createCampaign('Old', [ids[0], ids[3]], 'START');
    await server.request('PATCH', `/api/v1/campaigns/${stopped}/status`, { body: { status: 'STOPPED' } });
    const body = { deleteAll: true, filters: { tags: ['s000-protect'] } };

    const refused = await server.request('DELETE', '/v1/leads', { body });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, {
      success: false,
      error: {
        code: 'VALIDATION_ERROR',
        message: '3 lead(s) are in active campaigns: Q1 Outreach, Follow-up Campaign. Pass "force": true to delete anyway.',
        affectedLeads: 3,
        campaigns: ['Q1 Outreach', 'Follow-up Campaign'],
      },
    });
    for (const id of ids) assert.equal(await exists(id), true);

    const forced = await server.request('DELETE', '/v1/leads', { body: { ...body, force: true } });
    assert.equal(forced.status, 200);
    assert.equal(forced.body.data.deletedCount, 4);
    for (const id of ids) assert.equal(await exists(id), false);
    assert.deepEqual(await memberStatuses(q1), { [ids[0]]: 'removed', [ids[1]]: 'removed' });
    assert.deepEqual(await memberStatuses(followUp), { [ids[2]]: 'removed' });
    assert.deepEqual(await memberStatuses(stopped), {}, 'memberships in campaigns that are not active go with the lead');
  });

  test('excludeIds keep leads out of a deleteAll; another workspace is untouched', async () => {
    const ids = await createLeads([
      { email: 'ex-1@example.com', tags: ['s000-ex'] },
      { email: 'ex-2@example.com', tags: ['s000-ex'] },
    ]);
    const other = await server.admin({ command: 'create-workspace', name: 'Untouched' });
    const otherKey = (await server.admin({ command: 'create-key', workspaceId: other.data.id })).data.key;
    const theirs = await server.request('POST', '/api/v1/leads', { key: otherKey, body: { email: 'ex-3@example.com', tags: ['s000-ex'] } });
    const reply = await server.request('DELETE', '/v1/leads', {
      body: { deleteAll: true, filters: { tags: ['s000-ex'] }, excludeIds: [ids[1]] },
    });
    assert.equal(reply.body.data.deletedCount, 1);
    assert.equal(await exists(ids[1]), true);
    const stillThere = await server.request('GET', `/api/v1/leads/${theirs.body.data.id}`, { key: otherKey });
    assert.equal(stillThere.status, 200);
  });
});

describe('DELETE /api/v1/leads/{leadId}', () => {
  test('the documented request: Bearer key, JSON content type, no body', async () => {
    const [id] = await createLeads([{ email: 's001@example.com', firstName: 'Ada', lastName: 'Lovelace' }]);
    const lead = await server.request('GET', `/api/v1/leads/${id}`, {
      key: null,
      headers: { Authorization: `Bearer ${server.workspaceKey}`, 'Content-Type': 'application/json' },
    });
    assert.equal(lead.body.data.name, 'Ada Lovelace', 'the client code reads lead.name');
    const reply = await server.request('DELETE', `/api/v1/leads/${id}`, {
      key: null,
      headers: { Authorization: `Bearer ${server.workspaceKey}`, 'Content-Type': 'application/json' },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.success, true);
    assert.equal(reply.body.message, 'Lead deleted successfully');
    assert.equal(reply.body.data.id, id);
    assert.match(reply.body.data.deletedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const again = await server.request('DELETE', `/api/v1/leads/${id}`);
    assert.equal(again.status, 404);
    assert.deepEqual(again.body.error, {
      code: 'LEAD_NOT_FOUND',
      message: 'Lead not found',
      details: { leadId: id, message: 'No lead found with this ID in your workspace' },
    });
  });

  test('a lead in an active campaign needs ?force=true', async () => {
    const [id] = await createLeads([{ email: 's001-busy@example.com' }]);
    const campaign = await createCampaign('Busy', [id], 'START');
    const refused = await server.request('DELETE', `/api/v1/leads/${id}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.message, '1 lead(s) are in active campaigns: Busy. Pass "force": true to delete anyway.');
    assert.equal(await exists(id), true);
    const forced = await server.request('DELETE', `/api/v1/leads/${id}?force=true`);
    assert.equal(forced.status, 200);
    assert.deepEqual(await memberStatuses(campaign), { [id]: 'removed' });
  });

  test('GET /leads/export backs up a selection as JSON or CSV first', async () => {
    await createLeads([
      { email: 'backup-1@example.com', tags: ['backup'], firstName: '@risky' },
      { email: 'backup-2@example.com', tags: ['backup'] },
    ]);
    const asJson = await server.request('GET', '/api/v1/leads/export?tags=backup');
    assert.equal(asJson.status, 200);
    assert.deepEqual(asJson.body.data.leads.map((lead) => lead.email), ['backup-1@example.com', 'backup-2@example.com']);
    const asCsv = await server.request('GET', '/api/v1/leads/export?tags=backup&format=csv');
    assert.equal(asCsv.headers.get('content-type'), 'text/csv; charset=utf-8');
    const rows = asCsv.text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    assert.equal(rows.length, 3);
    assert.match(rows[1], /,backup-1@example\.com,'@risky,/);
  });
});

describe('Lupitor: POST /api/v1/leads/bulk-delete and /api/v1/records/bulk-delete', () => {
  let campaign;
  before(async () => {
    campaign = await createCampaign('Bulk target', []);
  });

  for (const row of readFixture('bulk_delete_requests.json').cases) {
    test(`refuses: ${row.name}`, async () => {
      const body = expandFixture(row.body);
      if (body.campaignId === '@campaign') body.campaignId = campaign;
      for (const path of ['/api/v1/leads/bulk-delete', '/api/v1/records/bulk-delete']) {
        const reply = await server.request('POST', path, { body });
        assert.equal(reply.status, 400, `${path}: ${reply.text}`);
        assert.equal(reply.body.error.message, row.message);
      }
    });
  }

  test('auth failures: "Invalid or inactive API key" (401) and "Forbidden" (403)', async () => {
    const body = { campaignId: campaign, leads: [{ externalId: 'x' }] };
    const invalid = await server.request('POST', '/api/v1/leads/bulk-delete', { key: 'sk_not_a_real_key', body });
    assert.equal(invalid.status, 401);
    assert.equal(invalid.body.error.message, 'Invalid or inactive API key');
    const other = await createCampaign('Not yours', []);
    const restricted = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId, campaignIds: [other] })).data.key;
    const forbidden = await server.request('POST', '/api/v1/leads/bulk-delete', { key: restricted, body });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error.message, 'Forbidden');
    const readOnly = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId, scopes: ['read'] })).data.key;
    assert.equal((await server.request('POST', '/api/v1/records/bulk-delete', { key: readOnly, body })).status, 403);
    const foreignWorkspace = await server.admin({ command: 'create-workspace', name: 'Foreign' });
    const foreignKey = (await server.admin({ command: 'create-key', workspaceId: foreignWorkspace.data.id })).data.key;
    const hidden = await server.request('POST', '/api/v1/leads/bulk-delete', { key: foreignKey, body });
    assert.equal(hidden.status, 404, 'another workspace\'s campaign looks missing');
  });

  test('1000 identifiers: found, not found, other-campaign and phone-format variants each reported correctly', async () => {
    // 400 leads in the target campaign (200 by externalId, 200 by phone), 100 in another campaign only.
    const inTarget = Array.from({ length: 400 }, (_, i) =>
      i < 200
        ? { externalId: `bulk-ext-${i}`, email: `bulk-ext-${i}@example.com` }
        : { phoneNumber: `+1555${String(1000000 + i).slice(-7)}`, email: `bulk-phone-${i}@example.com` },
    );
    const inOther = Array.from({ length: 100 }, (_, i) => ({ externalId: `bulk-other-${i}` }));
    const targetIds = await createLeads(inTarget);
    const otherIds = await createLeads(inOther);
    const target = await createCampaign('Bulk 1000', targetIds, 'START');
    await createCampaign('Bulk other', otherIds);

    const formats = [
      (digits) => `+1${digits}`,
      (digits) => `+1 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`,
      (digits) => `001${digits}`,
      (digits) => `+1.${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}`,
    ];
    const leads = [];
    const expectDeleted = [];
    const expectNotFound = [];
    for (let i = 0; i < 200; i++) {
      leads.push({ externalId: `bulk-ext-${i}` });
      expectDeleted.push(`bulk-ext-${i}`);
    }
    for (let i = 200; i < 400; i++) {
      const digits = `555${String(1000000 + i).slice(-7)}`;
      const phoneNumber = formats[i % formats.length](digits);
      leads.push({ phoneNumber });
      expectDeleted.push(phoneNumber);
    }
    for (let i = 0; i < 100; i++) {
      leads.push({ externalId: `bulk-other-${i}` });
      expectNotFound.push(`bulk-other-${i}`);
    }
    for (let i = 0; i < 450; i++) {
      leads.push({ externalId: `bulk-missing-${i}` });
      expectNotFound.push(`bulk-missing-${i}`);
    }
    for (let i = 0; i < 50; i++) {
      const phoneNumber = `+4930${String(9000000 + i)}`;
      leads.push({ phoneNumber });
      expectNotFound.push(phoneNumber);
    }
    assert.equal(leads.length, 1000);

    const reply = await server.request('POST', '/api/v1/records/bulk-delete', { body: { campaignId: target, leads } });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.success, true);
    assert.equal(reply.body.data.deleted, 400);
    assert.equal(reply.body.data.notFound, 600);
    assert.deepEqual(reply.body.data.deletedIdentifiers, expectDeleted);
    assert.deepEqual(reply.body.data.notFoundIdentifiers, expectNotFound);
    for (const id of [targetIds[0], targetIds[399]]) assert.equal(await exists(id), false);
    for (const id of [otherIds[0], otherIds[99]]) assert.equal(await exists(id), true);
    const counts = (await server.request('GET', `/api/v1/campaigns/${target}`)).body.data.leadCounts;
    assert.equal(counts.active, 0);
    assert.equal(counts.removed, 400, 'an active campaign keeps the rows as history');
  });
});

describe('the background purge of expired receipts', () => {
  test('a deleted lead stays restorable until its receipt expires, then the purge erases it on its own', async () => {
    // Receipts kept for 1.5 s: the worker's timer must wake the purge with no request arriving.
    const retentionMs = 1500;
    const purging = await startTestServer({ engineOptions: { receiptRetentionMs: retentionMs } });
    try {
      const status = async () => {
        const reply = await purging.admin({ command: 'purge-status', workspaceId: purging.workspaceId });
        assert.equal(reply.success, true, JSON.stringify(reply));
        return reply.data;
      };
      const created = await purging.request('POST', '/api/v1/leads', {
        body: { leads: Array.from({ length: 1200 }, (_, i) => ({ email: `purge${i}@example.com`, tags: ['old'] })) },
      });
      assert.equal(created.status, 201, created.text);
      const deleted = await purging.request('DELETE', '/api/v1/leads', { body: { deleteAll: true, filters: { tags: ['old'] } } });
      assert.equal(deleted.body.data.deletedCount, 1200, deleted.text);
      const before = await status();
      assert.equal(before.markedLeads, 1200);
      assert.equal(before.receipts, 1);
      assert.match(before.nextPurgeAt, /^\d{4}-\d\d-\d\dT/);
      // Free at once: the address of a deleted lead can be used again.
      assert.equal((await purging.request('POST', '/api/v1/leads', { body: { email: 'purge0@example.com' } })).status, 201);

      const deadline = Date.now() + retentionMs + 15000;
      let after = before;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await status();
        if (after.receipts === 0) break;
      }
      assert.deepEqual(after, {
        workspaceId: purging.workspaceId, receipts: 0, expiredReceipts: 0, markedLeads: 0, expiredMarkedLeads: 0,
        copiedRows: 0, nextPurgeAt: null,
      });
      const receipt = await purging.request('GET', `/api/v1/receipts/${deleted.body.data.receiptId}`);
      assert.equal(receipt.status, 404);
      const listed = await purging.request('GET', '/api/v1/leads?limit=100');
      assert.deepEqual(listed.body.data.leads.map((lead) => lead.email), ['purge0@example.com']);
    } finally {
      await purging.close();
    }
  });
});
