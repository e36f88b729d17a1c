// What a hostile or careless client tried against a running server, each now refused: query
// parameters nobody reads, credentials sent twice, made-up keys that claimed quotas and queue
// turns, slow and oversized transport, files the console never needed, and pages without a
// security policy. The campaign-restricted keys' reach is in tenant-isolation.test.mjs.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_TRANSPORT } from '../../node-host/src/config.mjs';
import { readFixture, startTestServer } from './helpers.mjs';

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fakeKey = (i) => `sk_${String(i).padStart(32, 'F')}`;

// Raw requests, for what fetch would tidy up (a header line sent twice).
function rawRequest(baseUrl, { method = 'GET', path, headers = {} }) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// Opens a socket and resolves, once the server closes it, with how long that took (ms).
function timeUntilClosed(baseUrl, write = () => {}) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname, () => write(socket));
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.on('close', () => resolve(Date.now() - started));
  });
}

// Replaces "@name" placeholders of the fixture.
function fill(text, values) {
  let out = text;
  for (const [name, value] of Object.entries(values)) out = out.split(name).join(value);
  return out;
}

describe('query parameters (tests/fixtures/query_param_requests.json, as tests/core reads it)', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const row of readFixture('query_param_requests.json').cases) {
    test(row.name, async () => {
      const tag = Math.random().toString(36).slice(2);
      const lead = (await server.request('POST', '/api/v1/leads', { body: { email: `kept-${tag}@example.com`, externalId: `ext-${tag}`, firstName: 'Kept' } }))
        .body.data;
      const campaign = (await server.request('POST', '/api/v1/campaigns', { body: { name: `Kept ${tag}` } })).body.data;
      await server.request('POST', `/api/v1/campaigns/${campaign.id}/leads`, { body: { leads: [{ leadId: lead.id }] } });
      const values = { '@externalId': `ext-${tag}`, '@campaign': campaign.id, '@lead': lead.id, '@key': server.workspaceKey };
      const before = (await server.request('GET', '/api/v1/leads/export?format=json')).text;
      const auditBefore = (await server.request('GET', '/api/v1/audit?limit=100')).body.data.entries.length;

      const body = row.body === undefined ? undefined : JSON.parse(fill(JSON.stringify(row.body), values));
      const reply = await server.request(row.method, fill(row.path, values), { body });
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.body.error.field, row.field);
      if (row.message) assert.equal(reply.body.error.message, row.message);

      assert.equal((await server.request('GET', '/api/v1/leads/export?format=json')).text, before, 'leads changed');
      const kept = (await server.request('GET', `/api/v1/campaigns/${campaign.id}`)).body.data;
      assert.equal(kept.name, `Kept ${tag}`);
      assert.equal(kept.status, 'draft');
      assert.equal(kept.leadCounts.total, 1);
      const audit = await server.request('GET', '/api/v1/audit?limit=100');
      assert.equal(audit.body.data.entries.length, auditBefore, 'an audit entry was written');
      assert.ok(!audit.text.includes(server.workspaceKey.slice(3, -4)), 'the audit trail shows the key');
    });
  }

  test('repeatable lists still work', async () => {
    const campaign = (await server.request('POST', '/api/v1/campaigns', { body: { name: 'Lists' } })).body.data;
    for (const row of readFixture('query_param_requests.json').accepted) {
      const reply = await server.request(row.method, fill(row.path, { '@campaign': campaign.id }));
      assert.equal(reply.status, 200, `${row.name}: ${reply.text}`);
    }
  });

  test('a key-shaped value in an accepted write is redacted in the audit trail', async () => {
    const other = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId })).data.key;
    const created = await server.request('POST', '/api/v1/leads', {
      body: { email: 'pasted@example.com', lastName: other, customFields: { apiKey: 'abc', note: `use ${server.workspaceKey}` } },
    });
    assert.equal(created.status, 201);
    const audit = await server.request('GET', '/api/v1/audit?limit=100', { key: other });
    assert.ok(audit.text.includes('pasted@example.com'));
    for (const secret of [other, server.workspaceKey]) assert.ok(!audit.text.includes(secret.slice(3, -4)), 'a key is in the audit trail');
    const entry = audit.body.data.entries.find((row) => row.request.body?.email === 'pasted@example.com');
    assert.deepEqual(entry.request.body.customFields, { apiKey: '[redacted]', note: '[redacted]' });
    assert.equal(entry.request.body.lastName, '[redacted]');
  });
});

describe('one credential per request', () => {
  let server;
  let otherKey;
  before(async () => {
    server = await startTestServer({ authFailureLimit: null });
    otherKey = (await server.admin({ command: 'create-key', workspaceId: server.workspaceId })).data.key;
  });
  after(() => server.close());

  test('a credential given twice, in any form, equal or not, is 401 and reads nothing', async () => {
    const own = server.workspaceKey;
    const attempts = [
      { path: `/api/v1/leads?api_key=${own}&api_key=${otherKey}` },
      { path: `/api/v1/leads?api_key=junk&api_key=${own}` },
      { path: `/api/v1/leads?api_key=${own}&api_key=${own}` },
      { path: '/api/v1/leads', headers: { 'x-api-key': [own, otherKey] } },
      { path: '/api/v1/leads', headers: { 'x-api-key': [own, own] } },
      { path: '/api/v1/leads', headers: { authorization: [`Bearer ${own}`, `Bearer ${otherKey}`] } },
      { path: '/api/v1/leads', headers: { authorization: [`Bearer ${own}`, `Bearer ${own}`] } },
    ];
    for (const attempt of attempts) {
      const reply = await rawRequest(server.baseUrl, attempt);
      assert.equal(reply.status, 401, JSON.stringify(attempt));
      assert.equal(reply.body.error.message, 'Invalid or inactive API key');
      assert.match(reply.body.error.details.message, /more than one API key/);
    }
    // One of them alone works, and so does the same key in both headers (SendKit's samples).
    assert.equal((await rawRequest(server.baseUrl, { path: `/api/v1/leads?api_key=${own}` })).status, 200);
    const both = await rawRequest(server.baseUrl, { path: '/api/v1/leads', headers: { 'x-api-key': otherKey, authorization: `Bearer ${otherKey}` } });
    assert.equal(both.status, 200);
  });

  test('the same key in both headers is charged to the key, not to the address', async () => {
    const limited = await startTestServer({ rateLimit: { limit: 3, windowSeconds: 60 } });
    try {
      const headers = { 'x-api-key': limited.workspaceKey, authorization: `Bearer ${limited.workspaceKey}` };
      const remaining = [];
      for (let i = 0; i < 3; i += 1) remaining.push((await rawRequest(limited.baseUrl, { path: '/api/v1/leads', headers })).headers.ratelimit);
      assert.deepEqual(remaining.map((value) => /r=(\d+)/.exec(value)[1]), ['2', '1', '0']);
      // The address's own quota is untouched.
      assert.match((await limited.request('GET', '/api/v1/health', { key: null })).headers.get('ratelimit'), /r=2;/);
    } finally {
      await limited.close();
    }
  });
});

describe('unauthenticated traffic cannot starve tenants', () => {
  test('key guessing from one address hits 429 after a few refusals; a verified key from it still works', async () => {
    const server = await startTestServer({ authFailureLimit: { limit: 10, windowSeconds: 60 } });
    try {
      assert.equal((await server.request('GET', '/api/v1/leads')).status, 200); // verified before the guessing
      const statuses = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await server.request('GET', '/api/v1/leads', { key: fakeKey(i) })).status);
      assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
      const refused = await server.request('GET', '/api/v1/leads', { key: fakeKey(99) });
      assert.equal(refused.body.error.code, 'RATE_LIMITED');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal((await server.request('GET', '/api/v1/leads')).status, 200);
    } finally {
      await server.close();
    }
  });

  test('a flood of made-up keys while the engine is busy takes no turn from a real tenant', async () => {
    const server = await startTestServer({
      rateLimit: null,
      authFailureLimit: null,
      maxQueued: 32,
      transport: { ...DEFAULT_TRANSPORT, maxConnectionsPerAddress: 1024 }, // 300 sockets from one test client
    });
    try {
      const leads = Array.from({ length: 5000 }, (_, i) => ({ email: `heavy${i}@example.com`, tags: ['heavy'] }));
      for (let batch = 0; batch < 3; batch += 1) {
        const more = leads.map((lead) => ({ ...lead, email: `${batch}-${lead.email}` }));
        assert.equal((await server.request('POST', '/api/v1/leads', { body: { leads: more } })).status, 201);
      }
      // Three previews of a 15,000-lead delete keep the engine busy for a second or so.
      const heavy = Promise.all(
        [1, 2, 3].map(() => server.request('DELETE', '/api/v1/leads', { body: { deleteAll: true, filters: { tags: ['heavy'] }, dryRun: true } })),
      );
      await pause(30);
      const flood = Array.from({ length: 300 }, (_, i) => server.request('GET', '/api/v1/leads?limit=1', { key: fakeKey(i) }));
      await pause(10);
      const tenant = await Promise.all(Array.from({ length: 5 }, () => server.request('GET', '/api/v1/leads?limit=1')));
      const fakes = await Promise.all(flood);
      assert.deepEqual((await heavy).map((reply) => reply.status), [200, 200, 200]);
      assert.deepEqual(tenant.map((reply) => reply.status), [200, 200, 200, 200, 200]);
      // The made-up keys were refused by the catalog's engine before any workspace engine's queue:
      // none waited for a turn, none got in as a tenant.
      assert.ok(fakes.every((reply) => reply.status === 401), fakes.map((r) => r.status).join(' '));
    } finally {
      await server.close();
    }
  });
});

describe('the transport is bounded', () => {
  let server;
  before(async () => {
    server = await startTestServer({
      transport: { ...DEFAULT_TRANSPORT, headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 500, maxConnectionsPerAddress: 20 },
    });
  });
  after(() => server.close());

  test('slow headers, a trickled body and idle sockets are closed', async () => {
    const slowHeaders = timeUntilClosed(server.baseUrl, (socket) => {
      socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n');
      const timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
      socket.on('close', () => clearInterval(timer));
    });
    const trickle = timeUntilClosed(server.baseUrl, (socket) => {
      socket.write(`POST /api/v1/leads HTTP/1.1\r\nHost: x\r\nX-Api-Key: ${server.workspaceKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
      const timer = setInterval(() => socket.writable && socket.write(' '), 250);
      socket.on('close', () => clearInterval(timer));
    });
    const idle = Array.from({ length: 10 }, () => timeUntilClosed(server.baseUrl));
    const closedAfter = await Promise.all([slowHeaders, trickle, ...idle]);
    for (const ms of closedAfter) assert.ok(ms < 6000, `a socket stayed open ${ms} ms`);
    assert.equal((await server.request('GET', '/api/v1/leads?search=x')).status, 200);
  });

  test('connections beyond the per-address cap are closed at once', async () => {
    const { hostname, port } = new URL(server.baseUrl);
    const sockets = [];
    const closed = [];
    for (let i = 0; i < 30; i += 1) {
      const socket = net.connect(Number(port), hostname);
      socket.on('error', () => {});
      socket.on('close', () => closed.push(i));
      sockets.push(socket);
    }
    await pause(300);
    assert.ok(closed.length >= 10, `only ${closed.length} of 30 closed`);
    for (const socket of sockets) socket.destroy();
    await pause(100);
    assert.equal((await server.request('GET', '/api/v1/health')).status, 200);
  });

  test('a route refuses a body larger than it takes before parsing; a batch of tiny values is refused without building it', async () => {
    const nested = `{"name":"x","metadata":{"a":[${'[],'.repeat(400000)}[]]}}`; // 1.2 MB for a campaign name
    const started = Date.now();
    const small = await server.request('POST', '/api/v1/campaigns', { raw: nested, headers: { 'content-type': 'application/json' } });
    assert.equal(small.status, 413);
    assert.equal(small.body.error.code, 'PAYLOAD_TOO_LARGE');
    const batch = `{"email":"n@example.com","metadata":{"a":[${'[],'.repeat(5_000_000)}[]]}}`; // 15 MB of empty arrays
    const big = await server.request('POST', '/api/v1/leads', { raw: batch, headers: { 'content-type': 'application/json' } });
    assert.equal(big.status, 400);
    assert.match(big.body.error.message, /more than 1000000 values/);
    assert.ok(Date.now() - started < 5000);
    assert.equal((await server.request('GET', '/api/v1/leads')).body.data.leads.length, 0);
  });
});

describe('static files and security headers', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('only the console’s own files are served from the build and vendor folders', async () => {
    for (const file of ['/wasm/leadline-web.mjs', '/wasm/leadline-web.wasm', '/vendor/swagger-ui/swagger-ui-bundle.js', '/', '/reference.html']) {
      assert.equal((await fetch(server.baseUrl + file)).status, 200, file);
    }
    for (const file of ['/wasm/Makefile', '/wasm/cmake_install.cmake', '/wasm/leadline-node.wasm', '/wasm/leadline-node.cjs', '/wasm/CMakeFiles/', '/vendor/swagger-ui/package.json', '/wasm/../../CMakeLists.txt']) {
      const reply = await fetch(server.baseUrl + file);
      assert.equal(reply.status, 404, file);
    }
  });

  test('malformed percent-encoding is a 400', async () => {
    for (const file of ['/%ff', '/%', '/js/%E0%A4%A']) {
      const reply = await fetch(server.baseUrl + file);
      assert.equal(reply.status, 400, file);
      assert.equal((await reply.json()).error.code, 'VALIDATION_ERROR');
    }
  });

  test('pages carry a same-origin Content-Security-Policy and friends; API replies are not stored', async () => {
    for (const page of ['/', '/reference.html', '/js/main.mjs']) {
      const reply = await fetch(server.baseUrl + page);
      const policy = reply.headers.get('content-security-policy');
      assert.match(policy, /default-src 'self'/);
      assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
      assert.match(policy, /frame-ancestors 'none'/);
      assert.ok(!/unsafe-inline/.test(policy));
      assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(reply.headers.get('referrer-policy'), 'no-referrer');
    }
    const lead = await server.request('POST', '/api/v1/leads', { body: { email: 'private@example.com' } });
    for (const reply of [lead, await server.request('GET', '/api/v1/leads'), await server.request('GET', '/api/v1/leads/export?format=csv')]) {
      assert.equal(reply.headers.get('cache-control'), 'no-store');
      assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
    }
    assert.equal((await server.request('GET', '/api/v1/nowhere')).headers.get('cache-control'), 'no-store');
  });
});
