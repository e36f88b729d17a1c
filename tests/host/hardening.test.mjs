// Issue 5 over real HTTP: hostile input, rate limits, key handling, the bounded fair queue,
// and an engine that dies mid-request and comes back.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { FairQueue } from '../../node-host/src/fair-queue.mjs';
import { collectingLogger, readFixture, startTestServer } from './helpers.mjs';

// 20,000 tagged leads: a dry-run delete of all of them keeps the engine busy for a few hundred
// milliseconds (it runs inline and is rolled back, so it can be repeated).
// `batches` × 5,000 tagged leads; the dry-run delete of them all (busyRequest) keeps the engine's
// thread busy for a while (about 45 ms for 20,000 here, 200 ms for 100,000).
async function seedBusyWork(server, key, batches = 4) {
  for (let batch = 0; batch < batches; batch += 1) {
    const leads = Array.from({ length: 5000 }, (_, i) => ({ email: `busy${batch}-${i}@example.com`, tags: ['busy'] }));
    const reply = await server.request('POST', '/api/v1/leads', { body: { leads }, key });
    assert.equal(reply.status, 201);
  }
}
const busyRequest = (server, key) =>
  server.request('DELETE', '/api/v1/leads', { body: { deleteAll: true, filters: { tags: ['busy'] }, dryRun: true }, key });
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('input limits (tests/fixtures/input_limits.json, as tests/core reads it)', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const row of readFixture('input_limits.json').cases) {
    test(row.name, async () => {
      let bytes = Buffer.alloc(0);
      if (row.raw !== undefined) bytes = Buffer.from(row.raw);
      if (row.rawHex !== undefined) bytes = Buffer.from(row.rawHex, 'hex');
      if (row.body !== undefined) bytes = Buffer.from(JSON.stringify(row.body));
      // Sent as bytes, so invalid UTF-8 reaches the server exactly as given.
      const reply = await server.request(row.method, row.path, {
        raw: bytes.length > 0 ? bytes : undefined,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(reply.status, row.status);
      assert.equal(reply.body.error.code, 'VALIDATION_ERROR');
      assert.equal(reply.body.error.field, row.field);
      assert.ok(reply.body.error.message.includes(row.message), reply.body.error.message);
      const leads = await server.request('GET', '/api/v1/leads');
      assert.equal(leads.body.data.leads.length, 0);
    });
  }

  test('a declared body over 16 MiB is refused before it is sent', async () => {
    // Only the headers go out; the reply must come without the server waiting for 17 MiB.
    const reply = await new Promise((resolve, reject) => {
      const req = http.request(`${server.baseUrl}/api/v1/leads`, {
        method: 'POST',
        headers: { 'x-api-key': server.workspaceKey, 'content-type': 'application/json', 'content-length': 17 * 1024 * 1024 },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
        req.destroy();
      });
      req.on('error', (error) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
      req.write('{"email":"a@example.com","firstName":"');
      req.flushHeaders();
    });
    assert.equal(reply, 413);
  });

  test('a chunked body is cut off at 16 MiB with 413', async () => {
    const reply = await new Promise((resolve, reject) => {
      const req = http.request(`${server.baseUrl}/api/v1/leads`, {
        method: 'POST',
        headers: { 'x-api-key': server.workspaceKey, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
        req.destroy();
      });
      req.on('error', (error) => (['ECONNRESET', 'EPIPE'].includes(error.code) ? undefined : reject(error)));
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < 20 && req.write(chunk)) sent += 1;
        if (sent < 20) req.once('drain', () => ((sent += 1), pump()));
      };
      pump();
    });
    assert.equal(reply, 413);
    const leads = await server.request('GET', '/api/v1/leads');
    assert.equal(leads.body.data.leads.length, 0);
  });
});

describe('rate limits', () => {
  let server;
  let otherKey;
  before(async () => {
    server = await startTestServer({ rateLimit: { limit: 5, windowSeconds: 60 } });
    otherKey = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId })).data.key;
  });
  after(() => server.close());

  test('each key has its own quota; over it is 429 with Retry-After and the IETF headers, and nothing runs', async () => {
    for (let i = 0; i < 5; i += 1) {
      const reply = await server.request('GET', '/api/v1/leads');
      assert.equal(reply.status, 200);
      assert.equal(reply.headers.get('ratelimit-policy'), '"per-key";q=5;w=60');
      assert.match(reply.headers.get('ratelimit'), new RegExp(`^"per-key";r=${4 - i};t=\\d+$`));
    }
    const refused = await server.request('POST', '/api/v1/leads', { body: { email: 'flood@example.com' } });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.match(refused.headers.get('ratelimit'), /^"per-key";r=0;t=\d+$/);

    // Another key of the same workspace still has all of its quota, and sees the flood's write never happened.
    const other = await server.request('GET', '/api/v1/leads?search=flood', { key: otherKey });
    assert.equal(other.status, 200);
    assert.match(other.headers.get('ratelimit'), /^"per-key";r=4;/);
    assert.equal(other.body.data.leads.length, 0);
  });

  test('requests without a key are limited by address, apart from keyed ones', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await server.request('GET', '/api/v1/health', { key: null })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
  });
});

describe('keys', () => {
  test('?api_key= can be switched off; headers still work', async () => {
    const server = await startTestServer({ engineOptions: { allowQueryKey: false } });
    try {
      const refused = await server.request('GET', `/api/v1/leads?api_key=${server.workspaceKey}`, { key: null });
      assert.equal(refused.status, 401);
      assert.match(refused.body.error.details.message, /switched off/);
      assert.equal((await server.request('GET', '/api/v1/leads')).status, 200);
    } finally {
      await server.close();
    }
  });

  test('a revoked key is refused on the very next request', async () => {
    const server = await startTestServer();
    try {
      const created = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId })).data;
      assert.equal((await server.request('GET', '/api/v1/leads', { key: created.key })).status, 200);
      await server.admin({ command: 'revoke-key', keyId: created.id });
      const refused = await server.request('GET', '/api/v1/leads', { key: created.key });
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.message, 'Invalid or inactive API key');
    } finally {
      await server.close();
    }
  });

  test('no key or body ever appears in a log line, whatever happens to the request; each line is JSON', async () => {
    const { logger, lines, entries } = collectingLogger();
    const server = await startTestServer({
      logger,
      rateLimit: { limit: 6, windowSeconds: 60 },
      faults: { engineAbort: true },
    });
    try {
      const key = server.workspaceKey;
      const wrong = `${key.slice(0, -4)}ZZZZ`;
      // Verified before the flood of wrong keys below: from then on it is charged to itself.
      const otherKey = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId })).data.key;
      assert.equal((await server.request('GET', '/api/v1/leads', { key: otherKey })).status, 200);
      await server.request('GET', `/api/v1/leads?api_key=${key}`, { key: null });
      await server.request('GET', `/api/v1/leads?api_key=${wrong}`, { key: null });
      await server.request('GET', '/api/v1/leads', { headers: { authorization: `Bearer ${key}` } });
      await server.request('POST', '/api/v1/leads', { body: { email: key } }); // a key pasted into data
      await server.request('GET', `/api/v1/nowhere?api_key=${key}`, { key: null });
      await server.request('POST', '/api/v1/leads', { raw: '{', headers: { 'content-type': 'application/json' } });
      await server.request('GET', '/api/v1/leads', { headers: { 'leadline-test-fault': 'engine-abort' } });
      for (let i = 0; i < 7; i += 1) await server.request('GET', '/api/v1/leads', { key: wrong }); // 401s, then 429s
      assert.ok(lines.length >= 10, lines.join('\n'));
      const logged = entries();
      assert.ok(logged.some((entry) => entry.msg === 'request' && entry.status === 429), lines.join('\n'));
      assert.ok(logged.some((entry) => /engine stopped/.test(entry.msg)), lines.join('\n'));
      // Every request line names its request and its route pattern, and carries no query string.
      for (const entry of logged.filter((line) => line.msg === 'request')) {
        assert.match(entry.reqId, /^req_[0-9a-f]{24}$/);
        assert.ok(!entry.path.includes('?'), entry.path);
        assert.equal(typeof entry.route, 'string');
      }
      assert.ok(logged.some((entry) => entry.msg === 'request' && entry.route === '/leads' && entry.method === 'POST'), lines.join('\n'));
      const secret = (text) => text.slice(3, -4); // what the display form never shows
      for (const line of lines) {
        assert.ok(!line.includes(secret(key)), `log line shows a key: ${line}`);
        assert.ok(!line.includes(secret(wrong)), `log line shows a key: ${line}`);
      }
      // The audit trail keeps a write's query without api_key, and the key's display prefix only.
      const write = await server.request('POST', `/api/v1/leads?api_key=${otherKey}`, { key: null, body: { email: 'q@example.com' } });
      assert.equal(write.status, 201);
      const audit = await server.request('GET', '/api/v1/audit?limit=100', { key: otherKey });
      const entry = audit.body.data.entries.find((row) => row.request.body?.email === 'q@example.com');
      assert.deepEqual(entry.request.query, {});
      assert.equal(entry.keyPrefix, otherKey.slice(0, 7));
      assert.ok(!audit.text.includes(secret(otherKey)));
    } finally {
      await server.close();
    }
  });
});

describe('responsiveness: bounded fair queue', () => {
  test('FairQueue takes turns between lanes and refuses past its capacity', () => {
    const queue = new FairQueue(5, 3);
    for (const item of ['a1', 'a2', 'a3']) assert.ok(queue.push('a', item));
    assert.equal(queue.push('a', 'a4'), false); // lane full
    assert.ok(queue.push('b', 'b1'));
    assert.ok(queue.push('c', 'c1'));
    assert.equal(queue.push('c', 'c2'), false); // queue full
    const order = [];
    for (let item = queue.shift(); item; item = queue.shift()) order.push(item);
    assert.deepEqual(order, ['a1', 'b1', 'c1', 'a2', 'a3']);
  });

  test('FairQueue gives a background lane (webhook delivery) one turn in four while requests wait, every turn alone', () => {
    const queue = new FairQueue(100, 50);
    queue.markBackground('webhooks');
    for (let i = 0; i < 8; i += 1) assert.ok(queue.push('key', `r${i}`));
    for (let i = 0; i < 3; i += 1) assert.ok(queue.push('webhooks', `w${i}`));
    assert.equal(queue.foreground, 8, 'background entries are not counted as waiting requests');
    const order = [];
    for (let item = queue.shift(); item; item = queue.shift()) order.push(item);
    assert.deepEqual(order, ['r0', 'r1', 'r2', 'w0', 'r3', 'r4', 'r5', 'w1', 'r6', 'r7', 'w2']);
    assert.equal(queue.foreground, 0);
  });

  test('while the engine is busy: static files are served, a full queue answers 503 + Retry-After, another key is not stuck behind a flood', async () => {
    const server = await startTestServer({ rateLimit: null, maxQueued: 6 });
    try {
      const floodKey = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId })).data.key;
      // Verified once, so its requests wait in a lane of their own (an unverified key shares one small lane).
      assert.equal((await server.request('GET', '/api/v1/leads?limit=1', { key: floodKey })).status, 200);
      // Long enough that the flood and the other key's request all arrive while it runs.
      await seedBusyWork(server, undefined, 20);
      const busy = busyRequest(server, floodKey);
      await pause(15);
      // The engine's thread is busy; the main thread is not.
      const page = await fetch(`${server.baseUrl}/`);
      assert.equal(page.status, 200);

      const finished = [];
      const track = (name, promise) => promise.then((reply) => (finished.push(name), reply));
      const flood = [];
      for (let i = 0; i < 12; i += 1) flood.push(track(`flood${i}`, server.request('GET', '/api/v1/leads?limit=1', { key: floodKey })));
      await pause(10);
      const other = await track('other', server.request('GET', '/api/v1/leads?limit=1'));
      const floods = await Promise.all(flood);
      assert.equal((await busy).status, 200);

      assert.equal(other.status, 200, other.text);
      const refused = floods.filter((reply) => reply.status === 503);
      assert.ok(refused.length >= 1, `statuses ${floods.map((reply) => reply.status)}`);
      for (const reply of refused) {
        assert.equal(reply.body.error.code, 'UNAVAILABLE');
        assert.equal(reply.headers.get('retry-after'), '1');
      }
      assert.ok(floods.every((reply) => reply.status === 200 || reply.status === 503));
      // Taking turns: the other key's request was answered before the flood's last accepted one.
      const lastAccepted = Math.max(...floods.map((reply, i) => (reply.status === 200 ? finished.indexOf(`flood${i}`) : -1)));
      assert.ok(finished.indexOf('other') < lastAccepted, finished.join(' '));
    } finally {
      await server.close();
    }
  });
});

describe('engine abort', () => {
  test('an engine that dies answers its in-flight requests 503, restarts, and loses nothing acknowledged', async () => {
    const { logger, lines } = collectingLogger();
    const server = await startTestServer({ rateLimit: null, faults: { engineAbort: true }, logger });
    try {
      const created = await server.request('POST', '/api/v1/leads', { body: { email: 'kept@example.com' } });
      assert.equal(created.status, 201);
      await seedBusyWork(server);
      const busy = busyRequest(server);
      await pause(40);
      const aborting = server.request('GET', '/api/v1/leads', { headers: { 'leadline-test-fault': 'engine-abort' } });
      const bystanders = Array.from({ length: 4 }, (_, i) =>
        server.request('POST', '/api/v1/leads', { body: { email: `bystander${i}@example.com` } }),
      );
      const [busyReply, abortReply, ...others] = await Promise.all([busy, aborting, ...bystanders]);
      assert.equal(busyReply.status, 200);
      assert.equal(abortReply.status, 503);
      assert.equal(abortReply.body.error.code, 'UNAVAILABLE');
      assert.equal(abortReply.headers.get('retry-after'), '1');
      assert.ok(others.every((reply) => reply.status === 201 || reply.status === 503), others.map((r) => r.status).join());

      // Service is back: the acknowledged lead is there, and the bystanders are there exactly when they were acknowledged.
      const health = await server.request('GET', '/api/v1/health');
      assert.equal(health.status, 200);
      assert.equal(server.app.engine.restarts(), 1);
      const kept = await server.request('GET', '/api/v1/leads?search=kept@example.com');
      assert.equal(kept.body.data.leads.length, 1);
      for (let i = 0; i < others.length; i += 1) {
        const found = await server.request('GET', `/api/v1/leads?search=bystander${i}@`);
        if (others[i].status === 201) assert.equal(found.body.data.leads.length, 1);
      }
      assert.equal((await server.request('POST', '/api/v1/leads', { body: { email: 'after@example.com' } })).status, 201);
      assert.ok(lines.some((line) => /engine stopped/.test(line)) && lines.some((line) => /engine restarted/.test(line)), lines.join('\n'));
    } finally {
      await server.close();
    }
  });
});
