// Upserts over real HTTP: the shared cases (tests/fixtures/upsert_cases.json) through POST /leads
// as a batch entry and as one lead, and through a CSV import; `onDuplicate` checked like any field.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiData, expandFixture, readFixture, startTestServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const { cases } = readFixture('upsert_cases.json');
let run = 0;
// Each case in its own spelling of the addresses and ids, so the cases share one workspace.
function unique(value, tag) {
  return JSON.parse(JSON.stringify(value).replaceAll('@upsert.example', `@${tag}.upsert.example`).replaceAll('"crm-', `"crm-${tag}-`));
}

async function checkAfter(id, expected, tag) {
  const lead = await apiData(server, 'GET', `/api/v1/leads/${id}`);
  for (const [field, value] of Object.entries(unique(expandFixture(expected), tag))) assert.deepEqual(lead[field], value, field);
}

async function waitForJob(id) {
  for (;;) {
    const job = await apiData(server, 'GET', `/api/v1/jobs/${id}`);
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('onDuplicate', () => {
  for (const row of cases) {
    test(`${row.name} (batch entry)`, async () => {
      const tag = `b${(run += 1)}`;
      const stored = await apiData(server, 'POST', '/api/v1/leads', unique(expandFixture(row.stored), tag));
      const reply = await server.request('POST', '/api/v1/leads', { body: { leads: [unique(row.entry, tag)], onDuplicate: row.onDuplicate } });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.data.results[0].status, row.outcome);
      await checkAfter(stored.id, row.after, tag);
    });
    test(`${row.name} (one lead)`, async () => {
      const tag = `o${(run += 1)}`;
      const stored = await apiData(server, 'POST', '/api/v1/leads', unique(expandFixture(row.stored), tag));
      const reply = await server.request('POST', '/api/v1/leads', { body: { ...unique(row.entry, tag), onDuplicate: row.onDuplicate } });
      const expected = { updated: 200, skipped: 200, suppressed: 422 }[row.outcome] ?? (row.name.includes('limit') ? 400 : 409);
      assert.equal(reply.status, expected, reply.text);
      if (reply.status === 200) assert.equal(reply.body.data.id, stored.id);
      await checkAfter(stored.id, row.after, tag);
    });
  }

  test('an import with onDuplicate update fills stored leads, and error reports each duplicate row', async () => {
    const stored = await apiData(server, 'POST', '/api/v1/leads', { email: 'csv-row@upsert.example', firstName: 'Kept', companyName: 'Old' });
    const csv = 'Email,First Name,Company,Tags\r\ncsv-row@upsert.example,,New Co,imported\r\ncsv-new@upsert.example,Nia,,\r\n';
    const queued = await apiData(server, 'POST', '/api/v1/leads/import', { csv, onDuplicate: 'update' });
    const job = await waitForJob(queued.id);
    assert.equal(job.result.updated, 1);
    assert.equal(job.result.created, 1);
    const lead = await apiData(server, 'GET', `/api/v1/leads/${stored.id}`);
    assert.equal(lead.firstName, 'Kept');
    assert.equal(lead.companyName, 'New Co');
    assert.deepEqual(lead.tags, ['imported']);

    const refused = await apiData(server, 'POST', '/api/v1/leads/import', { csv, onDuplicate: 'error' });
    const report = (await waitForJob(refused.id)).result;
    assert.equal(report.failed, 2);
    assert.equal(report.errors[0].message, `duplicate: its email belongs to ${stored.id}`);
  });

  test('an unknown policy is a 400 naming onDuplicate, and nothing is created', async () => {
    for (const body of [
      { email: 'nope@upsert.example', onDuplicate: 'merge' },
      { leads: [{ email: 'nope@upsert.example' }], onDuplicate: true },
      { csv: 'email\nnope@upsert.example\n', onDuplicate: 'replace' },
    ]) {
      const target = body.csv ? '/api/v1/leads/import' : '/api/v1/leads';
      const reply = await server.request('POST', target, { body });
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.body.error.field, 'onDuplicate');
    }
    assert.equal((await apiData(server, 'GET', '/api/v1/leads?search=nope%40upsert')).leads.length, 0);
  });
});
