// Deleting leads from the console (SendKit's `DELETE /v1/leads` and the one-lead delete): by selection, by filter, one at a time.
// Each shows a preview (counts, protected campaigns, a sample) before anything changes, sends
// the previewed count as a guard, and offers Undo from the delete's receipt.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { apiData } from '../host/helpers.mjs';
import { openConsole } from './browser.mjs';

let ui;
let ids;
before(async () => {
  ui = await openConsole();
  const { server } = ui;
  const created = await apiData(server, 'POST', '/api/v1/leads', {
    leads: Array.from({ length: 20 }, (_, i) => ({ email: `lead${i}@example.com`, firstName: `Lead${i}`, tags: [i < 10 ? 'old' : 'new'] })),
  });
  ids = created.results.map((result) => result.id);
  // lead0 and lead1 are in an active campaign: protected from deletes unless forced.
  const campaign = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Q1 Outreach' });
  await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: [{ leadId: ids[0] }, { leadId: ids[1] }] });
  await apiData(server, 'PATCH', `/api/v1/campaigns/${campaign.id}/status`, { status: 'active' });
  await ui.signIn();
  await ui.page.locator('#leads-table tbody tr[data-lead-id]').first().waitFor();
});
after(() => ui.close());

const dialog = () => ui.page.locator('#preview-dialog');
async function leadCount() {
  return (await apiData(ui.server, 'GET', '/api/v1/leads?limit=100')).leads.length;
}
async function confirm(label) {
  await dialog().getByRole('button', { name: label }).click();
  await dialog().waitFor({ state: 'hidden' });
}

test('deleting selected leads previews them, deletes exactly those, and Undo restores them', async () => {
  const { page } = ui;
  for (const i of [12, 13, 14]) await page.getByRole('checkbox', { name: `Select lead${i}@example.com` }).check();
  assert.equal(await page.locator('#lead-selection').textContent(), '3 leads selected');
  await page.getByRole('button', { name: 'Delete selected…' }).click();
  await dialog().locator('#preview-summary', { hasText: '3 leads will be deleted.' }).waitFor();
  const sample = await dialog().locator('#preview-sample tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(sample.sort(), ['lead12@example.com', 'lead13@example.com', 'lead14@example.com']);
  assert.equal(await leadCount(), 20, 'the preview changed nothing');
  await ui.screenshot('delete-selected-preview');
  await confirm('Delete selected leads');
  await page.locator('#toast-text', { hasText: 'Deleted 3 leads' }).waitFor();
  assert.equal(await leadCount(), 17);
  await page.getByRole('checkbox', { name: 'Select lead12@example.com' }).waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Undo' }).click();
  await page.locator('#toast-text', { hasText: 'Restored 3 leads' }).waitFor();
  assert.equal(await leadCount(), 20);
  await page.getByRole('checkbox', { name: 'Select lead12@example.com' }).waitFor();
});

test('deleting by filter names the protected campaign, and deletes nothing until forced', async () => {
  const { page, server } = ui;
  await page.locator('#lead-filters').getByLabel('Tags, any of (comma-separated)').fill('old');
  await page.locator('#lead-filters').getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('checkbox', { name: 'Select lead19@example.com' }).waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Delete all matching filters…' }).click();
  // The server's own refusal (SendKit's words) — and Confirm stays disabled.
  const refusal = await server.request('DELETE', '/api/v1/leads', { body: { deleteAll: true, filters: { tags: ['old'] }, dryRun: true } });
  assert.equal(refusal.body.error.message, '2 lead(s) are in active campaigns: Q1 Outreach. Pass "force": true to delete anyway.');
  await dialog().locator('#preview-protected', { hasText: refusal.body.error.message }).waitFor();
  assert.match(await dialog().locator('#preview-protected').textContent(), /Active campaigns: Q1 Outreach/);
  assert.equal(await dialog().getByRole('button', { name: 'Delete matching leads' }).isDisabled(), true);
  await ui.screenshot('delete-protected');

  // Export CSV first: the leads this filter selects.
  const downloading = page.waitForEvent('download');
  await dialog().getByRole('link', { name: 'Export CSV first' }).click();
  const csv = fs.readFileSync(await (await downloading).path(), 'utf8');
  assert.equal(csv.trim().split('\r\n').length, 11);

  await dialog().getByLabel(/Delete anyway \(force\)/).check();
  await dialog().locator('#preview-summary', { hasText: '10 leads will be deleted.' }).waitFor();
  assert.match(await dialog().textContent(), /2 leads in active campaigns \(Q1 Outreach\) will be removed from them/);
  assert.equal(await leadCount(), 20);
  await confirm('Delete matching leads');
  await page.locator('#leads-table', { hasText: 'No leads match.' }).waitFor();
  const left = (await apiData(server, 'GET', '/api/v1/leads?limit=100')).leads;
  assert.equal(left.length, 10);
  assert.ok(left.every((lead) => lead.tags[0] === 'new'));
  await page.locator('#lead-filters').getByRole('button', { name: 'Clear' }).click();
});

test('the count guard refuses a delete whose leads changed after the preview', async () => {
  const { page, server } = ui;
  await page.locator('#lead-filters').getByLabel('Tags, any of (comma-separated)').fill('new');
  await page.locator('#lead-filters').getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('button', { name: 'Delete all matching filters…' }).click();
  await dialog().locator('#preview-summary', { hasText: '10 leads will be deleted.' }).waitFor();
  // Someone adds a matching lead between the preview and the confirmation.
  await apiData(server, 'POST', '/api/v1/leads', { email: 'late@example.com', tags: ['new'] });
  await dialog().getByRole('button', { name: 'Delete matching leads' }).click();
  await dialog().getByRole('alert').filter({ hasText: /expected 10|10/ }).waitFor();
  assert.equal((await apiData(server, 'GET', '/api/v1/leads?tags=new&limit=100')).leads.length, 11, 'nothing was deleted');
  await dialog().getByRole('button', { name: 'Cancel' }).click();
  await page.locator('#lead-filters').getByRole('button', { name: 'Clear' }).click();
});

test('one lead is deleted with its "Lead deleted successfully" message and restored by Undo', async () => {
  const { page, server } = ui;
  await page.getByRole('button', { name: 'Delete lead15@example.com' }).click();
  await dialog().locator('#preview-summary', { hasText: 'lead15@example.com will be deleted permanently' }).waitFor();
  await confirm('Delete lead');
  await page.locator('#toast-text', { hasText: 'Lead deleted successfully' }).waitFor();
  assert.equal((await server.request('GET', `/api/v1/leads/${ids[15]}`)).status, 404);
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.locator('#toast-text', { hasText: 'Restored 1 lead' }).waitFor();
  assert.equal((await server.request('GET', `/api/v1/leads/${ids[15]}`)).status, 200);
});

test('the activity view lists the receipts and restores from them after a preview', async () => {
  const { page, server } = ui;
  await page.getByRole('tab', { name: 'Undo & activity' }).click();
  const receipts = page.locator('#receipts-table tbody tr');
  await receipts.first().waitFor();
  // The forced filter delete is the one still restorable with 10 leads.
  const row = receipts.filter({ hasText: 'DELETE /api/v1/leads' }).filter({ hasText: 'restorable' }).filter({ hasText: '10 leads' });
  await ui.screenshot('activity');
  await row.getByRole('button', { name: /^Undo/ }).click();
  await dialog().locator('#preview-summary', { hasText: /Will restore 10 leads/ }).waitFor();
  await confirm('Restore');
  await page.locator('#toast-text', { hasText: /^Restored 10 leads/ }).waitFor();
  assert.equal((await apiData(server, 'GET', '/api/v1/leads?tags=old&limit=100')).leads.length, 10);
  assert.ok(await page.locator('#audit-table tbody tr').count() > 0);
});

test('deleting by filter keeps the selected leads when asked (excludeIds)', async () => {
  const { page, server } = ui;
  await page.getByRole('tab', { name: 'Leads' }).click();
  await page.locator('#lead-filters').getByLabel('Tags, any of (comma-separated)').fill('new');
  await page.locator('#lead-filters').getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('checkbox', { name: 'Select lead0@example.com' }).waitFor({ state: 'detached' });
  const matching = (await apiData(server, 'GET', '/api/v1/leads?tags=new&limit=100')).leads.length;
  await page.getByRole('checkbox', { name: 'Select lead10@example.com' }).check();
  await page.getByRole('checkbox', { name: 'Select lead11@example.com' }).check();
  await page.getByLabel('…but keep the selected leads').check();
  await page.getByRole('button', { name: 'Delete all matching filters…' }).click();
  await dialog().getByRole('heading', { name: 'Delete every lead matching the filters except 2 selected leads' }).waitFor();
  await dialog().locator('#preview-summary', { hasText: `${matching - 2} leads will be deleted.` }).waitFor();
  await confirm('Delete matching leads');
  await page.locator('#toast-text', { hasText: `Deleted ${matching - 2} leads` }).waitFor();
  const kept = (await apiData(server, 'GET', '/api/v1/leads?tags=new&limit=100')).leads.map((lead) => lead.email).sort();
  assert.deepEqual(kept, ['lead10@example.com', 'lead11@example.com']);
  await page.getByLabel('…but keep the selected leads').uncheck();
  await page.locator('#lead-filters').getByRole('button', { name: 'Clear' }).click();
});

test('a lead can be archived instead of deleted', async () => {
  const { page, server } = ui;
  await page.getByRole('button', { name: 'Archive lead5@example.com' }).click();
  await page.locator('#toast-text', { hasText: 'lead5@example.com archived' }).waitFor();
  const lead = await apiData(server, 'GET', `/api/v1/leads/${ids[5]}`);
  assert.equal(lead.status, 'lost');
  assert.equal(lead.metadata.archived, true);
});
