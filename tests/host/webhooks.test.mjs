// Webhooks end to end: endpoints over HTTP, events written with the change they report, and
// delivery to a real receiver process on loopback that verifies every signature with the npm
// `standardwebhooks` library (tests/host/webhook-receiver.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { apiData, readFixture, spawnServer, startTestServer, tempDir, httpClient } from './helpers.mjs';
import { eventually, startReceiver } from './webhook-receiver-process.mjs';

const FAST = { webhookAllowPrivate: true, webhookRetrySchedule: '150ms,150ms,150ms' };

async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('endpoints: https only, no private or metadata address, every field checked; the secret is shown once', async () => {
  const server = await startTestServer();
  try {
    const refused = async (body, field, pattern) => {
      const reply = await server.request('POST', '/api/v1/webhooks', { body });
      assert.equal(reply.status, 400, JSON.stringify(reply.body));
      assert.equal(reply.body.error.field, field);
      assert.match(reply.body.error.message, pattern);
    };
    // This server allows no private receivers: the fixture's rows for that policy.
    for (const row of readFixture('webhook_urls.json').urls.filter((candidate) => !candidate.allowPrivate)) {
      if (row.refused) await refused({ url: row.url, events: ['lead.created'] }, 'url', new RegExp(row.names));
    }
    await refused({ url: 'https://user:pw@hooks.example.com/x', events: ['lead.created'] }, 'url', /password/);
    await refused({ url: 'https://hooks.example.com/x', events: ['lead.made'] }, 'events[0]', /not a webhook event/);
    await refused({ url: 'https://hooks.example.com/x', events: ['lead.created'], secret: 'x' }, 'secret', /unknown field/);
    await refused({ url: 'https://hooks.example.com/x' }, 'events', /required/);
    assert.equal((await apiData(server, 'GET', '/api/v1/webhooks')).webhooks.length, 0, 'a refused endpoint is not stored');

    const created = await server.request('POST', '/api/v1/webhooks', {
      body: { url: 'https://hooks.example.com/leadline', events: ['lead.created', 'lead.deleted'], description: 'CRM sync' },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.data.secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    const { webhook } = created.body.data;
    assert.match(webhook.id, /^whe_[0-9a-f]{16}$/);
    assert.deepEqual(webhook.events, ['lead.created', 'lead.deleted']);
    assert.equal(webhook.enabled, true);
    const listed = await apiData(server, 'GET', '/api/v1/webhooks');
    assert.equal(listed.webhooks.length, 1);
    assert.equal(JSON.stringify(listed).includes(created.body.data.secret), false, 'the list never shows the secret');

    const changed = await apiData(server, 'PATCH', `/api/v1/webhooks/${webhook.id}`, { events: ['campaign.created'], enabled: false });
    assert.deepEqual(changed.events, ['campaign.created']);
    assert.equal(changed.enabled, false);
    assert.equal((await server.request('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: { url: 'https://192.168.0.5/' } })).status, 400);
    assert.equal((await server.request('PATCH', `/api/v1/webhooks/${webhook.id}`, { body: {} })).status, 400);

    const rotated = await apiData(server, 'POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, { overlapHours: 2 });
    assert.notEqual(rotated.secret, created.body.data.secret);
    assert.ok(Date.parse(rotated.webhook.previousSecretValidUntil) > Date.now() + 3600_000);
    assert.equal((await server.request('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, { body: { overlapHours: 99 } })).status, 400);

    assert.equal((await server.request('DELETE', `/api/v1/webhooks/${webhook.id}`)).status, 200);
    assert.equal((await server.request('GET', `/api/v1/webhooks/${webhook.id}`)).status, 404);
  } finally {
    await server.close();
  }
});

test('committed changes arrive signed, once each; refused requests and dry runs send nothing; the log shows each attempt', async () => {
  const receiver = await startReceiver();
  const server = await startTestServer({ engineOptions: FAST, webhooks: { deliver: true } });
  try {
    const created = await apiData(server, 'POST', '/api/v1/webhooks', {
      url: `${receiver.url}/hooks`,
      events: ['lead.created', 'lead.deleted', 'lead.updated', 'campaign.created', 'campaign.status_changed', 'campaign.leads_added'],
    });
    // The receiver refuses the first two attempts of every event: each is retried under the same id.
    await receiver.control({ secret: created.secret, failFirst: 2, status: 503 });

    const lead = await apiData(server, 'POST', '/api/v1/leads', { email: 'ada@example.com', firstName: 'Ada' });
    assert.equal((await server.request('POST', '/api/v1/leads', { body: { email: 'not-an-email' } })).status, 400);
    const preview = await server.request('DELETE', `/api/v1/leads/${lead.id}?dryRun=true`);
    assert.equal(preview.status, 200);
    const batch = await apiData(server, 'POST', '/api/v1/leads', { leads: [{ email: 'b1@example.com' }, { email: 'b2@example.com' }] });
    const campaign = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Autumn' });
    await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: [{ leadId: lead.id }] });
    await apiData(server, 'PATCH', `/api/v1/campaigns/${campaign.id}/status`, { status: 'active' });

    const received = await eventually(
      async () => {
        const now = await receiver.received();
        return now.events.length >= 5 ? now : null;
      },
      { what: 'five events' },
    );
    await new Promise((resolve) => setTimeout(resolve, 600)); // no late duplicates or stray events
    const final = await receiver.received();
    assert.equal(final.invalid, 0, 'every signature verifies with standardwebhooks');
    const types = final.events.map((event) => event.type).sort();
    assert.deepEqual(types, ['campaign.created', 'campaign.leads_added', 'campaign.status_changed', 'lead.created', 'lead.created'].sort());
    assert.ok(final.events.every((event) => event.attempts === 3), 'each event was accepted on its third attempt');
    const batchEvent = final.events.find((event) => event.type === 'lead.created' && event.data.createdCount === 2);
    assert.deepEqual(batchEvent.data.leadIds, batch.results.map((result) => result.id));
    assert.equal(JSON.stringify(final.events).includes('ada@example.com'), false, 'payloads carry ids, not personal data');
    const statusEvent = final.events.find((event) => event.type === 'campaign.status_changed');
    assert.deepEqual([statusEvent.data.previousStatus, statusEvent.data.status], ['draft', 'active']);
    assert.ok(received.events.length >= 5);

    const log = await apiData(server, 'GET', `/api/v1/webhooks/${created.webhook.id}/deliveries`);
    assert.equal(log.deliveries.length, 5);
    for (const delivery of log.deliveries) {
      assert.equal(delivery.state, 'delivered');
      assert.equal(delivery.attempts, 3);
      assert.deepEqual(delivery.attemptLog.map((attempt) => attempt.statusCode), [200, 503, 503]);
      assert.match(delivery.attemptLog[1].responseExcerpt, /refusing attempt 2/);
    }
    assert.equal((await server.request('GET', `/api/v1/webhooks/${created.webhook.id}/deliveries?state=sent`)).status, 400);

    // A manual retry sends the delivered event once more, under the same webhook-id.
    const again = await server.request('POST', `/api/v1/webhooks/${created.webhook.id}/deliveries/${log.deliveries[0].id}/retry`);
    assert.equal(again.status, 202);
    await eventually(async () => (await receiver.received()).events.find((event) => event.id === log.deliveries[0].eventId).attempts === 4, {
      what: 'the manual retry',
    });
  } finally {
    await server.close();
    receiver.stop();
  }
});

test('a campaign webhook (Smartlead\'s shape) receives its own campaign\'s lead.added and status changes, signed with its secret', async () => {
  const receiver = await startReceiver();
  const server = await startTestServer({ engineOptions: FAST, webhooks: { deliver: true } });
  try {
    const campaign = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Hooked' });
    const other = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Unhooked' });
    const hook = await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/webhooks`, {
      url: `${receiver.url}/campaign`,
      events: ['lead.added', 'campaign.status_changed'],
    });
    await receiver.control({ secret: hook.secret });
    await apiData(server, 'POST', `/api/v1/campaigns/${other.id}/leads`, { leads: [{ email: 'elsewhere@example.com' }] });
    await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: [{ email: 'one@example.com' }, { email: 'two@example.com' }] });
    await apiData(server, 'PATCH', `/api/v1/campaigns/${campaign.id}/status`, { status: 'active' });
    const got = await eventually(async () => {
      const now = await receiver.received();
      return now.events.length >= 2 ? now : null;
    }, { what: 'the campaign events' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const final = await receiver.received();
    assert.equal(final.invalid, 0);
    assert.deepEqual(final.events.map((event) => event.type).sort(), ['campaign.leads_added', 'campaign.status_changed']);
    const added = final.events.find((event) => event.type === 'campaign.leads_added');
    assert.equal(added.data.campaignId, campaign.id, 'only its own campaign');
    assert.equal(added.data.added, 2);
    assert.ok(got.events.length >= 2);
  } finally {
    await server.close();
    receiver.stop();
  }
});

test('every kind of change sends its event; a replay sends them again; a rotated-out secret still verifies; redirects are not followed', async () => {
  const receiver = await startReceiver();
  const elsewhere = await startReceiver();
  const server = await startTestServer({ engineOptions: FAST, webhooks: { deliver: true } });
  try {
    const meta = await apiData(server, 'GET', '/api/v1/meta');
    const made = await apiData(server, 'POST', '/api/v1/webhooks', { url: `${receiver.url}/all`, events: meta.webhookEvents });
    await receiver.control({ secret: made.secret });
    const started = new Date().toISOString();

    const lead = await apiData(server, 'POST', '/api/v1/leads', { email: 'every@example.com' });
    await apiData(server, 'PATCH', `/api/v1/leads/${lead.id}`, { firstName: 'Eve' });
    const campaign = await apiData(server, 'POST', '/api/v1/campaigns', { name: 'Everything' });
    const second = await apiData(server, 'POST', '/api/v1/leads', { email: 'second@example.com', externalId: 'crm-2' });
    await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: [{ leadId: lead.id }, { leadId: second.id }] });
    await apiData(server, 'PATCH', `/api/v1/campaigns/${campaign.id}/status`, { status: 'active' });
    const removed = await apiData(server, 'POST', '/api/v1/leads/bulk-delete', { campaignId: campaign.id, leads: [{ externalId: 'crm-2' }] });
    assert.equal(removed.deleted, 1);
    const deleted = await apiData(server, 'DELETE', `/api/v1/leads/${lead.id}?force=true`);
    await apiData(server, 'POST', `/api/v1/receipts/${deleted.receiptId}/restore`);
    const job = await apiData(server, 'POST', '/api/v1/leads/import', { csv: 'email\nimported@example.com\n' });
    await apiData(server, 'POST', '/api/v1/suppressions', { entries: [{ email: 'blocked@example.com' }] });
    const entry = (await apiData(server, 'GET', '/api/v1/suppressions/check?email=blocked@example.com')).entry;
    await apiData(server, 'DELETE', `/api/v1/suppressions/${entry.id}`);
    await apiData(server, 'POST', `/api/v1/leads/${lead.id}/erase`);
    await apiData(server, 'PATCH', `/api/v1/campaigns/${campaign.id}/status`, { status: 'paused' });
    await apiData(server, 'DELETE', `/api/v1/campaigns/${campaign.id}?force=true`);

    const expected = ['lead.created', 'lead.updated', 'campaign.created', 'campaign.leads_added', 'campaign.status_changed', 'campaign.leads_removed', 'lead.deleted',
      'lead.restored', 'import.completed', 'suppression.added', 'suppression.lifted', 'lead.erased', 'campaign.deleted'];
    const got = await eventually(async () => {
      const now = await receiver.received();
      const types = new Set(now.events.map((event) => event.type));
      return expected.every((type) => types.has(type)) ? now : null;
    }, { what: `every event type (${expected.join(', ')})` });
    assert.equal(got.invalid, 0);
    const imported = got.events.find((event) => event.type === 'import.completed');
    assert.equal(imported.data.jobId, job.id);
    assert.equal(imported.data.counts.created, 1);
    const left = got.events.find((event) => event.type === 'campaign.leads_removed');
    assert.deepEqual([left.data.campaignId, left.data.removedCount, left.data.leadIds], [campaign.id, 1, [second.id]]);
    const restored = got.events.find((event) => event.type === 'lead.restored');
    assert.equal(restored.data.receiptId, deleted.receiptId);

    // A replay of everything since the start: each event once more, under its own webhook-id.
    const before = await receiver.received();
    const replay = await apiData(server, 'POST', `/api/v1/webhooks/${made.webhook.id}/replay`, { since: started });
    assert.equal(replay.queued, before.events.length);
    await eventually(async () => (await receiver.received()).events.every((event) => event.attempts >= 2), { what: 'the replay' });
    assert.equal((await receiver.received()).events.length, before.events.length, 'a replay adds no new ids');

    // Rotated with an overlap: the receiver still on the old secret verifies the new deliveries.
    await apiData(server, 'POST', `/api/v1/webhooks/${made.webhook.id}/rotate-secret`, { overlapHours: 1 });
    const ping = (await apiData(server, 'POST', `/api/v1/webhooks/${made.webhook.id}/test`)).eventId;
    await eventually(async () => (await receiver.received()).events.find((event) => event.id === ping), { what: 'the ping after rotation' });
    assert.equal((await receiver.received()).invalid, 0, 'the old secret still verifies during the overlap');

    // A redirect is an answer, not an instruction: the delivery fails and nothing reaches the target.
    await elsewhere.control({ secret: made.secret });
    await receiver.control({ failFirst: 1000, status: 307, redirectTo: `${elsewhere.url}/stolen` });
    const redirected = (await apiData(server, 'POST', `/api/v1/webhooks/${made.webhook.id}/test`)).eventId;
    const failed = await eventually(async () => {
      const log = (await apiData(server, 'GET', `/api/v1/webhooks/${made.webhook.id}/deliveries?state=failed`)).deliveries;
      return log.find((delivery) => delivery.eventId === redirected);
    }, { what: 'the redirected delivery to fail' });
    assert.ok(failed.attemptLog.every((attempt) => attempt.statusCode === 307));
    assert.equal((await elsewhere.received()).attempts, 0, 'the redirect was not followed');
  } finally {
    await server.close();
    receiver.stop();
    elsewhere.stop();
  }
});

test('a long reply is kept to its first 1 KiB in the log, and a receiver that does not answer in 10 s times out', async () => {
  const receiver = await startReceiver();
  const server = await startTestServer({ engineOptions: { webhookAllowPrivate: true, webhookRetrySchedule: '100ms' }, webhooks: { deliver: true } });
  try {
    const made = await apiData(server, 'POST', '/api/v1/webhooks', { url: `${receiver.url}/slow`, events: ['lead.created'] });
    await receiver.control({ secret: made.secret, failFirst: 1, status: 500, replyBytes: 5000 });
    await apiData(server, 'POST', '/api/v1/leads', { email: 'long@example.com' });
    const first = await eventually(async () => {
      const [delivery] = (await apiData(server, 'GET', `/api/v1/webhooks/${made.webhook.id}/deliveries`)).deliveries;
      return delivery?.state === 'delivered' ? delivery : null;
    }, { what: 'the delivery after a long refusal' });
    const refusal = first.attemptLog.at(-1);
    assert.equal(refusal.statusCode, 500);
    assert.equal(refusal.responseExcerpt, 'x'.repeat(1024));

    await receiver.control({ failFirst: 0, replyBytes: 0, delayMs: 11_000 });
    await apiData(server, 'POST', '/api/v1/leads', { email: 'slow@example.com' });
    const timedOut = await eventually(async () => {
      const [delivery] = (await apiData(server, 'GET', `/api/v1/webhooks/${made.webhook.id}/deliveries`)).deliveries;
      return delivery?.attemptLog.length ? delivery : null;
    }, { timeoutMs: 20_000, what: 'the attempt to time out' });
    assert.equal(timedOut.attemptLog[0].statusCode, null);
    assert.match(timedOut.attemptLog[0].error, /timed out after 10000 ms/);
    assert.ok(timedOut.attemptLog[0].durationMs >= 9_900);
  } finally {
    await server.close();
    receiver.stop();
  }
});

test('an endpoint that fails throughout its window is disabled, audited, and the other endpoints hear of it', async () => {
  const receiver = await startReceiver();
  const server = await startTestServer({ engineOptions: FAST, webhooks: { deliver: true } });
  try {
    const watcher = await apiData(server, 'POST', '/api/v1/webhooks', { url: `${receiver.url}/ops`, events: ['webhook.disabled'] });
    await receiver.control({ secret: watcher.secret });
    const dead = await apiData(server, 'POST', '/api/v1/webhooks', {
      url: `http://127.0.0.1:${await closedPort()}/gone`,
      events: ['lead.created'],
    });
    await apiData(server, 'POST', '/api/v1/leads', { email: 'grace@example.com' });
    const disabled = await eventually(
      async () => {
        const endpoint = await apiData(server, 'GET', `/api/v1/webhooks/${dead.webhook.id}`);
        return endpoint.enabled ? null : endpoint;
      },
      { what: 'the endpoint to be disabled' },
    );
    assert.match(disabled.disabledReason, /failed throughout/);
    const [delivery] = (await apiData(server, 'GET', `/api/v1/webhooks/${dead.webhook.id}/deliveries`)).deliveries;
    assert.equal(delivery.state, 'failed');
    assert.equal(delivery.attempts, 4, 'the first attempt and the three retries of the schedule');
    assert.ok(delivery.attemptLog.every((attempt) => attempt.statusCode === null && /ECONNREFUSED/.test(attempt.error)));
    const audit = await apiData(server, 'GET', '/api/v1/audit?route=webhook%20delivery');
    assert.equal(audit.entries.length, 1);
    const heard = await eventually(async () => (await receiver.received()).events.find((event) => event.type === 'webhook.disabled'), {
      what: 'webhook.disabled',
    });
    assert.equal(heard.data.webhookId, dead.webhook.id);
    // A test ping to a disabled endpoint is refused; turned on again, it takes one.
    assert.equal((await server.request('POST', `/api/v1/webhooks/${dead.webhook.id}/test`)).status, 409);
    const ping = await server.request('POST', `/api/v1/webhooks/${watcher.webhook.id}/test`);
    assert.equal(ping.status, 202);
    await eventually(async () => (await receiver.received()).events.find((event) => event.id === ping.body.data.eventId), { what: 'the ping' });
  } finally {
    await server.close();
    receiver.stop();
  }
});

test('private receivers are refused at delivery too: a name that resolves to loopback is blocked unless allowed', async () => {
  const receiver = await startReceiver();
  const dataDir = path.join(tempDir(), 'data');
  const env = { LEADLINE_WEBHOOK_DELIVERY: '1', LEADLINE_WEBHOOK_RETRY_SCHEDULE: '100ms' };
  // Made while private receivers were allowed; the deployment then tightened its policy.
  const open = spawnServer(dataDir, { ...env, LEADLINE_WEBHOOK_DELIVERY: '0', LEADLINE_WEBHOOK_ALLOW_PRIVATE: '1' });
  const key = await open.ready.then(() => open.workspaceKey());
  let request = httpClient(await open.ready, key);
  const port = new URL(receiver.url).port;
  const endpoint = (await request('POST', '/api/v1/webhooks', { body: { url: `http://localhost:${port}/x`, events: ['lead.created'] } })).body.data;
  await receiver.control({ secret: endpoint.secret });
  open.child.kill('SIGTERM');
  await open.exited;

  const strict = spawnServer(dataDir, env);
  try {
    request = httpClient(await strict.ready, key);
    const refused = await request('POST', '/api/v1/webhooks', { body: { url: `https://localhost:${port}/x`, events: ['lead.created'] } });
    assert.equal(refused.status, 400);
    const campaign = (await request('POST', '/api/v1/campaigns', { body: { name: 'Hooks' } })).body.data;
    const hook = await request('POST', `/api/v1/campaigns/${campaign.id}/webhooks`, { body: { url: `http://127.0.0.1:${port}/x`, events: ['lead.added'] } });
    assert.equal(hook.status, 400, 'a campaign webhook to this machine is refused as well');
    assert.equal((await request('POST', '/api/v1/leads', { body: { email: 'ken@example.com' } })).status, 201);
    const failed = await eventually(async () => {
      const log = (await request('GET', `/api/v1/webhooks/${endpoint.webhook.id}/deliveries`)).body.data.deliveries;
      return log[0]?.state === 'failed' ? log[0] : null;
    }, { what: 'the blocked delivery to give up' });
    assert.ok(failed.attemptLog.every((attempt) => /blocked: localhost resolves to a loopback address/.test(attempt.error)), JSON.stringify(failed));
    assert.equal((await receiver.received()).attempts, 0, 'nothing reached the receiver');
  } finally {
    strict.child.kill('SIGTERM');
    await strict.exited;
    receiver.stop();
  }
});

test('killed between commit and delivery (kill -9), the event still arrives after the restart', async () => {
  const receiver = await startReceiver();
  const dataDir = path.join(tempDir(), 'data');
  const env = { LEADLINE_WEBHOOK_DELIVERY: '1', LEADLINE_WEBHOOK_ALLOW_PRIVATE: '1', LEADLINE_WEBHOOK_RETRY_SCHEDULE: '200ms' };
  let first = spawnServer(dataDir, env);
  const key = await first.ready.then(() => first.workspaceKey());
  let request = httpClient(await first.ready, key);
  const endpoint = (await request('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/h`, events: ['lead.created'] } })).body.data;
  await receiver.control({ secret: endpoint.secret });
  first.child.kill('SIGTERM');
  await first.exited;

  const crashing = spawnServer(dataDir, { ...env, LEADLINE_TEST_FAULT: 'crash-after-commit' });
  request = httpClient(await crashing.ready, key);
  await assert.rejects(request('POST', '/api/v1/leads', { body: { email: 'linus@example.com' } }));
  assert.equal(await crashing.exited, 'SIGKILL');
  assert.equal((await receiver.received()).events.length, 0, 'the process died before sending');

  const restarted = spawnServer(dataDir, env);
  try {
    await restarted.ready;
    const arrived = await eventually(async () => (await receiver.received()).events[0], { what: 'the event after restart' });
    assert.equal(arrived.type, 'lead.created');
    assert.equal(arrived.data.createdCount, 1);
  } finally {
    restarted.child.kill('SIGTERM');
    await restarted.exited;
    receiver.stop();
  }
});
