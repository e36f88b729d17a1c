// Every reply names its request (X-Request-Id), and an internal failure shows the client only
// that id: the detail — here a real SQLite error — is in the server's log under the same id.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { collectingLogger, startTestServer } from './helpers.mjs';

let server;
const { logger, entries } = collectingLogger();
before(async () => {
  server = await startTestServer({ faults: { sqliteError: true }, logger });
});
after(() => server.close());

test('every reply carries X-Request-Id; a well-formed one sent by the client is kept', async () => {
  const replies = [
    await server.request('GET', '/api/v1/leads'),
    await server.request('GET', '/api/v1/health', { key: null }),
    await server.request('GET', '/api/v1/leads', { key: 'sk_wrong' }),
    await server.request('GET', '/api/v1/nowhere'),
    await server.request('POST', '/api/v1/leads', { raw: '{', headers: { 'content-type': 'application/json' } }),
  ];
  const ids = replies.map((reply) => reply.headers.get('x-request-id'));
  for (const id of ids) assert.match(id, /^req_[0-9a-f]{24}$/);
  assert.equal(new Set(ids).size, ids.length);
  const page = await fetch(`${server.baseUrl}/`);
  assert.match(page.headers.get('x-request-id'), /^req_/);

  const kept = await server.request('GET', '/api/v1/leads', { headers: { 'x-request-id': 'client-trace.42:a' } });
  assert.equal(kept.headers.get('x-request-id'), 'client-trace.42:a');
  for (const junk of ['has space', 'x'.repeat(129), 'semi;colon']) {
    const replaced = await server.request('GET', '/api/v1/leads', { headers: { 'x-request-id': junk } });
    assert.match(replaced.headers.get('x-request-id'), /^req_[0-9a-f]{24}$/);
  }
});

test('a SQLite error: the client sees "Internal error" and the id, the log has the detail under that id', async () => {
  const before = entries().length;
  const reply = await server.request('POST', '/api/v1/leads', {
    body: { email: 'never@example.com' },
    headers: { 'leadline-test-fault': 'sqlite-error' },
  });
  assert.equal(reply.status, 500);
  const id = reply.headers.get('x-request-id');
  assert.deepEqual(reply.body, { success: false, error: { code: 'INTERNAL', message: 'Internal error', requestId: id } });
  assert.ok(!/sqlite|no such|table/i.test(reply.text), reply.text);
  const logged = entries().slice(before).filter((entry) => entry.reqId === id);
  const shown = JSON.stringify(logged);
  assert.ok(logged.some((entry) => entry.level === 'error' && entry.msg === 'internal error' && /no such table/.test(entry.detail)), shown);
  assert.ok(logged.some((entry) => entry.msg === 'request' && entry.status === 500 && entry.route === '/leads'), shown);
  // Nothing was written, and the next request is served normally.
  assert.equal((await server.request('GET', '/api/v1/leads?search=never')).body.data.leads.length, 0);
  assert.equal((await server.request('POST', '/api/v1/leads', { body: { email: 'after@example.com' } })).status, 201);
});

test('without the fault switched on, the header does nothing', async () => {
  const plain = await startTestServer();
  try {
    const reply = await plain.request('POST', '/api/v1/leads', { body: { email: 'x@example.com' }, headers: { 'leadline-test-fault': 'sqlite-error' } });
    assert.equal(reply.status, 201);
  } finally {
    await plain.close();
  }
});
