// Erasure over real HTTP against the real server process: a person with unique values is taken
// through every feature, erased, and after the server stops (its databases checkpointed and
// closed) no file of the data folder holds any of their bytes — WAL and free pages included —
// nor after a restart; the person stays suppressed as a hash.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { httpClient, spawnServer, tempDir } from './helpers.mjs';

const person = {
  email: 'zephyrine.quallsworth@forget-me.example',
  firstName: 'Zephyrine',
  lastName: 'Quallsworth',
  phoneNumber: '+1 (555) 246-8013',
  externalId: 'hubspot-record-99173',
};
const NEEDLES = [person.email, person.firstName, person.lastName, '+15552468013', '(555) 246-8013', person.externalId];

function filesHolding(folder) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) {
        const bytes = fs.readFileSync(file);
        for (const needle of NEEDLES) if (bytes.includes(needle)) found.push(`${path.relative(folder, file)} holds ${needle}`);
      }
    }
  };
  walk(folder);
  return found;
}

async function stop(server) {
  server.child.kill('SIGTERM');
  await server.exited;
}

async function jobDone(request, id) {
  for (;;) {
    const job = (await request('GET', `/api/v1/jobs/${id}`)).body.data;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('an erased person leaves no byte in the data folder, after a stop and after a restart', async () => {
  const dataDir = path.join(tempDir(), 'data');
  const first = spawnServer(dataDir);
  const request = httpClient(await first.ready, first.workspaceKey());
  const ok = async (method, target, body, headers) => {
    const reply = await request(method, target, { body, headers });
    assert.ok(reply.status < 300, `${method} ${target}: ${reply.status} ${reply.text.slice(0, 300)}`);
    return reply.body.data;
  };
  try {
    const lead = await ok('POST', '/api/v1/leads', { ...person, tags: ['gdpr'], customFields: { pet: `${person.firstName}'s cat` } },
      { 'idempotency-key': 'create-zephyrine' });
    await ok('POST', '/api/v1/leads', { email: 'stays@forget-me.example', firstName: 'Stays' });
    const campaign = await ok('POST', '/api/v1/campaigns', { name: 'Forget' });
    await ok('POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: [{ leadId: lead.id }] });
    await ok('PATCH', `/api/v1/leads/${lead.id}`, { jobTitle: `${person.lastName} & Co` });
    const deleted = await ok('DELETE', '/api/v1/leads', { leadIds: [lead.id] });
    await ok('POST', `/api/v1/receipts/${deleted.receiptId}/restore`);
    const csv = `Email,First Name,Phone\n${person.email},${person.firstName},${person.phoneNumber}\n`;
    const job = await ok('POST', '/api/v1/leads/import', { csv });
    assert.equal((await jobDone(request, job.id)).status, 'succeeded');
    const exported = await request('GET', '/api/v1/leads/export?format=csv');
    assert.ok(exported.text.includes(person.email), 'the export carried the person');
    await ok('POST', '/api/v1/leads/bulk-delete', { campaignId: campaign.id, leads: [{ externalId: person.externalId }] });

    const preview = await ok('POST', `/api/v1/leads/erase`, { emails: [person.email], dryRun: true });
    const erased = await ok('POST', '/api/v1/leads/erase', { emails: [person.email.toUpperCase()], expectedCount: preview.erasedLeads });
    assert.ok(erased.erasedLeads >= 1);
    assert.ok(erased.erased.auditEntries >= 4, JSON.stringify(erased));
    assert.equal(erased.erased.idempotentReplies, 1);
    assert.equal((await request('GET', `/api/v1/leads/${lead.id}`)).status, 404);
    const refused = await request('POST', '/api/v1/leads', { body: { email: person.email } });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'SUPPRESSED');
    assert.equal(refused.body.error.details.suppressionId, undefined, 'a hashed entry is not named');
    const audit = await ok('GET', '/api/v1/audit?limit=100');
    assert.ok(!JSON.stringify(audit).includes(person.email));
    assert.deepEqual(audit.entries.find((entry) => entry.route === 'POST /leads/erase').request, { erasure: true });
  } finally {
    await stop(first);
  }
  assert.deepEqual(filesHolding(dataDir), []);

  const second = spawnServer(dataDir);
  try {
    const again = httpClient(await second.ready, first.workspaceKey());
    assert.equal((await again('POST', '/api/v1/leads', { body: { email: person.email } })).status, 422);
    const stays = await again('GET', '/api/v1/leads?search=Stays');
    assert.equal(stays.body.data.leads.length, 1, 'the erasure took no one else');
  } finally {
    await stop(second);
  }
  assert.deepEqual(filesHolding(dataDir), []);
});
