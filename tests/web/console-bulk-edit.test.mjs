// Editing many leads from the console (PATCH /leads): the selected ones, or every lead the filters
// match but the selected. Each edit is previewed (counts and a sample before → after), sent with
// the previewed count as its guard, and undone from its receipt.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiData } from '../host/helpers.mjs';
import { openConsole } from './browser.mjs';

let ui;
let ids;
before(async () => {
  ui = await openConsole();
  const created = await apiData(ui.server, 'POST', '/api/v1/leads', {
    leads: Array.from({ length: 12 }, (_, i) => ({ email: `edit${i}@example.com`, companyName: 'Old Co', tags: [i < 6 ? 'spring' : 'autumn'] })),
  });
  ids = created.results.map((result) => result.id);
  await ui.signIn();
  await ui.page.locator('#leads-table tbody tr[data-lead-id]').first().waitFor();
});
after(() => ui.close());

const preview = () => ui.page.locator('#preview-dialog');
const lead = (i) => apiData(ui.server, 'GET', `/api/v1/leads/${ids[i]}`);

test('editing the selected leads previews before → after, changes exactly those, and Undo puts them back', async () => {
  const { page } = ui;
  for (const i of [1, 2]) await page.getByRole('checkbox', { name: `Select edit${i}@example.com` }).check();
  await page.getByRole('button', { name: 'Edit selected…' }).click();
  const form = page.locator('#bulk-edit-dialog');
  await form.getByLabel('Status').selectOption('interested');
  await form.getByLabel('Company (left empty: unchanged)').fill('Acme GmbH');
  await form.getByLabel('Add tags (comma-separated)').fill('vip');
  await form.getByRole('button', { name: 'Preview edit…' }).click();
  await preview().locator('#preview-summary', { hasText: '2 leads match; 2 leads will change.' }).waitFor();
  const cells = await preview().locator('#edit-sample tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(cells.slice(1), ['new → interested', 'Old Co → Acme GmbH', '', 'spring → spring, vip']);
  assert.equal((await lead(1)).status, 'new', 'the preview changed nothing');
  await ui.screenshot('bulk-edit-preview');
  await preview().getByRole('button', { name: 'Apply edit' }).click();
  await page.locator('#toast-text', { hasText: 'Edited 2 leads' }).waitFor();
  for (const i of [1, 2]) {
    const edited = await lead(i);
    assert.equal(edited.status, 'interested');
    assert.equal(edited.companyName, 'Acme GmbH');
    assert.deepEqual(edited.tags, ['spring', 'vip']);
  }
  assert.equal((await lead(3)).status, 'new');
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.locator('#toast-text', { hasText: /Restored/ }).waitFor();
  const restored = await lead(1);
  assert.equal(restored.status, 'new');
  assert.equal(restored.companyName, 'Old Co');
  assert.deepEqual(restored.tags, ['spring']);
});

test('editing everything the filters match keeps the selected leads out, and an empty edit shows the server\'s message', async () => {
  const { page } = ui;
  await page.locator('#lead-filters').getByLabel('Tags, any of (comma-separated)').fill('autumn');
  await page.locator('#lead-filters').getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('checkbox', { name: 'Select edit1@example.com' }).waitFor({ state: 'detached' });
  await page.getByRole('checkbox', { name: 'Select edit6@example.com' }).check();
  await page.getByLabel('…but keep the selected leads').check();

  await page.getByRole('button', { name: 'Edit all matching filters…' }).click();
  await page.locator('#bulk-edit-dialog').getByRole('button', { name: 'Preview edit…' }).click();
  const empty = await ui.server.request('PATCH', '/api/v1/leads', { body: { filters: { tags: ['autumn'] }, dryRun: true } });
  await preview().locator('[role=alert]', { hasText: empty.body.error.message }).waitFor();
  await preview().getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Edit all matching filters…' }).click();
  const form = page.locator('#bulk-edit-dialog');
  await form.getByLabel('Remove tags (comma-separated)').fill('autumn');
  await form.getByLabel('Add tags (comma-separated)').fill('winter');
  await form.getByRole('button', { name: 'Preview edit…' }).click();
  await preview().locator('#preview-summary', { hasText: '5 leads match; 5 leads will change.' }).waitFor();
  await preview().getByRole('button', { name: 'Apply edit' }).click();
  await page.locator('#toast-text', { hasText: 'Edited 5 leads' }).waitFor();
  assert.deepEqual((await lead(7)).tags, ['winter']);
  assert.deepEqual((await lead(6)).tags, ['autumn'], 'the selected lead was kept out');
});

test('merging selected leads previews the merged lead, folds the others into it, and Undo un-merges', async () => {
  const { page } = ui;
  await apiData(ui.server, 'PATCH', `/api/v1/leads/${ids[11]}`, { jobTitle: 'Buyer', tags: ['merge-me'] });
  await page.locator('#lead-filters').getByLabel('Tags, any of (comma-separated)').fill('');
  await page.locator('#lead-filters').getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('checkbox', { name: 'Select edit1@example.com' }).waitFor();
  // An edit keeps the selection (to edit again); the leads the tests before selected are let go.
  for (const i of [1, 2, 6]) await page.getByRole('checkbox', { name: `Select edit${i}@example.com` }).uncheck();
  assert.equal(await page.locator('#lead-selection').textContent(), '0 leads selected');
  for (const i of [10, 11]) await page.getByRole('checkbox', { name: `Select edit${i}@example.com` }).check();
  await page.getByRole('button', { name: 'Merge selected…' }).click();
  const form = page.locator('#merge-dialog');
  await form.getByLabel('edit11@example.com').check(); // keep the second one
  await form.getByRole('button', { name: 'Preview merge…' }).click();
  await preview().locator('#preview-summary', { hasText: '1 lead will be folded into edit11@example.com and deleted' }).waitFor();
  const merged = Object.fromEntries(await preview().locator('#merge-result tr').evaluateAll((rows) =>
    rows.map((row) => [row.querySelector('th').textContent, row.querySelector('td').textContent])));
  assert.equal(merged['Job title'], 'Buyer');
  assert.equal(merged.Tags, 'merge-me, winter');
  assert.equal((await lead(10)).email, 'edit10@example.com', 'the preview merged nothing');
  await ui.screenshot('merge-preview');
  await preview().getByRole('button', { name: 'Merge leads' }).click();
  await page.locator('#toast-text', { hasText: 'Merged 2 leads into edit11@example.com' }).waitFor();
  assert.equal((await ui.server.request('GET', `/api/v1/leads/${ids[10]}`)).status, 404);
  assert.deepEqual((await lead(11)).tags, ['merge-me', 'winter']);
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.locator('#toast-text', { hasText: /Restored/ }).waitFor();
  assert.equal((await lead(10)).email, 'edit10@example.com');
  assert.deepEqual((await lead(11)).tags, ['merge-me']);
});
