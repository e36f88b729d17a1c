// Campaigns over real HTTP: CRUD, the status machine, adding leads (SendKit's three modes), export and
// cascade delete (Smartlead's), replayed as the vendors' own sample requests with only host, key and ids changed.
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

async function createCampaign(name) {
  const created = await server.request('POST', '/api/v1/campaigns', { body: { name } });
  assert.equal(created.status, 201, created.text);
  return created.body.data.id;
}

async function setStatus(id, status) {
  const reply = await server.request('PATCH', `/api/v1/campaigns/${id}/status`, { body: { status } });
  assert.equal(reply.status, 200, reply.text);
  return reply.body.data;
}

async function createLeads(leads) {
  const reply = await server.request('POST', '/api/v1/leads', { body: { leads } });
  assert.ok(reply.status === 201 || reply.status === 200, reply.text);
  return reply.body.data.results.map((result) => result.id ?? result.existingLeadId);
}

async function campaignCounts(id) {
  const got = await server.request('GET', `/api/v1/campaigns/${id}`);
  assert.equal(got.status, 200, got.text);
  return { leads: got.body.data.leadCounts, owned: got.body.data.owned };
}

describe('SendKit: POST /v1/campaigns/{id}/leads', () => {
  test('SendKit\'s sample request itself: both auth headers, two new leads by email, one unknown leadId', async () => {
    const id = await createCampaign('SendKit sample');
    const reply = await server.request('POST', `/v1/campaigns/${id}/leads`, {
      key: null,
      headers: {
        'Content-Type': 'application/json',
        'X-Api-Key': server.workspaceKey,
        Authorization: `Bearer ${server.workspaceKey}`,
      },
      body: {
        leads: [
          { email: 'john@acme.com', firstName: 'John', lastName: 'Doe', companyName: 'Acme Corp' },
          { email: 'jane@example.com', firstName: 'Jane' },
          { leadId: '665d4e5f6a7b8c9d0e1f2a3b' },
        ],
      },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.success, true);
    assert.equal(reply.body.data.added, 2);
    assert.equal(reply.body.data.skipped, 0);
    assert.deepEqual(reply.body.data.errors, [
      { index: 2, entry: { leadId: '665d4e5f6a7b8c9d0e1f2a3b' }, message: 'Lead not found' },
    ]);
    const members = await server.request('GET', `/v1/campaigns/${id}/leads`);
    assert.deepEqual(members.body.data.leads.map((m) => m.lead.email).sort(), ['jane@example.com', 'john@acme.com']);
    assert.ok(members.body.data.leads.every((m) => m.status === 'pending'), 'a draft campaign holds them pending');
  });

  test('an invalid email entry gets SendKit\'s message and the valid rest is added', async () => {
    const id = await createCampaign('Mixed');
    const reply = await server.request('POST', `/v1/campaigns/${id}/leads`, {
      body: { leads: [{ email: 'ok1@example.com' }, { email: 'invalid@' }, { email: 'ok1@example.com' }] },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.data.added, 1);
    assert.equal(reply.body.data.skipped, 1);
    assert.deepEqual(reply.body.data.errors, [
      { index: 1, entry: { email: 'invalid@' }, message: 'Either leadId or email is required' },
    ]);
  });

  test('filters and selectAll modes reply {added, skipped, suppressed, matched}; active campaigns add active members', async () => {
    const ids = await createLeads([
      { email: 'f1@example.com', tags: ['seed3'], country: 'US', emailVerificationStatus: 'valid' },
      { email: 'f2@example.com', tags: ['seed3'], country: 'DE' },
      { email: 'f3@example.com', tags: ['seed3'], country: 'US' },
    ]);
    const id = await createCampaign('Filtered');
    await setStatus(id, 'START');
    const byTag = await server.request('POST', `/v1/campaigns/${id}/leads`, {
      body: { filters: { tags: ['seed3'], country: 'US' } },
    });
    assert.deepEqual(byTag.body, { success: true, data: { added: 2, skipped: 0, suppressed: 0, matched: 2 } });
    const byIds = await server.request('POST', `/v1/campaigns/${id}/leads`, {
      body: { filters: { leadIds: ids, emailVerificationStatus: ['valid', 'unverified'] } },
    });
    assert.deepEqual(byIds.body.data, { added: 1, skipped: 2, suppressed: 0, matched: 3 });
    const all = await server.request('POST', `/v1/campaigns/${id}/leads`, {
      body: { selectAll: true, excludeIds: [ids[0]] },
    });
    assert.equal(all.status, 200);
    assert.equal(all.body.data.matched, all.body.data.added + all.body.data.skipped);
    const active = await server.request('GET', `/api/v1/campaigns/${id}/leads?status=active&limit=100`);
    assert.equal(active.body.data.leads.length, (await campaignCounts(id)).leads.total);
  });

  for (const row of readFixture('campaign_add_requests.json').cases) {
    test(`refuses: ${row.name}`, async () => {
      const id = await createCampaign(`Refuse ${row.name}`);
      const reply = await server.request('POST', `/v1/campaigns/${id}/leads`, { body: expandFixture(row.body) });
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.body.error.code, 'VALIDATION_ERROR');
      assert.equal(reply.body.error.message, row.message);
      assert.equal(reply.body.error.field, row.field ?? undefined);
      assert.equal((await campaignCounts(id)).leads.total, 0);
    });
  }

  test('unknown campaign: 404 NOT_FOUND "Campaign not found"', async () => {
    const reply = await server.request('POST', '/v1/campaigns/example_string/leads', { body: { selectAll: true } });
    assert.equal(reply.status, 404);
    assert.equal(reply.body.error.code, 'NOT_FOUND');
    assert.equal(reply.body.error.message, 'Campaign not found');
  });

  test('a stopped campaign refuses new leads with 409 and adds nothing', async () => {
    const id = await createCampaign('Stopped');
    await setStatus(id, 'START');
    await setStatus(id, 'STOPPED');
    const reply = await server.request('POST', `/v1/campaigns/${id}/leads`, { body: { selectAll: true } });
    assert.equal(reply.status, 409);
    assert.equal(reply.body.error.message, 'Cannot add leads to a stopped campaign');
    assert.equal((await campaignCounts(id)).leads.total, 0);
  });
});

describe('campaign CRUD and status machine', () => {
  test('create, get, rename, list with status filter and pages', async () => {
    const id = await createCampaign('CRUD');
    const got = await server.request('GET', `/v1/campaigns/${id}`);
    assert.equal(got.body.data.status, 'draft');
    const renamed = await server.request('PATCH', `/api/v1/campaigns/${id}`, { body: { name: 'CRUD renamed' } });
    assert.equal(renamed.body.data.name, 'CRUD renamed');
    const drafts = await server.request('GET', '/api/v1/campaigns?status=draft&limit=100');
    assert.ok(drafts.body.data.campaigns.some((c) => c.id === id));
    assert.ok(drafts.body.data.campaigns.every((c) => c.status === 'draft'));
    const page = await server.request('GET', '/api/v1/campaigns?limit=1');
    assert.equal(page.body.data.campaigns.length, 1);
    assert.equal(page.body.data.hasMore, true);
    const next = await server.request('GET', `/api/v1/campaigns?limit=1&cursor=${page.body.data.nextCursor}`);
    assert.notEqual(next.body.data.campaigns[0].id, page.body.data.campaigns[0].id);
  });

  for (const row of readFixture('campaign_transitions.json').cases) {
    test(`transition ${row.path.join(' → ')} → ${row.status}`, async () => {
      const id = await createCampaign(`T ${row.path.join(' ')}`);
      for (const status of row.path.slice(0, -1)) await setStatus(id, status);
      const reply = await server.request('PATCH', `/api/v1/campaigns/${id}/status`, {
        body: { status: row.path.at(-1) },
      });
      assert.equal(reply.status, row.status, reply.text);
      if (row.campaignStatus) assert.equal(reply.body.data.status, row.campaignStatus);
      if (row.allowed) {
        assert.equal(reply.body.error.code, 'INVALID_TRANSITION');
        assert.deepEqual(reply.body.error.allowed, row.allowed);
      }
    });
  }

  test('archived campaigns are hidden from the list until asked for', async () => {
    const id = await createCampaign('Hidden');
    await setStatus(id, 'ARCHIVED');
    const listed = async (query) =>
      (await server.request('GET', `/api/v1/campaigns?limit=100${query}`)).body.data.campaigns.some((c) => c.id === id);
    assert.equal(await listed(''), false);
    assert.equal(await listed('&includeArchived=true'), true);
    assert.equal(await listed('&status=ARCHIVED'), true);
  });
});

describe('Smartlead: export, stop, archive, delete', () => {
  async function populatedCampaign(name, leadCount) {
    const id = await createCampaign(name);
    const leads = Array.from({ length: leadCount }, (_, i) => ({ email: `${name.replace(/\W/g, '')}${i}@example.com` }));
    const added = await server.request('POST', `/api/v1/campaigns/${id}/leads`, { body: { leads } });
    assert.equal(added.body.data.added, leadCount);
    for (const body of ['Step one', 'Step two']) {
      assert.equal((await server.request('POST', `/api/v1/campaigns/${id}/sequences`, { body: { body } })).status, 201);
    }
    const hook = await server.request('POST', `/api/v1/campaigns/${id}/webhooks`, {
      body: { url: 'https://hooks.example.com/leadline', events: ['email.replied'] },
    });
    assert.equal(hook.status, 201);
    const activity = await server.admin({ command: 'seed-campaign-activity', workspaceId: server.workspaceId, campaignId: id });
    assert.equal(activity.data.statistics, leadCount);
    await setStatus(id, 'START');
    return id;
  }

  // curl -X PATCH "…/status?api_key=YOUR_KEY" -d '{"status": "STOPPED"}' (curl's default form content type)
  async function stopAsSmartleadDoes(id) {
    const key = encodeURIComponent(server.workspaceKey);
    const stopped = await fetch(`${server.baseUrl}/api/v1/campaigns/${id}/status?api_key=${key}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '{"status": "STOPPED"}',
    });
    assert.equal(stopped.status, 200, await stopped.clone().text());
    assert.equal((await stopped.json()).data.status, 'stopped');
  }

  test('Smartlead\'s "stop first, then delete" works on a draft too', async () => {
    const draft = (await server.request('POST', '/api/v1/campaigns', { body: { name: 'Never started' } })).body.data.id;
    await stopAsSmartleadDoes(draft);
    const key = encodeURIComponent(server.workspaceKey);
    const deleted = await fetch(`${server.baseUrl}/api/v1/campaigns/${draft}?api_key=${key}`, { method: 'DELETE' });
    assert.equal(deleted.status, 200);
  });

  test('Smartlead\'s sample requests with ?api_key=: export, stop, delete; everything owned goes, other campaigns stay', async () => {
    const doomed = await populatedCampaign('Doomed', 30);
    const kept = await populatedCampaign('Kept', 20);
    const keptBefore = await campaignCounts(kept);
    const leadsBefore = await server.request('GET', '/api/v1/leads?limit=100&search=doomed');
    assert.equal(leadsBefore.body.data.leads.length, 30);
    const key = encodeURIComponent(server.workspaceKey);

    // curl "…/campaigns/123/leads-export?api_key=YOUR_KEY"
    const exported = await fetch(`${server.baseUrl}/api/v1/campaigns/${doomed}/leads-export?api_key=${key}`);
    assert.equal(exported.status, 200);
    assert.equal(exported.headers.get('content-type'), 'text/csv; charset=utf-8');
    const csv = await exported.text();
    assert.equal(csv.split('\r\n').filter(Boolean).length, 31);

    // An active campaign is not deleted without force.
    const refused = await fetch(`${server.baseUrl}/api/v1/campaigns/${doomed}?api_key=${key}`, { method: 'DELETE' });
    assert.equal(refused.status, 409);
    assert.match((await refused.json()).error.message, /Stop it first/);
    assert.equal((await campaignCounts(doomed)).leads.total, 30);

    await stopAsSmartleadDoes(doomed);

    // curl -X DELETE "…/campaigns/123?api_key=YOUR_API_KEY"
    const deleted = await fetch(`${server.baseUrl}/api/v1/campaigns/${doomed}?api_key=${key}`, { method: 'DELETE' });
    assert.equal(deleted.status, 200);
    const body = await deleted.json();
    assert.equal(body.success, true);
    assert.equal(body.message, 'Campaign deleted successfully');
    assert.deepEqual(body.data.deleted, {
      sequences: 2,
      leadMemberships: 30,
      statistics: 30,
      webhooks: 1,
      scheduledEmails: 30,
      messages: 30,
    });

    assert.equal((await server.request('GET', `/api/v1/campaigns/${doomed}`)).status, 404);
    assert.equal((await server.request('GET', `/api/v1/campaigns/${doomed}/sequences`)).status, 404);
    assert.equal((await server.request('DELETE', `/api/v1/campaigns/${doomed}`)).status, 404);
    assert.deepEqual(await campaignCounts(kept), keptBefore, 'the other campaign keeps everything');
    const leadsAfter = await server.request('GET', '/api/v1/leads?limit=100&search=doomed');
    assert.equal(leadsAfter.body.data.leads.length, 30, 'the leads themselves stay');
    const membersFilter = await server.request('GET', `/api/v1/leads?campaignId=${doomed}`);
    assert.equal(membersFilter.body.data.leads.length, 0);
  });

  test('archive instead: reversible, keeps all data, hidden from the active list', async () => {
    const id = await populatedCampaign('Archived', 5);
    const before = await campaignCounts(id);
    const archived = await fetch(`${server.baseUrl}/api/v1/campaigns/${id}/status?api_key=${encodeURIComponent(server.workspaceKey)}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: '{"status": "ARCHIVED"}',
    });
    assert.equal(archived.status, 200);
    assert.deepEqual(await campaignCounts(id), before);
    const restored = await setStatus(id, 'START');
    assert.equal(restored.status, 'active');
    assert.deepEqual((await campaignCounts(id)).leads, before.leads);
  });

  test('force=true deletes an active campaign; another workspace cannot see or delete it', async () => {
    const id = await populatedCampaign('Forced', 3);
    const other = await server.admin({ command: 'create-workspace', name: 'Elsewhere' });
    const otherKey = (await server.admin({ command: 'create-key', workspaceId: other.data.id })).data.key;
    const foreign = await server.request('DELETE', `/api/v1/campaigns/${id}?force=true`, { key: otherKey });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.message, 'Campaign not found');
    assert.equal((await campaignCounts(id)).leads.total, 3);
    const forced = await server.request('DELETE', `/api/v1/campaigns/${id}?force=true`);
    assert.equal(forced.status, 200);
    assert.equal(forced.body.data.deleted.leadMemberships, 3);
  });

  test('a key restricted to other campaigns gets 403 Forbidden and changes nothing', async () => {
    const mine = await createCampaign('Mine');
    const theirs = await populatedCampaign('Theirs', 2);
    const restricted = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId, campaignIds: [mine] })).data.key;
    for (const [method, path] of [
      ['GET', `/api/v1/campaigns/${theirs}`],
      ['DELETE', `/api/v1/campaigns/${theirs}?force=true`],
      ['GET', `/api/v1/campaigns/${theirs}/leads-export`],
      ['GET', '/api/v1/leads'],
    ]) {
      const reply = await server.request(method, path, { key: restricted });
      assert.equal(reply.status, 403, `${method} ${path}`);
      assert.equal(reply.body.error.message, 'Forbidden');
    }
    assert.equal((await campaignCounts(theirs)).leads.total, 2);
    const read = await server.request('GET', `/api/v1/campaigns/${mine}`, { key: restricted });
    assert.equal(read.status, 200);
  });

  test('the export streams thousands of rows in chunks, with formula cells neutralised', async () => {
    const id = await createCampaign('Big export');
    const leads = Array.from({ length: 5000 }, (_, i) => ({ email: `big-export-${i}@example.com` }));
    leads[1] = { email: 'formula@example.com', firstName: '=HYPERLINK("http://evil")', phoneNumber: '+1 555 123 4567' };
    assert.equal((await server.request('POST', `/api/v1/campaigns/${id}/leads`, { body: { leads } })).body.data.added, 5000);
    const response = await fetch(`${server.baseUrl}/v1/campaigns/${id}/leads-export`, {
      headers: { 'x-api-key': server.workspaceKey },
    });
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    assert.match(response.headers.get('content-disposition'), /^attachment; filename="campaign-cmp_[0-9a-f]{16}-leads\.csv"$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark, for Excel');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('leadId,email,'));
    const rows = text.split('\r\n').filter(Boolean);
    assert.equal(rows.length, 5001);
    assert.ok(rows.some((row) => row.includes(',formula@example.com,"\'=HYPERLINK(""http://evil"")",,,,\'+15551234567,')));
  });

  test('sequences and webhooks: create, list and delete over HTTP', async () => {
    const id = await createCampaign('Owned');
    const step = await server.request('POST', `/api/v1/campaigns/${id}/sequences`, { body: { subject: 'Hi', body: 'Hello' } });
    assert.equal(step.status, 201);
    assert.equal(step.body.data.stepNumber, 1);
    const steps = await server.request('GET', `/api/v1/campaigns/${id}/sequences`);
    assert.deepEqual(steps.body.data.sequences, [step.body.data]);
    const removed = await server.request('DELETE', `/api/v1/campaigns/${id}/sequences/${step.body.data.id}`);
    assert.equal(removed.status, 200);
    const hook = await server.request('POST', `/api/v1/campaigns/${id}/webhooks`, {
      body: { url: 'https://example.com/hook', events: ['email.sent', 'lead.added'] },
    });
    assert.equal(hook.status, 201);
    // The signing secret is in the create reply only.
    const { secret, ...listedShape } = hook.body.data;
    assert.match(secret, /^whsec_/);
    assert.deepEqual((await server.request('GET', `/api/v1/campaigns/${id}/webhooks`)).body.data.webhooks, [listedShape]);
    const bad = await server.request('POST', `/api/v1/campaigns/${id}/webhooks`, { body: { url: 'https://example.com', events: [] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'events');
  });
});
