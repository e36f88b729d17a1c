// The suppression list over real HTTP: the matching rules from the shared fixtures, and the
// list holding wherever a person could come back in — a batch, a CSV import, a campaign add, a
// restore — including after the lead that made the entry is deleted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFixture, startTestServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const send = (method, target, body) => server.request(method, target, body === undefined ? {} : { body });

async function jobDone(jobId) {
  for (;;) {
    const job = (await send('GET', `/api/v1/jobs/${jobId}`)).body.data;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function lift(id) {
  const reply = await send('DELETE', `/api/v1/suppressions/${id}`);
  assert.equal(reply.status, 200, reply.text);
}

test('domain entries cover the domain and its subdomains, look-alikes never (fixture table)', async () => {
  const { covers, domains } = readFixture('suppression_matching.json');
  for (const [entry, domain, covered] of covers) {
    const added = await send('POST', '/api/v1/suppressions', { entries: [{ domain: entry }] });
    assert.equal(added.status, 201, added.text);
    const checked = await send('GET', `/api/v1/suppressions/check?email=${encodeURIComponent(`someone@${domain}`)}`);
    assert.equal(checked.body.data.suppressed, covered, `${entry} covers ${domain}`);
    const [listed] = (await send('GET', `/api/v1/suppressions?kind=domain&search=${encodeURIComponent(entry)}`)).body.data.suppressions;
    await lift(listed.id);
  }
  // The domain forms: a refused one is an invalid entry, reported by index; a good one is stored normalised.
  const reply = await send('POST', '/api/v1/suppressions', { entries: domains.map(([raw]) => ({ domain: raw })), dryRun: true });
  assert.equal(reply.status, 201, reply.text);
  const refused = domains.filter(([, normal]) => normal === null).length;
  assert.equal(reply.body.data.invalid, refused);
  assert.deepEqual(reply.body.data.errors.map((error) => error.index),
    domains.flatMap(([, normal], index) => (normal === null ? [index] : [])));
});

test('a CSV import reports suppressed rows with row and line, and creates the rest', async () => {
  const added = await send('POST', '/api/v1/suppressions', { entries: [{ email: 'blocked@import.example' }, { phoneNumber: '+15557770000' }] });
  assert.equal(added.body.data.added, 2);
  const csv = 'Email,Phone\r\nfine@import.example,\r\nBlocked@Import.example,\r\nother@import.example,+1 555 777 0000\r\nfine2@import.example,\r\n';
  const queued = await send('POST', '/api/v1/leads/import', { csv, mapping: { email: 'Email', phoneNumber: 'Phone' } });
  assert.equal(queued.status, 202, queued.text);
  const job = await jobDone(queued.body.data.id);
  assert.equal(job.status, 'succeeded');
  assert.equal(job.result.created, 2);
  assert.equal(job.result.suppressed, 2);
  assert.deepEqual(job.result.suppressedRows.map(({ row, line, field }) => ({ row, line, field })), [
    { row: 2, line: 3, field: 'email' },
    { row: 3, line: 4, field: 'phoneNumber' },
  ]);
});

test('an unsubscribed lead stays out after it is deleted: no batch, import or campaign add brings it back', async () => {
  const created = await send('POST', '/api/v1/leads', { email: 'quit@cycle.example', firstName: 'Quit' });
  const id = created.body.data.id;
  assert.equal((await send('PATCH', `/api/v1/leads/${id}`, { status: 'unsubscribed' })).status, 200);
  const deleted = await send('DELETE', `/api/v1/leads/${id}`);
  assert.equal(deleted.status, 200, deleted.text);

  const entry = (await send('GET', '/api/v1/suppressions/check?email=quit@cycle.example')).body.data;
  assert.equal(entry.suppressed, true);
  assert.equal(entry.entry.source, 'unsubscribed');
  assert.equal(entry.entry.leadId, id);

  const batch = await send('POST', '/api/v1/leads', { leads: [{ email: 'quit@cycle.example' }, { email: 'stay@cycle.example' }] });
  assert.equal(batch.body.data.suppressed, 1);
  assert.equal(batch.body.data.results[0].status, 'suppressed');
  const job = await jobDone((await send('POST', '/api/v1/leads/import', { csv: 'Email\nquit@cycle.example\n' })).body.data.id);
  assert.equal(job.result.suppressed, 1);
  assert.equal(job.result.created, 0);

  const campaign = (await send('POST', '/api/v1/campaigns', { name: 'Cycle' })).body.data.id;
  const add = await send('POST', `/api/v1/campaigns/${campaign}/leads`, { leads: [{ email: 'quit@cycle.example' }] });
  assert.equal(add.body.data.suppressed, 1);
  assert.equal(add.body.data.created, 0);

  // Undo gives the lead itself back — the entry its own unsubscribe made does not keep it out —
  // and it is still suppressed.
  const restored = await send('POST', `/api/v1/receipts/${deleted.body.data.receiptId}/restore`);
  assert.equal(restored.status, 200, restored.text);
  assert.equal(restored.body.data.restored.leads, 1);
  assert.deepEqual(restored.body.data.conflicts, []);
  assert.equal((await send('GET', `/api/v1/leads/${id}`)).body.data.status, 'unsubscribed');
  const again = await send('POST', `/api/v1/campaigns/${campaign}/leads`, { leads: [{ leadId: id }] });
  assert.equal(again.body.data.suppressed, 1);
});

test('complaint and erased entries are named in /meta as the ones a key cannot lift', async () => {
  const meta = (await send('GET', '/api/v1/meta')).body.data;
  assert.deepEqual(meta.suppressionKinds, ['email', 'domain', 'phoneNumber']);
  assert.deepEqual(meta.lockedSuppressionSources, ['complaint', 'erased']);
  const refused = await send('DELETE', '/api/v1/suppressions/sup_0000000000000001');
  assert.equal(refused.status, 404);
});
