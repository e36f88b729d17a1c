// The API reference page renders the served OpenAPI document with Swagger UI from npm, with
// nothing fetched from outside the server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openConsole } from './browser.mjs';

let ui;
before(async () => {
  ui = await openConsole();
});
after(() => ui.close());

test('the reference page shows every documented operation, offline', async () => {
  const { page, server } = ui;
  const doc = (await server.request('GET', '/api/openapi.json', { key: null })).body;
  const operations = Object.values(doc.paths).reduce((sum, item) => sum + Object.keys(item).filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key)).length, 0);
  await page.getByRole('link', { name: 'API reference' }).click();
  await page.locator('.opblock').first().waitFor();
  assert.equal(await page.locator('.opblock').count(), operations);
  assert.match(await page.locator('.info .title').textContent(), /Leadline API/);
  // Lupitor's bulk delete endpoint, opened: its documented example is shown.
  await page.locator('.opblock-summary-path[data-path="/leads/bulk-delete"]').click();
  await page.locator('.opblock-body', { hasText: 'crm-1001' }).first().waitFor();
  await ui.screenshot('api-reference');
  // Back to the console.
  await page.getByRole('link', { name: '← Console' }).click();
  await page.getByLabel('API key').waitFor();
});
