// A burst of 10,000 events, each its own committed write, delivered to a real receiver process:
// none is lost, none is accepted twice, and the API keeps answering meanwhile. (How fast it
// answers meanwhile is measured by `npm run bench`, not asserted here.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiData, startTestServer } from './helpers.mjs';
import { eventually, startReceiver } from './webhook-receiver-process.mjs';

const EVENTS = Number(process.env.LEADLINE_WEBHOOK_BURST ?? 10_000);

test(`a burst of ${EVENTS} events: every one arrives once, verified`, { timeout: 300_000 }, async () => {
  const receiver = await startReceiver();
  const server = await startTestServer({ rateLimit: null, engineOptions: { webhookAllowPrivate: true }, webhooks: { deliver: true } });
  try {
    const endpoint = await apiData(server, 'POST', '/api/v1/webhooks', { url: `${receiver.url}/burst`, events: ['lead.created'] });
    await receiver.control({ secret: endpoint.secret });
    const created = new Set();
    let next = 0;
    const writer = async () => {
      while (next < EVENTS) {
        const index = next++;
        const lead = await apiData(server, 'POST', '/api/v1/leads', { email: `burst-${index}@example.com` });
        created.add(lead.id);
      }
    };
    const reads = [];
    let writing = true;
    const reader = async () => {
      while (writing) {
        const started = performance.now();
        const reply = await server.request('GET', '/api/v1/leads?limit=1');
        assert.equal(reply.status, 200);
        reads.push(performance.now() - started);
      }
    };
    const began = performance.now();
    const readers = [reader()];
    await Promise.all(Array.from({ length: 8 }, writer));
    writing = false;
    await Promise.all(readers);
    const wrote = performance.now() - began;
    const received = await eventually(
      async () => {
        const now = await receiver.received();
        return now.events.length >= EVENTS ? now : null;
      },
      { timeoutMs: 240_000, what: `${EVENTS} deliveries` },
    );
    const delivered = performance.now() - began;
    assert.equal(received.invalid, 0);
    const ids = new Set(received.events.map((event) => event.data.leadIds[0]));
    assert.equal(ids.size, EVENTS, 'one event per lead');
    assert.deepEqual([...created].filter((id) => !ids.has(id)), [], 'no event lost');
    assert.ok(received.events.every((event) => event.attempts === 1), 'none sent twice');
    assert.equal((await apiData(server, 'GET', `/api/v1/webhooks/${endpoint.webhook.id}/deliveries?state=pending`)).deliveries.length, 0);
    reads.sort((a, b) => a - b);
    const p99 = reads[Math.floor(reads.length * 0.99)] ?? 0;
    console.log(`webhook burst: ${EVENTS} writes in ${Math.round(wrote)} ms, all delivered after ${Math.round(delivered)} ms; GET p99 ${p99.toFixed(1)} ms over ${reads.length} reads meanwhile`);
  } finally {
    await server.close();
    receiver.stop();
  }
});
