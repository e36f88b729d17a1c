// Lupitor's bulk delete from the console (paste external ids and phone numbers, preview, delete, undo) and
// the CSV import with its progress bar.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiData, tempDir } from '../host/helpers.mjs';
import { openConsole } from './browser.mjs';

let ui;
let campaign;
let other;
before(async () => {
  ui = await openConsole();
  const { server } = ui;
  campaign = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Cold calls' });
  other = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Newsletter' });
  const created = await apiData(server, 'POST', '/api/v1/leads', { leads: [
    { externalId: 'crm-1', phoneNumber: '+15551230001' },
    { externalId: 'crm-2', phoneNumber: '+15551230002' },
    { externalId: 'crm-3', phoneNumber: '+15551230003' },
    { externalId: 'crm-4', phoneNumber: '+15551230004' },
  ] });
  const ids = created.results.map((result) => result.id);
  await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: ids.map((leadId) => ({ leadId })) });
  // crm-3 is also in another campaign: it leaves this one and stays as a lead.
  await apiData(server, 'POST', `/api/v1/campaigns/${other.id}/leads`, { leads: [{ leadId: ids[2] }] });
  await ui.signIn();
});
after(() => ui.close());

async function memberCount(campaignId) {
  return (await apiData(ui.server, 'GET', `/api/v1/campaigns/${campaignId}/leads?limit=100`)).leads.length;
}

test('external ids are pasted, checked, previewed and deleted with per-identifier results', async () => {
  const { page, server } = ui;
  await page.getByRole('tab', { name: 'Delete by identifier' }).click();
  const view = page.locator('#identifiers-view');
  await view.getByLabel('Campaign', { exact: true }).selectOption(campaign.id);
  await view.getByLabel('Identifiers, one per line').fill('crm-1\ncrm-3\ncrm-missing\n');
  await view.locator('#identifier-rows tbody tr').nth(2).waitFor();
  assert.deepEqual(await view.locator('#identifier-rows tbody tr td:nth-child(3)').allTextContents(), ['ok', 'ok', 'ok']);
  await view.getByRole('button', { name: 'Preview delete…' }).click();
  const dialog = page.locator('#preview-dialog');
  await dialog.locator('#preview-summary', { hasText: '2 identifiers found and will be removed from the campaign; 1 not found; 1 stay as leads (still in another campaign).' }).waitFor();
  assert.match(await dialog.textContent(), /Not found \(1\)crm-missing/);
  assert.equal(await memberCount(campaign.id), 4);
  await ui.screenshot('identifier-delete-preview');
  await dialog.getByRole('button', { name: 'Delete these leads' }).click();
  await view.locator('#identifier-outcome', { hasText: 'Deleted 2, not found 1, kept in other campaigns 1.' }).waitFor();
  assert.match(await view.locator('#identifier-outcome').textContent(), /Deleted \(2\)crm-1crm-3/);
  assert.equal(await memberCount(campaign.id), 2);
  assert.equal((await apiData(server, 'GET', '/api/v1/leads?limit=100')).leads.length, 3, 'crm-1 deleted, crm-3 kept');

  await page.getByRole('button', { name: 'Undo' }).click();
  await page.locator('#toast-text', { hasText: /^Restored 1 lead, / }).waitFor();
  assert.equal(await memberCount(campaign.id), 4);
});

test('phone numbers are compared in E.164 whatever their punctuation', async () => {
  const { page } = ui;
  const view = page.locator('#identifiers-view');
  await view.getByLabel('The lines are').selectOption('phoneNumber');
  await view.getByLabel('Identifiers, one per line').fill('+1 (555) 123-0002\n+1 555 123 0004\n');
  await view.getByRole('button', { name: 'Preview delete…' }).click();
  const dialog = page.locator('#preview-dialog');
  await dialog.locator('#preview-summary', { hasText: '2 identifiers found' }).waitFor();
  await dialog.getByRole('button', { name: 'Delete these leads' }).click();
  await view.locator('#identifier-outcome', { hasText: 'Deleted 2, not found 0' }).waitFor();
  assert.match(await view.locator('#identifier-outcome').textContent(), /\+1 \(555\) 123-0002/);
  assert.equal(await memberCount(campaign.id), 2);
});

test('a CSV file is imported in the background with a progress bar and a report of bad rows', async () => {
  const { page, server } = ui;
  const rows = ['Email,First Name,Company'];
  for (let i = 0; i < 40_000; i += 1) rows.push(`import${i}@example.com,Imported${i},Acme`);
  rows.push('not-an-email,Broken,Acme');
  rows.push('import5@example.com,Duplicate,Acme');
  const file = path.join(tempDir(), 'leads.csv');
  fs.writeFileSync(file, `${rows.join('\n')}\n`);

  await page.getByRole('tab', { name: 'Import CSV' }).click();
  const view = page.locator('#import-view');
  // A malformed file is refused whole in the page, with the server's message.
  await view.getByLabel('…or paste CSV').fill('Email,Name\n"unclosed,x\n');
  await view.getByRole('button', { name: 'Import' }).click();
  const refused = await server.request('POST', '/api/v1/leads/import', { body: { csv: 'Email,Name\n"unclosed,x\n' } });
  assert.equal(refused.status, 400);
  await view.locator('#import-error', { hasText: refused.body.error.message }).waitFor();
  await view.getByLabel('…or paste CSV').fill('');

  await view.getByLabel('CSV file').setInputFiles(file);
  await view.getByLabel('Tags for every imported lead (comma-separated)').fill('imported');
  await view.getByRole('button', { name: 'Import' }).click();
  const progress = view.getByLabel('Import progress');
  await progress.waitFor();
  // The bar is seen part-way (20 slices of 2,000 rows take seconds) and then full.
  const seen = new Set();
  for (let i = 0; i < 1200; i += 1) {
    seen.add(await progress.evaluate((bar) => bar.value));
    if ((await view.locator('#import-status').textContent()).startsWith('succeeded')) break;
    await page.waitForTimeout(25);
  }
  assert.ok([...seen].some((value) => value > 0 && value < 1), `progress seen: ${[...seen]}`);
  assert.equal(await progress.evaluate((bar) => bar.value), 1);
  assert.equal(await view.locator('#import-status').textContent(), 'succeeded: 40,002 of 40,002 rows (100%)');
  assert.equal(await view.locator('#import-counts').textContent(), '40,000 leads created, 1 skipped as duplicates, 1 failed.');
  // "Company" is a CRM's header for companyName: read, not ignored.
  assert.equal(await view.locator('#import-mapped').textContent(), 'Columns read: Company → companyName, Email → email, First Name → firstName');
  assert.deepEqual(await view.locator('#import-errors tbody td').allTextContents(), ['40001', '40002', 'email: must be a valid email address']);
  await ui.screenshot('import');
  const imported = await apiData(server, 'GET', '/api/v1/leads?tags=imported&limit=1');
  assert.equal(imported.leads.length, 1);
  assert.equal(imported.leads[0].companyName, 'Acme');
});
