// Webhooks through the console: an endpoint added (its events offered from the core's
// vocabulary, a malformed URL refused by the core in the page), its secret shown once, a test
// sent and seen in the delivery log, a failing delivery that turns the endpoint off, and the
// endpoint turned on again with the delivery retried — against a real receiver process that
// verifies every signature with npm standardwebhooks.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiData } from '../host/helpers.mjs';
import { eventually, startReceiver } from '../host/webhook-receiver-process.mjs';
import { openConsole } from './browser.mjs';

let ui;
let receiver;
before(async () => {
  receiver = await startReceiver();
  ui = await openConsole({
    serverOptions: { engineOptions: { webhookAllowPrivate: true, webhookRetrySchedule: '200ms,200ms' }, webhooks: { deliver: true } },
  });
  await ui.signIn();
});
after(async () => {
  await ui.close();
  receiver.stop();
});

test('add an endpoint, send a test, watch a failure disable it, turn it on and retry', async () => {
  const { page } = ui;
  await page.getByRole('tab', { name: 'Webhooks' }).click();
  const offered = await page.locator('#webhook-events input').evaluateAll((boxes) => boxes.map((box) => box.value));
  assert.deepEqual(offered, (await apiData(ui.server, 'GET', '/api/v1/meta')).webhookEvents, 'the events come from the core');

  await page.getByLabel('Endpoint URL (https)').fill('ftp://nowhere');
  await page.getByRole('checkbox', { name: 'lead.created' }).check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.waitForFunction(() => document.getElementById('webhook-add-error').textContent.startsWith('url:'));
  assert.equal((await apiData(ui.server, 'GET', '/api/v1/webhooks')).webhooks.length, 0);

  await page.getByLabel('Endpoint URL (https)').fill(`${receiver.url}/console`);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = (await page.locator('#webhook-secret-value').textContent()).trim();
  assert.match(secret, /^whsec_/);
  await receiver.control({ secret });
  const row = page.locator('#webhooks-table tbody tr').filter({ hasText: `${receiver.url}/console` });
  await row.waitFor();
  await ui.screenshot('webhooks-endpoint');

  await row.getByRole('button', { name: 'Send test' }).click();
  const ping = await eventually(async () => (await receiver.received()).events.find((event) => event.type === 'webhook.test'), { what: 'the ping' });
  assert.equal(ping.attempts, 1);
  await row.getByRole('button', { name: 'Deliveries' }).click();
  const deliveries = page.locator('#deliveries-table tbody tr');
  await page.locator('#deliveries-table tbody tr[data-state=delivered]').filter({ hasText: 'webhook.test' }).waitFor();
  assert.match(await deliveries.first().textContent(), /webhook\.test.*delivered.*1.*200 in \d+ ms/);

  // The receiver refuses everything: the lead's delivery fails its three attempts and the
  // endpoint, with no success since, is turned off.
  await receiver.control({ failFirst: 3, status: 500 });
  await apiData(ui.server, 'POST', '/api/v1/leads', { email: 'webhook-console@example.com' });
  await eventually(async () => !(await apiData(ui.server, 'GET', '/api/v1/webhooks')).webhooks[0].enabled, { what: 'the endpoint to be disabled' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.locator('#deliveries-table tbody tr[data-state=failed]').waitFor();
  await page.getByRole('tab', { name: 'Webhooks' }).click();
  await row.filter({ hasText: 'disabled: Every delivery failed' }).waitFor();
  await ui.screenshot('webhooks-disabled');

  await row.getByRole('button', { name: 'Enable' }).click();
  await row.filter({ hasText: 'enabled' }).waitFor();
  await row.getByRole('button', { name: 'Deliveries' }).click();
  await page.getByRole('button', { name: 'Retry lead.created' }).click();
  const lead = await eventually(async () => (await receiver.received()).events.find((event) => event.type === 'lead.created'), {
    what: 'the retried delivery',
  });
  assert.equal(lead.attempts, 4, 'three refused attempts, then the retry from the console');
  assert.equal((await receiver.received()).invalid, 0);
});
