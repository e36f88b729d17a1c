// PATCH /leads over real HTTP: edits by filter and by ids, previews, count guards, refusals that
// change nothing, the receipt that undoes an edit, protected statuses, and a large edit as a job.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiData, readFixture, startTestServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

let counter = 0;
async function createLeads(count, fields = {}) {
  const ids = [];
  for (let start = 0; start < count; start += 5000) {
    const leads = [];
    for (let i = start; i < Math.min(count, start + 5000); i++) leads.push({ email: `edit${counter++}@example.com`, ...fields });
    const data = await apiData(server, 'POST', '/api/v1/leads', { leads });
    ids.push(...data.results.map((result) => result.id));
  }
  return ids;
}

const lead = (id) => apiData(server, 'GET', `/api/v1/leads/${id}`);
const edit = (body) => server.request('PATCH', '/api/v1/leads', { body });

async function waitForJob(location) {
  for (;;) {
    const job = await apiData(server, 'GET', location.replace(/^.*\/api\/v1/, '/api/v1'));
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('PATCH /leads', () => {
  test('edits every lead a filter matches and no other', async () => {
    const inside = await createLeads(3, { tags: ['webinar'], customFields: { tier: 'silver', seat: 1 } });
    const outside = await createLeads(2, { tags: ['other'] });
    const reply = await edit({
      filters: { tags: ['webinar'] },
      set: { status: 'interested', companyName: 'Acme GmbH', customFields: { tier: 'gold', seat: null } },
      addTags: ['nurture'],
      removeTags: ['webinar'],
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.data.updatedCount, 3);
    assert.equal(reply.body.data.matchedCount, 3);
    assert.match(reply.body.data.receiptId, /^rcp_/);
    for (const id of inside) {
      const got = await lead(id);
      assert.equal(got.status, 'interested');
      assert.equal(got.companyName, 'Acme GmbH');
      assert.deepEqual(got.tags, ['nurture']);
      assert.deepEqual(got.customFields, { tier: 'gold' });
    }
    for (const id of outside) {
      const got = await lead(id);
      assert.equal(got.status, 'new');
      assert.deepEqual(got.tags, ['other']);
    }
    // The tag index follows: a filter by the new tag finds exactly the edited leads.
    const tagged = await apiData(server, 'GET', '/api/v1/leads?tags=nurture&limit=100');
    assert.deepEqual(tagged.leads.map((row) => row.id).sort(), [...inside].sort());
    assert.equal((await apiData(server, 'GET', '/api/v1/leads?tags=webinar')).leads.length, 0);
    const audit = await apiData(server, 'GET', '/api/v1/audit?route=PATCH%20/leads');
    assert.equal(audit.entries[0].receiptId, reply.body.data.receiptId);
  });

  test('by ids reports the ids it did not find, and a lead already as asked is matched, not updated', async () => {
    const [first, second] = await createLeads(2, { tags: ['keep'] });
    await apiData(server, 'PATCH', `/api/v1/leads/${second}`, { tags: ['keep', 'vip'] });
    const reply = await edit({ leadIds: [first, second, 'lead_00000000000000ff', 'not-ours'], addTags: ['vip'] });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.data.matchedCount, 2);
    assert.equal(reply.body.data.updatedCount, 1);
    assert.deepEqual(reply.body.data.notFoundIds, ['lead_00000000000000ff', 'not-ours']);
    assert.deepEqual((await lead(first)).tags, ['keep', 'vip']);
  });

  test('a dry run shows before and after for a sample and changes nothing', async () => {
    const ids = await createLeads(2, { tags: ['preview-me'], jobTitle: 'CTO' });
    const reply = await edit({ filters: { tags: ['preview-me'] }, set: { jobTitle: null }, addTags: ['seen'], dryRun: true });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.data.dryRun, true);
    assert.equal(reply.body.data.updatedCount, 2);
    const sample = reply.body.data.preview.sample;
    assert.equal(sample.length, 2);
    assert.equal(sample[0].before.jobTitle, 'CTO');
    assert.equal(sample[0].after.jobTitle, null);
    assert.deepEqual(sample[0].after.tags, ['preview-me', 'seen']);
    for (const id of ids) assert.equal((await lead(id)).jobTitle, 'CTO');
  });

  test('expectedCount is compared with the matched leads; a mismatch changes nothing', async () => {
    const ids = await createLeads(3, { tags: ['guarded'] });
    const reply = await edit({ filters: { tags: ['guarded'] }, addTags: ['x'], expectedCount: 2 });
    assert.equal(reply.status, 409);
    assert.equal(reply.body.error.code, 'COUNT_MISMATCH');
    assert.deepEqual((await lead(ids[0])).tags, ['guarded']);
    assert.equal((await edit({ filters: { tags: ['guarded'] }, addTags: ['x'], expectedCount: 3 })).status, 200);
  });

  test('bad input is a 400 that names the problem and changes nothing', async () => {
    const [id] = await createLeads(1, { tags: ['untouched'] });
    const taggedX = async () => (await apiData(server, 'GET', '/api/v1/leads?tags=x&limit=100')).leads.length;
    const before = await taggedX();
    for (const { name, body, field } of readFixture('bulk_edit_requests.json').cases) {
      const sent = JSON.parse(JSON.stringify(body).replaceAll('"@lead"', JSON.stringify(id)));
      const reply = await edit(sent);
      assert.equal(reply.status, 400, `${name}: ${reply.text}`);
      assert.equal(reply.body.error.code, 'VALIDATION_ERROR', name);
      assert.equal(reply.body.error.field, field, name);
    }
    assert.deepEqual((await lead(id)).tags, ['untouched']);
    assert.equal(await taggedX(), before);
  });

  test('a lead the edit would take over the tags limit is named, and nothing changes', async () => {
    const many = Array.from({ length: 49 }, (_, i) => `t${i}`);
    const [full] = await createLeads(1, { tags: many });
    const [other] = await createLeads(1, { tags: ['t0'] });
    const reply = await edit({ filters: { tags: ['t0'] }, addTags: ['one', 'two'] });
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.body.error.field, 'addTags');
    assert.equal(reply.body.error.details.leadId, full);
    assert.deepEqual((await lead(other)).tags, ['t0']);
  });

  test('the receipt puts back every changed value, except on leads changed since', async () => {
    const ids = await createLeads(3, {
      tags: ['undo-me', 'stay'],
      status: 'contacted',
      country: 'DE',
      customFields: { tier: 'silver' },
      metadata: { crm: { stage: 2 } },
    });
    const reply = await edit({
      filters: { tags: ['undo-me'] },
      set: { status: 'lost', country: 'FR', customFields: { tier: 'gold', extra: 'x' }, metadata: { crm: { stage: 3 } } },
      addTags: ['moved'],
      removeTags: ['undo-me'],
    });
    assert.equal(reply.status, 200, reply.text);
    await apiData(server, 'PATCH', `/api/v1/leads/${ids[2]}`, { jobTitle: 'Edited later' });
    const restored = await server.request('POST', `/api/v1/receipts/${reply.body.data.receiptId}/restore`, { body: {} });
    assert.equal(restored.status, 200, restored.text);
    assert.equal(restored.body.data.restored.leads, 2);
    assert.equal(restored.body.data.skipped.leads, 1);
    assert.equal(restored.body.data.conflicts[0].leadId, ids[2]);
    for (const id of ids.slice(0, 2)) {
      const got = await lead(id);
      assert.equal(got.status, 'contacted');
      assert.equal(got.country, 'DE');
      assert.deepEqual(got.tags, ['undo-me', 'stay']);
      assert.deepEqual(got.customFields, { tier: 'silver' });
      assert.deepEqual(got.metadata, { crm: { stage: 2 } });
    }
    const later = await lead(ids[2]);
    assert.equal(later.status, 'lost');
    assert.equal(later.jobTitle, 'Edited later');
    const byTag = await apiData(server, 'GET', '/api/v1/leads?tags=undo-me&limit=100');
    assert.deepEqual(byTag.leads.map((row) => row.id).sort(), ids.slice(0, 2).sort());
    const again = await server.request('POST', `/api/v1/receipts/${reply.body.data.receiptId}/restore`, { body: {} });
    assert.equal(again.status, 409);
  });

  test('unsubscribed and bounced stay: an edit never moves a lead out of them, and marking them suppresses', async () => {
    const [gone] = await createLeads(1, { tags: ['status-run'], status: 'unsubscribed' });
    const [live] = await createLeads(1, { tags: ['status-run'] });
    const toActive = await edit({ filters: { tags: ['status-run'] }, set: { status: 'interested' } });
    assert.equal(toActive.body.data.updatedCount, 1);
    assert.equal((await lead(gone)).status, 'unsubscribed');
    assert.equal((await lead(live)).status, 'interested');

    const bounce = await edit({ leadIds: [live], set: { status: 'bounced' } });
    assert.equal(bounce.status, 200, bounce.text);
    const { email } = await lead(live);
    const check = await apiData(server, 'GET', `/api/v1/suppressions/check?email=${encodeURIComponent(email)}`);
    assert.equal(check.suppressed, true);
    const restored = await apiData(server, 'POST', `/api/v1/receipts/${bounce.body.data.receiptId}/restore`, {});
    assert.equal(restored.statusKept, true);
    assert.equal((await lead(live)).status, 'bounced');
  });

  test('more than 10,000 matched leads are edited by a job, and its receipt undoes it', async () => {
    const ids = await createLeads(10_050, { tags: ['big-edit'] });
    const reply = await edit({ filters: { tags: ['big-edit'] }, addTags: ['big-done'], expectedCount: 10_050 });
    assert.equal(reply.status, 202, reply.text);
    assert.equal(reply.body.data.matchedCount, 10_050);
    assert.equal(reply.body.data.job.kind, 'lead_update');
    const job = await waitForJob(reply.headers.get('location'));
    assert.equal(job.status, 'succeeded', JSON.stringify(job));
    assert.equal(job.result.updated, 10_050);
    assert.deepEqual((await lead(ids[10_049])).tags, ['big-edit', 'big-done']);
    const receipt = await apiData(server, 'GET', `/api/v1/receipts/${reply.body.data.receiptId}`);
    assert.equal(receipt.summary.leads, 10_050);
    const restored = await apiData(server, 'POST', `/api/v1/receipts/${reply.body.data.receiptId}/restore`, {});
    assert.equal(restored.restored.leads, 10_050);
    assert.deepEqual((await lead(ids[0])).tags, ['big-edit']);
    assert.equal((await apiData(server, 'GET', '/api/v1/leads?tags=big-done')).leads.length, 0);
  });
});
