// The messages a user sees while typing come from the wasm core in the page, and they are the
// server's, word for word: each fixture case is typed into the console, and the same request is
// sent to the server over HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiData, expandFixture, readFixture } from '../host/helpers.mjs';
import { openConsole } from './browser.mjs';

const FORM_FIELDS = new Set(['email', 'phoneNumber', 'externalId', 'firstName', 'lastName', 'companyName', 'jobTitle', 'country', 'status', 'emailVerificationStatus', 'tags']);
const SELECTS = new Set(['status', 'emailVerificationStatus']);

// A case the lead form can express: form fields only, text as typed (tags as a list).
function typeable(body) {
  return Object.entries(body).every(([field, value]) => FORM_FIELDS.has(field) && (field === 'tags'
    ? Array.isArray(value) && value.every((tag) => typeof tag === 'string' && tag.trim() === tag && tag && !tag.includes(','))
    : typeof value === 'string' && value !== '' && value.trim() === value));
}

let ui;
let campaignId;
before(async () => {
  ui = await openConsole();
  campaignId = (await apiData(ui.server, 'POST', '/api/v1/campaigns', { name: 'Parity' })).id;
  await ui.signIn();
});
after(() => ui.close());

// Sets a select to a value it does not offer (as a crafted or stale page could), else fills.
async function setField(locator, field, value) {
  if (SELECTS.has(field)) {
    await locator.evaluate((select, text) => {
      if (![...select.options].some((option) => option.value === text)) select.add(new Option(text, text));
      select.value = text;
      select.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
  } else {
    await locator.fill(value);
  }
}

test('the lead form shows the server\'s message for each invalid lead of the fixture table', async () => {
  const { page, server } = ui;
  const cases = readFixture('invalid_lead_requests.json').cases.map((row) => ({ ...row, body: expandFixture(row.body) })).filter((row) => typeable(row.body));
  assert.ok(cases.length >= 12, `only ${cases.length} typeable cases`);
  const form = page.locator('#lead-form');
  for (const row of cases) {
    await page.getByRole('button', { name: 'New lead' }).click();
    for (const [field, value] of Object.entries(row.body)) {
      await setField(form.locator(`[name=${field}]`), field, field === 'tags' ? value.join(', ') : value);
    }
    await page.getByRole('button', { name: 'Save lead' }).click();
    const served = await server.request('POST', '/api/v1/leads', { body: row.body });
    assert.equal(served.status, 400, row.name);
    await assert.doesNotReject(
      form.locator('#lead-form-error', { hasText: served.body.error.message }).waitFor({ timeout: 5000 }),
      `${row.name}: expected "${served.body.error.message}", saw "${await form.locator('#lead-form-error').textContent()}"`,
    );
    assert.equal(await form.locator('#lead-form-error').textContent(), served.body.error.message, row.name);
    // Each field the server names is marked invalid, with the server's words beside it.
    for (const problem of served.body.error.errors ?? []) {
      const input = form.locator(`[name=${problem.field.split(/[.[]/)[0]}]`);
      if (await input.count()) assert.equal(await input.getAttribute('aria-invalid'), 'true', `${row.name}: ${problem.field}`);
    }
    if (row.name === 'phone letters') await ui.screenshot('lead-form-validation');
    await page.getByRole('button', { name: 'Cancel' }).click();
  }
  // Nothing was stored by any of it.
  assert.equal((await apiData(server, 'GET', '/api/v1/leads')).leads.length, 0);
});

test('the filter form shows the server\'s message for each invalid filter of the fixture table', async () => {
  const { page, server } = ui;
  await page.getByRole('tab', { name: 'Leads' }).click();
  const filters = page.locator('#lead-filters');
  for (const row of readFixture('invalid_lead_filter_queries.json').cases) {
    await filters.getByRole('button', { name: 'Clear' }).click();
    for (const [field, value] of Object.entries(expandFixture(row.inputs))) await filters.locator(`[name=${field}]`).fill(value);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    const query = new URLSearchParams(expandFixture(row.query));
    const served = await server.request('GET', `/api/v1/leads?${query}`);
    assert.equal(served.status, 400, row.name);
    await page.locator('#lead-filters-error', { hasText: served.body.error.message }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator('#lead-filters-error').textContent(), served.body.error.message, row.name);
  }
  await filters.getByRole('button', { name: 'Clear' }).click();
  await page.locator('#lead-filters-error').getByText(/./).waitFor({ state: 'detached' }).catch(() => {});
});

test('pasted identifiers are checked row by row with the server\'s messages (Lupitor\'s bulk delete)', async () => {
  const { page, server } = ui;
  await page.getByRole('tab', { name: 'Delete by identifier' }).click();
  const lines = page.getByLabel('Identifiers, one per line');
  const requestError = page.locator('#identifier-error');

  // No campaign chosen: the request-level message, as the server words it.
  await lines.fill('crm-1\ncrm-2');
  let served = await server.request('POST', '/api/v1/leads/bulk-delete', { body: { campaignId: '', leads: [{ externalId: 'crm-1' }, { externalId: 'crm-2' }] } });
  await page.locator('#identifier-error', { hasText: served.body.error.message }).waitFor();

  // Two blank rows (2 and 4): each row shows the message the server gives for it.
  await page.locator('#identifiers-view').getByLabel('Campaign', { exact: true }).selectOption(campaignId);
  await lines.fill('crm-1\n \ncrm-3\n\ncrm-5');
  const rows = page.locator('#identifier-rows tbody tr');
  await rows.nth(4).waitFor();
  const leads = [{ externalId: 'crm-1' }, { externalId: '' }, { externalId: 'crm-3' }, { externalId: '' }, { externalId: 'crm-5' }];
  served = await server.request('POST', '/api/v1/leads/bulk-delete', { body: { campaignId, leads } });
  assert.equal(served.status, 400);
  assert.equal(await rows.nth(1).locator('td').nth(2).textContent(), served.body.error.message);
  leads[1] = { externalId: 'crm-2' };
  served = await server.request('POST', '/api/v1/leads/bulk-delete', { body: { campaignId, leads } });
  assert.equal(await rows.nth(3).locator('td').nth(2).textContent(), served.body.error.message);
  assert.equal(await rows.nth(0).locator('td').nth(2).textContent(), 'ok');
  assert.match(await requestError.textContent(), /^2 rows cannot be sent: leads\[1\]: /);
  await ui.screenshot('identifier-row-validation');

  // Over the limit: the server's limit message, before anything is sent.
  await lines.fill(Array.from({ length: 1001 }, (_, i) => `crm-${i}`).join('\n'));
  served = await server.request('POST', '/api/v1/leads/bulk-delete', { body: { campaignId, leads: expandFixture('@identifiers:1001') } });
  await page.locator('#identifier-error', { hasText: served.body.error.message }).waitFor();
  assert.equal(await requestError.textContent(), 'Maximum 1000 leads per bulk delete request');
});
