// POST /leads/merge over real HTTP: duplicates folded into one lead with their memberships and
// tags, the better campaign status kept, refusals that change nothing, and the receipt's un-merge.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiData, startTestServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const lead = (id) => server.request('GET', `/api/v1/leads/${id}`);
async function members(campaign) {
  const listed = await apiData(server, 'GET', `/api/v1/campaigns/${campaign}/leads?limit=100`);
  return Object.fromEntries(listed.leads.map((row) => [row.leadId, row.status]));
}

test('duplicates fold into the primary, and the receipt un-merges them', async () => {
  const primary = await apiData(server, 'POST', '/api/v1/leads', { email: 'kim@merge.example', tags: ['crm'], jobTitle: 'Founder' });
  const duplicate = await apiData(server, 'POST', '/api/v1/leads', { email: 'kim.old@merge.example', firstName: 'Kim', jobTitle: 'CEO', tags: ['webinar'] });
  const campaign = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Merge: shared' });
  const solo = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Merge: the duplicate only' });
  await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: [{ leadId: primary.id }, { leadId: duplicate.id }] });
  await apiData(server, 'POST', `/api/v1/campaigns/${solo.id}/leads`, { leads: [{ leadId: duplicate.id }] });

  const preview = await apiData(server, 'POST', '/api/v1/leads/merge', { primaryId: primary.id, duplicateIds: [duplicate.id], dryRun: true });
  assert.equal(preview.dryRun, true);
  assert.equal(preview.lead.firstName, 'Kim');
  assert.equal((await lead(duplicate.id)).status, 200, 'a dry run merges nothing');

  const merged = await apiData(server, 'POST', '/api/v1/leads/merge', { primaryId: primary.id, duplicateIds: [duplicate.id], fields: ['jobTitle'], expectedCount: 1 });
  assert.equal(merged.lead.id, primary.id);
  assert.equal(merged.lead.email, 'kim@merge.example');
  assert.equal(merged.lead.firstName, 'Kim');
  assert.equal(merged.lead.jobTitle, 'CEO');
  assert.deepEqual(merged.lead.tags, ['crm', 'webinar']);
  assert.deepEqual(merged.merged, [duplicate.id]);
  assert.equal((await lead(duplicate.id)).status, 404);
  assert.deepEqual(Object.keys(await members(campaign.id)), [primary.id]);
  assert.deepEqual(Object.keys(await members(solo.id)), [primary.id]);
  // The duplicate's address is free again (it went with the duplicate, restorable from the receipt).
  const receipt = await apiData(server, 'GET', `/api/v1/receipts/${merged.receiptId}`);
  assert.equal(receipt.kind, 'lead_merge');

  const restored = await apiData(server, 'POST', `/api/v1/receipts/${merged.receiptId}/restore`, {});
  assert.equal(restored.restored.leads, 1);
  assert.equal((await lead(duplicate.id)).body.data.jobTitle, 'CEO');
  const back = (await lead(primary.id)).body.data;
  assert.equal(back.jobTitle, 'Founder');
  assert.deepEqual(back.tags, ['crm']);
  assert.deepEqual(Object.keys(await members(campaign.id)).sort(), [primary.id, duplicate.id].sort());
  assert.deepEqual(Object.keys(await members(solo.id)), [duplicate.id]);
});

test('an un-merge of a primary written since keeps its newer values, and an unknown id is a 404', async () => {
  const primary = await apiData(server, 'POST', '/api/v1/leads', { email: 'lee@merge.example' });
  const duplicate = await apiData(server, 'POST', '/api/v1/leads', { email: 'lee2@merge.example', companyName: 'Dup Co' });
  const missing = await server.request('POST', '/api/v1/leads/merge', { body: { primaryId: primary.id, duplicateIds: [duplicate.id, 'lead_00000000000000ff'] } });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'LEAD_NOT_FOUND');
  assert.equal((await lead(duplicate.id)).status, 200);
  const bad = await server.request('POST', '/api/v1/leads/merge', { body: { primaryId: primary.id, duplicateIds: [primary.id] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'duplicateIds[0]');

  const merged = await apiData(server, 'POST', '/api/v1/leads/merge', { primaryId: primary.id, duplicateIds: [duplicate.id] });
  assert.equal(merged.lead.companyName, 'Dup Co');
  await new Promise((resolve) => setTimeout(resolve, 5)); // a later millisecond: the write is "since"
  await apiData(server, 'PATCH', `/api/v1/leads/${primary.id}`, { jobTitle: 'Edited after the merge' });
  const restored = await apiData(server, 'POST', `/api/v1/receipts/${merged.receiptId}/restore`, {});
  assert.equal(restored.primaryKept, true);
  assert.equal((await lead(primary.id)).body.data.jobTitle, 'Edited after the merge');
  assert.equal((await lead(duplicate.id)).status, 200);
});
