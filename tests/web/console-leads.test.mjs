// Sign in, browse leads with every filter and paging, create and edit — all through the
// console in Chromium, checked against the API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiData } from '../host/helpers.mjs';
import { openConsole } from './browser.mjs';

let ui;
let campaign;
before(async () => {
  ui = await openConsole();
  const { server } = ui;
  campaign = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Spring' });
  const leads = Array.from({ length: 30 }, (_, i) => ({
    email: `person${i}@example.com`,
    firstName: `Person${i}`,
    companyName: i < 3 ? 'Globex' : 'Initech',
    tags: [i % 2 ? 'odd' : 'even'],
    status: i % 3 === 0 ? 'contacted' : 'new',
    emailVerificationStatus: i % 5 === 0 ? 'valid' : 'unverified',
    country: i % 4 === 0 ? 'DE' : 'US',
  }));
  const created = await apiData(server, 'POST', '/api/v1/leads', { leads });
  await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: created.results.slice(0, 4).map((r) => ({ leadId: r.id })) });
});
after(() => ui.close());

const rows = () => ui.page.locator('#leads-table tbody tr[data-lead-id]');
async function emailsShown() {
  return ui.page.locator('#leads-table tbody tr[data-lead-id] td:nth-child(3)').allTextContents();
}
async function applyFilters(values) {
  const filters = ui.page.locator('#lead-filters');
  await filters.getByRole('button', { name: 'Clear' }).click();
  for (const [label, value] of Object.entries(values)) {
    const field = filters.getByLabel(label);
    if ((await field.evaluate((node) => node.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  // The table is aria-busy from the click until the new page is shown.
  await ui.page.locator('#leads-table[aria-busy=false]').waitFor();
}

test('a wrong key is refused with the server\'s message; the right one opens the console', async () => {
  const { page } = ui;
  await ui.screenshot('sign-in');
  await page.getByLabel('API key').fill('sk_wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#sign-in-error', { hasText: 'Invalid or inactive API key' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('leadline.apiKey')), null);

  // Keyboard only: the key field is labelled and Enter submits.
  await page.getByLabel('API key').fill('');
  await page.getByLabel('API key').focus();
  await page.keyboard.type(ui.server.workspaceKey);
  await page.keyboard.press('Enter');
  await page.locator('#console-view').waitFor({ state: 'visible' });
  await rows().first().waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('leadline.apiKey')), ui.server.workspaceKey);
  // A reload keeps the session (session storage), without asking again.
  await page.reload();
  await rows().first().waitFor();
  assert.equal(await page.locator('#sign-in-view').isHidden(), true);
});

test('the leads table pages through every lead, newest first', async () => {
  const { page } = ui;
  await applyFilters({ 'Per page': '10' });
  assert.equal(await rows().count(), 10);
  const seen = new Set(await emailsShown());
  assert.ok(seen.has('person29@example.com'));
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Page 2').waitFor();
  for (const email of await emailsShown()) seen.add(email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Page 3 (last)').waitFor();
  for (const email of await emailsShown()) seen.add(email);
  assert.equal(seen.size, 30);
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByText('Page 2').waitFor();
  await ui.screenshot('leads');
});

test('every filter narrows the table as the API does', async () => {
  const { server } = ui;
  const cases = [
    [{ 'Tags, any of (comma-separated)': 'odd' }, 'tags=odd'],
    [{ Search: 'globex' }, 'search=globex'],
    [{ Status: 'contacted' }, 'status=contacted'],
    [{ 'Email verification': 'valid' }, 'emailVerificationStatus=valid'],
    [{ 'Country (comma-separated)': 'DE' }, 'country=DE'],
    [{ 'In campaign': campaign.id }, `campaignId=${campaign.id}`],
    [{ 'Created after': '2000-01-01T00:00:00.000Z', 'Created before': '2100-01-01T00:00:00.000Z', 'Tags, any of (comma-separated)': 'even' }, 'createdAfter=2000-01-01T00:00:00.000Z&createdBefore=2100-01-01T00:00:00.000Z&tags=even'],
    [{ 'Created after': '2100-01-01' }, 'createdAfter=2100-01-01'],
  ];
  for (const [values, query] of cases) {
    await applyFilters({ ...values, 'Per page': '100' });
    const expected = (await apiData(server, 'GET', `/api/v1/leads?${query}&limit=100`)).leads.map((lead) => lead.email);
    assert.deepEqual(await emailsShown(), expected, query);
    assert.ok(query.startsWith('createdAfter=2100') ? expected.length === 0 : expected.length > 0, query);
  }
  const ids = (await apiData(server, 'GET', '/api/v1/leads?limit=2')).leads.map((lead) => lead.id);
  await applyFilters({ 'Lead ids (comma-separated)': ids.join(', ') });
  assert.equal(await rows().count(), 2);
  await applyFilters({});
});

test('a lead is created and edited through the form, and stored as the API normalises it', async () => {
  const { page, server } = ui;
  await page.getByRole('button', { name: 'New lead' }).click();
  const form = page.locator('#lead-form');
  await form.getByLabel('Email', { exact: true }).fill('New.Person@Example.com');
  await form.getByLabel('Phone number').fill('+1 (555) 987-6543');
  await form.getByLabel('First name').fill('New');
  await form.getByLabel('Last name').fill('Person');
  await form.getByLabel('Country (ISO code)').fill('GB');
  await form.getByLabel('Tags (comma-separated)').fill('vip, q1');
  await ui.screenshot('lead-form');
  await page.getByRole('button', { name: 'Save lead' }).click();
  await page.locator('#toast-text', { hasText: 'Lead created' }).waitFor();
  const stored = (await apiData(server, 'GET', '/api/v1/leads?search=new.person')).leads;
  assert.equal(stored.length, 1);
  assert.equal(stored[0].email, 'new.person@example.com');
  assert.equal(stored[0].phoneNumber, '+15559876543');
  assert.deepEqual(stored[0].tags, ['vip', 'q1']);
  await rows().filter({ hasText: 'new.person@example.com' }).waitFor();

  // The same email again: the server's refusal appears in the form.
  await page.getByRole('button', { name: 'New lead' }).click();
  await form.getByLabel('Email', { exact: true }).fill('new.person@example.com');
  await page.getByRole('button', { name: 'Save lead' }).click();
  await form.locator('#lead-form-error', { hasText: /already exists/ }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Edit: change the company and status, clear the first name.
  await page.getByRole('button', { name: 'Edit new.person@example.com' }).click();
  assert.equal(await form.getByLabel('First name').inputValue(), 'New');
  await form.getByLabel('Company').fill('Umbrella');
  await form.getByLabel('First name').fill('');
  await form.getByLabel('Status').selectOption('interested');
  await page.getByRole('button', { name: 'Save lead' }).click();
  await page.locator('#toast-text', { hasText: 'Lead saved' }).waitFor();
  const edited = await apiData(server, 'GET', `/api/v1/leads/${stored[0].id}`);
  assert.equal(edited.companyName, 'Umbrella');
  assert.equal(edited.firstName, null);
  assert.equal(edited.status, 'interested');
  assert.equal(edited.lastName, 'Person');
  await rows().filter({ hasText: 'Umbrella' }).waitFor();
});

test('every control is labelled and the main ones are reachable with the keyboard', async () => {
  const { page } = ui;
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button, a[href]')]
    .filter((node) => {
      const name = node.getAttribute('aria-label') || node.getAttribute('aria-labelledby')
        || (node.labels && [...node.labels].map((label) => label.textContent.trim()).join(''))
        || (['BUTTON', 'A'].includes(node.tagName) && node.textContent.trim());
      return !name;
    })
    .map((node) => node.outerHTML.slice(0, 120)));
  assert.deepEqual(unlabelled, []);

  await page.getByRole('tab', { name: 'Leads' }).focus();
  const reached = new Set();
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement.getAttribute('aria-label') || document.activeElement.name || document.activeElement.textContent.trim()));
  }
  for (const name of ['search', 'status', 'tags', 'Apply filters', 'New lead', 'Delete selected…', 'Delete all matching filters…', 'Select every lead on this page']) {
    assert.ok(reached.has(name), `${name} not reachable by Tab (reached: ${[...reached].join(' | ')})`);
  }
  // Arrow keys move between the tabs.
  await page.getByRole('tab', { name: 'Leads' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Campaigns' }).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
});

test('signing out forgets the key', async () => {
  const { page } = ui;
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign out' }).click()]);
  await page.locator('#sign-in-view').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('leadline.apiKey')), null);
});

test('a platform key signs in with the workspace it names', async () => {
  const { page, server } = ui;
  await page.getByLabel('API key').fill(server.platformKey);
  await page.getByLabel('Workspace id (platform keys only)').fill(server.workspaceId);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#leads-table tbody tr[data-lead-id]').first().waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('leadline.workspaceId')), server.workspaceId);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign out' }).click()]);
  // Without the workspace the server refuses, and says why.
  await page.getByLabel('API key').fill(server.platformKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const refused = await server.request('GET', '/api/v1/campaigns?limit=1', { key: server.platformKey });
  assert.ok(refused.status >= 400);
  await page.locator('#sign-in-error', { hasText: refused.body.error.message }).waitFor();
});

test('every status choice the console offers is the core\'s vocabulary (GET /api/v1/meta)', async () => {
  const meta = await apiData(ui.server, 'GET', '/api/v1/meta');
  const options = (selector) => ui.page.locator(`${selector} option:not([value=""])`).allTextContents();
  assert.deepEqual(await options('#lead-filters select[name=status]'), meta.leadStatuses);
  assert.deepEqual(await options('#lead-filters select[name=emailVerificationStatus]'), meta.emailVerificationStatuses);
  assert.deepEqual(await options('#members-status'), meta.membershipStatuses);
});
