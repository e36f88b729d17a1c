// The leads resource over real HTTP: every route, both prefixes, and every error path.
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

async function countLeads(key = server.workspaceKey) {
  let count = 0;
  let cursor = '';
  for (;;) {
    const page = await server.request('GET', `/api/v1/leads?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { key });
    assert.equal(page.status, 200);
    count += page.body.data.leads.length;
    if (!page.body.data.hasMore) return count;
    cursor = page.body.data.nextCursor;
  }
}

describe('POST /leads validation (shared fixture corpus)', () => {
  for (const row of readFixture('invalid_lead_requests.json').cases) {
    test(`refuses: ${row.name}`, async () => {
      const before = await countLeads();
      const reply = await server.request('POST', '/api/v1/leads', { body: expandFixture(row.body) });
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.body.success, false);
      assert.equal(reply.body.error.code, 'VALIDATION_ERROR');
      assert.equal(reply.body.error.field, row.field);
      assert.ok(reply.body.error.message.startsWith(`${row.field}: `), reply.body.error.message);
      assert.equal(await countLeads(), before, 'nothing stored');
    });
  }
});

describe('create, read, update', () => {
  test('creates a normalised lead and reads it under /api/v1 and /v1', async () => {
    const created = await server.request('POST', '/v1/leads', {
      body: { email: ' Jane.Doe@Example.COM ', firstName: 'Jane', lastName: 'Doe', phoneNumber: '+1 (555) 123-4567' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('content-type'), 'application/json; charset=utf-8');
    const lead = created.body.data;
    assert.match(lead.id, /^lead_[0-9a-f]{16}$/);
    assert.equal(lead.email, 'jane.doe@example.com');
    assert.equal(lead.phoneNumber, '+15551234567');
    assert.equal(lead.name, 'Jane Doe');
    assert.match(lead.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const prefix of ['/api/v1', '/v1']) {
      const got = await server.request('GET', `${prefix}/leads/${lead.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body.data, lead);
    }
  });

  test('archive instead of delete with PUT (status lost, metadata merged)', async () => {
    const created = await server.request('POST', '/api/v1/leads', {
      body: { email: 'archive-me@example.com', metadata: { source: 'webinar' } },
    });
    const id = created.body.data.id;
    const archivedAt = new Date().toISOString();
    const reply = await server.request('PUT', `/api/v1/leads/${id}`, {
      headers: { authorization: `Bearer ${server.workspaceKey}` },
      body: { status: 'lost', metadata: { archived: true, archived_at: archivedAt, archived_reason: 'No longer interested' } },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.data.status, 'lost');
    assert.deepEqual(reply.body.data.metadata, {
      source: 'webinar',
      archived: true,
      archived_at: archivedAt,
      archived_reason: 'No longer interested',
    });
  });

  test('PATCH refuses unknown fields and wrong types, changing nothing', async () => {
    const created = await server.request('POST', '/api/v1/leads', { body: { email: 'patch@example.com' } });
    const id = created.body.data.id;
    for (const [body, field] of [
      [{ nickname: 'x' }, 'nickname'],
      [{ firstName: 7 }, 'firstName'],
      [{ tags: 'a,b' }, 'tags'],
      [{ email: null }, 'body'],
      [{}, 'body'],
    ]) {
      const reply = await server.request('PATCH', `/api/v1/leads/${id}`, { body });
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.body.error.field, field);
    }
    const after = await server.request('GET', `/api/v1/leads/${id}`);
    assert.deepEqual(after.body.data, created.body.data);
  });

  test('email taken by another lead is 409 CONFLICT', async () => {
    await server.request('POST', '/api/v1/leads', { body: { email: 'owner@example.com' } });
    const other = await server.request('POST', '/api/v1/leads', { body: { email: 'other@example.com' } });
    const reply = await server.request('PATCH', `/api/v1/leads/${other.body.data.id}`, {
      body: { email: 'OWNER@example.com' },
    });
    assert.equal(reply.status, 409);
    assert.equal(reply.body.error.code, 'CONFLICT');
  });

  test('unknown, malformed and foreign ids are 404 LEAD_NOT_FOUND with details', async () => {
    for (const id of ['lead_nonexistent123', 'lead_0000000000000001', '665d4e5f6a7b8c9d0e1f2a3b']) {
      for (const [method, body] of [['GET'], ['PATCH', { firstName: 'x' }]]) {
        const reply = await server.request(method, `/api/v1/leads/${id}`, { body });
        assert.equal(reply.status, 404);
        assert.deepEqual(reply.body, {
          success: false,
          error: {
            code: 'LEAD_NOT_FOUND',
            message: 'Lead not found',
            details: { leadId: id, message: 'No lead found with this ID in your workspace' },
          },
        });
      }
    }
  });
});

describe('batches', () => {
  test('skips duplicates of stored leads and of earlier entries, and says which', async () => {
    await server.request('POST', '/api/v1/leads', { body: { email: 'dup@example.com', externalId: 'crm-77' } });
    const reply = await server.request('POST', '/api/v1/leads', {
      body: {
        leads: [
          { email: 'fresh-1@example.com' },
          { email: 'DUP@example.com' },
          { externalId: 'crm-77', email: 'other@other.com' },
          { email: 'fresh-1@example.com' },
        ],
      },
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.data.created, 1);
    assert.equal(reply.body.data.skipped, 3);
    assert.deepEqual(
      reply.body.data.results.map((r) => [r.status, r.reason ?? null]),
      [
        ['created', null],
        ['skipped', 'duplicate_email'],
        ['skipped', 'duplicate_external_id'],
        ['skipped', 'duplicate_email'],
      ],
    );
    assert.equal(reply.body.data.results[3].duplicateOf, 0);
  });

  test('5000 leads in one request; 5001 refused whole', async () => {
    const before = await countLeads();
    const leads = Array.from({ length: 5000 }, (_, i) => ({ email: `five-k-${i}@example.com`, tags: ['bulk'] }));
    const ok = await server.request('POST', '/api/v1/leads', { body: { leads } });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.data.created, 5000);
    const tooMany = await server.request('POST', '/api/v1/leads', {
      body: { leads: [...leads, { email: 'one-more@example.com' }] },
    });
    assert.equal(tooMany.status, 400);
    assert.equal(await countLeads(), before + 5000);
    const page = await server.request('GET', '/api/v1/leads?tags=bulk&limit=100');
    assert.equal(page.body.data.leads.length, 100);
    assert.equal(page.body.data.hasMore, true);
  });
});

describe('GET /leads', () => {
  test('filters and cursor pages walk the whole selection exactly once', async () => {
    const marker = `walk-${Date.now()}`;
    const created = [];
    for (let i = 0; i < 7; i += 1) {
      const reply = await server.request('POST', '/api/v1/leads', {
        body: { email: `${marker}-${i}@example.com`, tags: [marker], status: i % 2 ? 'won' : 'new', country: 'fr' },
      });
      created.push(reply.body.data.id);
    }
    const seen = [];
    let cursor = '';
    for (;;) {
      const page = await server.request(
        'GET',
        `/api/v1/leads?tags=${marker}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(page.status, 200);
      seen.push(...page.body.data.leads.map((l) => l.id));
      if (!page.body.data.hasMore) {
        assert.equal(page.body.data.nextCursor, null);
        break;
      }
      cursor = page.body.data.nextCursor;
    }
    assert.deepEqual(seen, [...created].reverse());
    const won = await server.request('GET', `/api/v1/leads?tags=${marker}&status=won&country=FR`);
    assert.equal(won.body.data.leads.length, 3);
    const search = await server.request('GET', `/api/v1/leads?search=${marker}-4`);
    assert.deepEqual(
      search.body.data.leads.map((l) => l.id),
      [created[4]],
    );
  });

  test('unknown parameters and bad values are 400 naming them', async () => {
    for (const [query, field] of [
      ['tag=vip', 'tag'],
      ['limit=500', 'limit'],
      ['cursor=nope', 'cursor'],
      ['status=archived', 'status[0]'],
      ['createdAfter=last%20week', 'createdAfter'],
    ]) {
      const reply = await server.request('GET', `/api/v1/leads?${query}`);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.error.field, field);
    }
  });
});

describe('workspaces and keys', () => {
  test('another workspace sees none of these leads and gets 404 for their ids', async () => {
    const second = await server.admin({ command: 'create-workspace', name: 'Other Co' });
    const key = (await server.admin({ command: 'create-key', workspaceId: second.data.id })).data.key;
    const mine = await server.request('POST', '/api/v1/leads', { body: { email: 'private@example.com' } });
    assert.equal((await server.request('GET', `/api/v1/leads/${mine.body.data.id}`, { key })).status, 404);
    assert.equal(
      (await server.request('PUT', `/api/v1/leads/${mine.body.data.id}`, { key, body: { firstName: 'x' } })).status,
      404,
    );
    assert.equal(await countLeads(key), 0);
  });

  test('platform key needs X-Workspace-Id of a workspace its user belongs to', async () => {
    const missing = await server.request('GET', '/api/v1/leads', { key: server.platformKey });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.field, 'X-Workspace-Id');
    const ok = await server.request('GET', '/api/v1/leads?limit=1', {
      key: server.platformKey,
      headers: { 'x-workspace-id': server.workspaceId },
    });
    assert.equal(ok.status, 200);
  });

  test('no key, unknown key, conflicting keys and read-only writes are refused', async () => {
    const none = await server.request('GET', '/api/v1/leads', { key: null });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.message, 'Invalid or inactive API key');
    assert.equal((await server.request('GET', '/api/v1/leads', { key: 'sk_nope' })).status, 401);
    const conflicting = await server.request('GET', `/api/v1/leads?api_key=sk_other`, {});
    assert.equal(conflicting.status, 401);
    const viaQuery = await server.request('GET', `/api/v1/leads?limit=1&api_key=${server.workspaceKey}`, { key: null });
    assert.equal(viaQuery.status, 200);
    const reader = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId, scopes: ['read'] }))
      .data.key;
    const refused = await server.request('POST', '/api/v1/leads', { key: reader, body: { email: 'r@example.com' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'FORBIDDEN');
  });
});
