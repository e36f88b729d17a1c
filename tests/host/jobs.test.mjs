// CSV import as a job over HTTP: 100,000 rows, progress, responsiveness, cancel, idempotency.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { readFixture, repoRoot, startTestServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

function csvOf(rows, prefix) {
  const lines = ['Email,First Name,Company,Tags'];
  for (let i = 0; i < rows; i += 1) lines.push(`${prefix}${i}@example.com,Name ${i},"Acme, Inc.",import`);
  return `${lines.join('\r\n')}\r\n`;
}

async function waitFor(jobId, predicate) {
  for (;;) {
    const job = (await server.request('GET', `/api/v1/jobs/${jobId}`)).body.data;
    if (predicate(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a 100,000-row import runs as a job while the server keeps answering', async () => {
  const csv = csvOf(100000, 'big');
  const queued = await server.request('POST', '/api/v1/leads/import', {
    body: { csv, mapping: { email: 'Email', firstName: 'First Name', companyName: 'Company', tags: 'Tags' } },
  });
  assert.equal(queued.status, 202, queued.text);
  assert.equal(queued.body.data.total, 100000);
  assert.equal(queued.headers.get('location'), `/api/v1/jobs/${queued.body.data.id}`);

  // Requests are answered between slices: we see the job part-way, more than once.
  const seen = [];
  for (;;) {
    const health = await server.request('GET', '/api/v1/health', { key: null });
    assert.equal(health.status, 200);
    const job = (await server.request('GET', `/api/v1/jobs/${queued.body.data.id}`)).body.data;
    seen.push(job.processed);
    if (job.status === 'succeeded') break;
    assert.ok(['queued', 'running'].includes(job.status), job.status);
  }
  const partway = seen.filter((processed) => processed > 0 && processed < 100000);
  assert.ok(partway.length >= 2, `progress seen: ${seen.join(', ')}`);
  assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'progress only grows');

  const done = (await server.request('GET', `/api/v1/jobs/${queued.body.data.id}`)).body.data;
  assert.equal(done.processed, 100000);
  assert.equal(done.result.created, 100000);
  assert.deepEqual(done.result.errors, []);
  const lead = (await server.request('GET', '/api/v1/leads?search=big99999@example.com')).body.data.leads[0];
  assert.equal(lead.companyName, 'Acme, Inc.');
  assert.deepEqual(lead.tags, ['import']);

  // Importing the same file again creates nothing: every row is a duplicate.
  const again = await server.request('POST', '/api/v1/leads/import', { body: { csv: csvOf(3000, 'big') } });
  const redone = await waitFor(again.body.data.id, (job) => job.status === 'succeeded');
  assert.equal(redone.result.created, 0);
  assert.equal(redone.result.skipped, 3000);
});

test('a cancelled import stops; rows already imported are reported and kept', async () => {
  const queued = await server.request('POST', '/api/v1/leads/import', { body: { csv: csvOf(60000, 'cancel') } });
  assert.equal(queued.status, 202);
  const cancelled = await server.request('POST', `/api/v1/jobs/${queued.body.data.id}/cancel`);
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.data.status, 'cancelled');
  const job = (await server.request('GET', `/api/v1/jobs/${queued.body.data.id}`)).body.data;
  assert.equal(job.status, 'cancelled');
  assert.ok(job.processed < 60000);
  assert.equal(job.result.created, job.processed);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const later = (await server.request('GET', `/api/v1/jobs/${queued.body.data.id}`)).body.data;
  assert.equal(later.processed, job.processed, 'nothing more was imported after the cancel');
  assert.equal((await server.request('POST', `/api/v1/jobs/${queued.body.data.id}/cancel`)).status, 409);
});

test('per-row errors name the row and line; a retried import with the same Idempotency-Key is the same job', async () => {
  const csv = 'email,firstName\nok-1@example.com,A\nnot an email,B\nok-2@example.com,C,extra\n';
  const headers = { 'idempotency-key': `import-${Date.now()}` };
  const queued = await server.request('POST', '/api/v1/leads/import', { body: { csv }, headers });
  assert.equal(queued.status, 202);
  const retry = await server.request('POST', '/api/v1/leads/import', { body: { csv }, headers });
  assert.equal(retry.text, queued.text);
  const done = await waitFor(queued.body.data.id, (job) => job.status === 'succeeded');
  assert.equal(done.result.created, 1);
  assert.equal(done.result.failed, 2);
  assert.deepEqual(done.result.errors.map((error) => [error.row, error.line]), [[2, 3], [3, 4]]);
  const listed = await server.request('GET', '/api/v1/jobs?limit=1');
  assert.equal(listed.body.data.jobs[0].id, queued.body.data.id);
  const refused = await server.request('POST', '/api/v1/leads/import', { body: { csv: 'name\nx\n' } });
  assert.equal(refused.status, 400);
});

test('a filter delete of 10,500 leads runs as a job; its receipt restores them all', async () => {
  for (let batch = 0; batch < 3; batch += 1) {
    const leads = Array.from({ length: 3500 }, (_, i) => ({ email: `bulkdel-${batch}-${i}@example.com`, tags: ['bulkdel'] }));
    assert.equal((await server.request('POST', '/api/v1/leads', { body: { leads } })).status, 201);
  }
  const body = { deleteAll: true, filters: { tags: ['bulkdel'] } };
  const queued = await server.request('DELETE', '/api/v1/leads', { body });
  assert.equal(queued.status, 202, queued.text);
  assert.equal(queued.body.data.matchedCount, 10500);
  assert.equal(queued.headers.get('location'), `/api/v1/jobs/${queued.body.data.job.id}`);
  const done = await waitFor(queued.body.data.job.id, (job) => job.status === 'succeeded');
  assert.equal(done.result.deleted, 10500);
  const left = await server.request('GET', '/api/v1/leads?tags=bulkdel&limit=1');
  assert.deepEqual(left.body.data.leads, []);
  const restored = await server.request('POST', `/api/v1/receipts/${queued.body.data.receiptId}/restore`);
  assert.equal(restored.status, 200);
  assert.equal(restored.body.data.restored.leads, 10500);
  const back = await server.request('GET', '/api/v1/leads/export?tags=bulkdel');
  assert.equal(back.body.data.leads.length, 10500);
});

// The header table: the core's (GET /meta importHeaders), the fixture's exports, and the docs.
test('CSV headers of CRM and outreach exports map to lead fields (tests/fixtures/import_headers.json), and the docs show the core\'s table', async () => {
  for (const row of readFixture('import_headers.json').cases) {
    const csv = `${row.headers.join(',')}\nx\n`;
    const reply = await server.request('POST', '/api/v1/leads/import', { body: { csv } });
    if (row.error) {
      assert.equal(reply.status, 400, row.name);
      assert.ok(reply.body.error.message.includes(row.error), `${row.name}: ${reply.body.error.message}`);
      continue;
    }
    assert.equal(reply.status, 202, `${row.name}: ${reply.text}`);
    assert.deepEqual(reply.body.data.result.mappedColumns, row.mapped, row.name);
    assert.deepEqual(reply.body.data.result.ignoredColumns, row.ignored, row.name);
  }
  const { importHeaders } = (await server.request('GET', '/api/v1/meta')).body.data;
  const docs = fs.readFileSync(path.join(repoRoot, 'docs/api-conventions.md'), 'utf8');
  const documented = Object.fromEntries(
    [...docs.matchAll(/^\| `(\w+)` \| (.+) \|$/gm)].filter(([, field]) => field in importHeaders).map(([, field, list]) => [field, list.split(', ')]),
  );
  assert.deepEqual(documented, importHeaders, 'docs/api-conventions.md shows the core\'s header table');
});
