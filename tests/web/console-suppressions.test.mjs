// The suppression list through the console: a list added with the server's preview (invalid
// lines named, the leads and memberships it hits), a person checked, the list filtered, an
// entry lifted, and a complaint entry that offers no Lift.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiData, readFixture } from '../host/helpers.mjs';
import { openConsole } from './browser.mjs';

let ui;
before(async () => {
  ui = await openConsole();
  const campaign = await apiData(ui.server, 'POST', '/api/v1/campaigns', { name: 'Suppressed outreach' });
  await apiData(ui.server, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, {
    leads: [{ email: 'a@blocked.example' }, { email: 'b@mail.blocked.example' }, { email: 'c@open.example' }],
  });
  await apiData(ui.server, 'POST', '/api/v1/suppressions', { entries: [{ email: 'angry@open.example', source: 'complaint' }] });
  await ui.signIn();
});
after(() => ui.close());

const entryRow = (value) => ui.page.locator('#suppressions-table tbody tr').filter({ has: ui.page.getByRole('rowheader', { name: value, exact: true }) });

test('a list of domains is previewed, invalid lines named by the core, then added and unsubscribes the hit memberships', async () => {
  const { page } = ui;
  await page.getByRole('tab', { name: 'Suppressions' }).click();
  await page.getByLabel('Each line is').selectOption('domain');
  // The fixture's first refused form and one good domain.
  const refused = readFixture('suppression_matching.json').domains.find(([raw, normal]) => normal === null && raw.trim())[0];
  await page.getByLabel('Entries, one per line').fill(`blocked.example\n${refused}`);
  await page.getByLabel('Unsubscribe their active campaign memberships').check();
  await page.getByRole('button', { name: 'Preview and add…' }).click();
  const dialog = page.locator('#preview-dialog');
  await dialog.locator('#preview-summary').waitFor();
  assert.match(await dialog.locator('#preview-summary').textContent(), /1 entry will be added; 0 already on the list; 1 invalid/);
  assert.match(await dialog.locator('#suppression-invalid').textContent(), /Line 2 .*domain: must be a domain name/);
  assert.match(await dialog.locator('#suppression-impact').textContent(), /Hits 2 stored leads; 2 active memberships will be set to unsubscribed/);
  assert.equal((await apiData(ui.server, 'GET', '/api/v1/suppressions?kind=domain')).suppressions.length, 0, 'the preview changed nothing');
  await ui.screenshot('suppressions-preview');
  await dialog.getByRole('button', { name: 'Add to the list' }).click();
  await entryRow('blocked.example').waitFor();
  const check = await apiData(ui.server, 'GET', '/api/v1/suppressions/check?email=x@deep.mail.blocked.example');
  assert.equal(check.suppressed, true);
});

test('a person is checked through the form, with the core refusing a malformed value first', async () => {
  const { page } = ui;
  await page.getByRole('tab', { name: 'Suppressions' }).click();
  const result = page.locator('#suppression-check-result');
  await page.getByLabel('Check an email or phone number').fill('someone@mail.blocked.example');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.waitForFunction(() => document.getElementById('suppression-check-result').textContent.includes('suppressed by'));
  assert.match(await result.textContent(), /suppressed by blocked\.example \(domain, api\)/);
  await page.getByLabel('Check an email or phone number').fill('not a number');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.waitForFunction(() => document.getElementById('suppression-check-result').textContent.startsWith('phoneNumber:'));
  await page.getByLabel('Check an email or phone number').fill('c@open.example');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.waitForFunction(() => document.getElementById('suppression-check-result').textContent.includes('is not suppressed'));
});

test('the list filters by source, a complaint entry offers no Lift, an api entry is lifted', async () => {
  const { page } = ui;
  await page.getByRole('tab', { name: 'Suppressions' }).click();
  await page.getByLabel('Source').selectOption('complaint');
  await page.getByRole('button', { name: 'Show' }).click();
  await entryRow('angry@open.example').waitFor();
  assert.equal(await page.locator('#suppressions-table tbody tr').count(), 1);
  assert.equal(await entryRow('angry@open.example').getByRole('button').count(), 0);
  assert.match(await entryRow('angry@open.example').textContent(), /cannot be lifted/);
  await ui.screenshot('suppressions-list');

  await page.getByLabel('Source').selectOption('');
  await page.getByRole('button', { name: 'Show' }).click();
  await entryRow('blocked.example').getByRole('button', { name: 'Lift blocked.example' }).click();
  await entryRow('blocked.example').waitFor({ state: 'detached' });
  assert.equal((await apiData(ui.server, 'GET', '/api/v1/suppressions/check?email=a@blocked.example')).suppressed, false);
});

test('"Erase" on a lead previews what goes, erases it, and the person stays suppressed as a hash', async () => {
  const { page } = ui;
  const lead = await apiData(ui.server, 'POST', '/api/v1/leads', { email: 'erase.me@console.example', firstName: 'Erasmina' });
  await page.getByRole('tab', { name: 'Leads' }).click();
  await page.getByRole('button', { name: 'Erase erase.me@console.example' }).click();
  const dialog = page.locator('#preview-dialog');
  await dialog.locator('#erase-counts').waitFor();
  assert.match(await dialog.locator('#erase-counts').textContent(), /1 lead row and 0 tags/);
  assert.equal((await ui.server.request('GET', `/api/v1/leads/${lead.id}`)).status, 200, 'the preview erased nothing');
  await ui.screenshot('erase-preview');
  await dialog.getByRole('button', { name: 'Erase permanently' }).click();
  await page.getByRole('button', { name: 'Erase erase.me@console.example' }).waitFor({ state: 'detached' });
  assert.equal((await ui.server.request('GET', `/api/v1/leads/${lead.id}`)).status, 404);
  const check = await apiData(ui.server, 'GET', '/api/v1/suppressions/check?email=erase.me@console.example');
  assert.equal(check.suppressed, true);
  assert.equal(check.entry.hashed, true);
});
