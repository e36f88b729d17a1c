// Webhooks in a cluster: only the workspace's owner sends, writes through any node are
// delivered once each, the attempts it records replicate like any write, and when the owner is
// killed with deliveries out, the next owner sends them again (same webhook-id: at least once).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually as waitFor, startReceiver } from '../host/webhook-receiver-process.mjs';
import { startTestCluster } from './helpers.mjs';

let cluster;
let receiver;
before(async () => {
  receiver = await startReceiver();
  cluster = await startTestCluster({
    env: { LEADLINE_WEBHOOK_ALLOW_PRIVATE: '1', LEADLINE_WEBHOOK_RETRY_SCHEDULE: '500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms' },
  });
});
after(async () => {
  await cluster?.stop();
  receiver?.stop();
});

async function ok(i, method, target, body) {
  const reply = await cluster.send(i, method, target, body === undefined ? {} : { body });
  assert.ok(reply.status < 300, `${method} ${target}: ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply.body.data;
}

test('writes through every node are delivered once each by the owner; a killed owner\'s deliveries are sent by the next', async () => {
  const endpoint = await ok(0, 'POST', '/api/v1/webhooks', { url: `${receiver.url}/cluster`, events: ['lead.created'] });
  await receiver.control({ secret: endpoint.secret });
  const leads = [];
  for (let i = 0; i < 3; i += 1) leads.push((await ok(i, 'POST', '/api/v1/leads', { email: `hook-${i}@cluster.example` })).id);
  const received = await waitFor(async () => {
    const now = await receiver.received();
    return now.events.length >= 3 ? now : null;
  }, { timeoutMs: 30000, what: 'three deliveries' });
  assert.equal(received.invalid, 0);
  assert.deepEqual(received.events.map((event) => event.data.leadIds[0]).sort(), [...leads].sort());
  assert.ok(received.events.every((event) => event.attempts === 1), 'each sent once');
  // The owner's records of its attempts reached every copy.
  await cluster.converged();
  for (let i = 0; i < 3; i += 1) {
    const log = (await cluster.send(i, 'GET', `/api/v1/webhooks/${endpoint.webhook.id}/deliveries`)).body.data.deliveries;
    assert.deepEqual(log.map((delivery) => delivery.state), ['delivered', 'delivered', 'delivered'], `node ${i}`);
  }

  // The receiver now answers slowly: the owner's attempts are out when it is killed.
  await receiver.control({ delayMs: 4000 });
  const owner = await cluster.ownerIndex(cluster.workspace);
  const other = (owner + 1) % 3;
  const late = [];
  for (let i = 0; i < 2; i += 1) late.push((await ok(other, 'POST', '/api/v1/leads', { email: `late-${i}@cluster.example` })).id);
  await waitFor(async () => (await receiver.received()).events.length >= 5, { timeoutMs: 30000, what: 'the owner to send the late events' });
  await cluster.nodes[owner].stop('SIGKILL');
  await receiver.control({ delayMs: 0 });
  const next = await cluster.ownerIndex(cluster.workspace, { except: owner, timeoutMs: 60000 });
  assert.notEqual(next, owner);
  const again = await waitFor(async () => {
    const now = await receiver.received();
    const redelivered = now.events.filter((event) => late.includes(event.data.leadIds[0]) && event.attempts >= 2);
    return redelivered.length === 2 ? now : null;
  }, { timeoutMs: 60000, what: 'the next owner to send the unreported deliveries again' });
  assert.equal(again.events.length, 5, 'no event lost, none recorded twice');
  await waitFor(async () => {
    const log = (await cluster.send(next, 'GET', `/api/v1/webhooks/${endpoint.webhook.id}/deliveries`)).body.data.deliveries;
    return log.every((delivery) => delivery.state === 'delivered');
  }, { timeoutMs: 30000, what: 'every delivery recorded as delivered' });
  await cluster.restart(owner);
  await cluster.converged();
});
