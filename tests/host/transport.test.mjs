// What the host does around the engine: body limits, media types, routing misses, static files.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('health answers without a key', async () => {
  const reply = await server.request('GET', '/api/v1/health', { key: null });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { success: true, data: { status: 'ok', schemaVersion: 5 } });
});

test('a body over 16 MiB is 413 and nothing is stored', async () => {
  const big = JSON.stringify({ email: 'big@example.com', firstName: 'x'.repeat(17 * 1024 * 1024) });
  const reply = await server.request('POST', '/api/v1/leads', { raw: big, headers: { 'content-type': 'application/json' } });
  assert.equal(reply.status, 413);
  assert.equal(reply.body.error.code, 'PAYLOAD_TOO_LARGE');
  const list = await server.request('GET', '/api/v1/leads?search=big@example.com');
  assert.equal(list.body.data.leads.length, 0);
});

test('a non-JSON body is 415; malformed JSON and duplicate keys are 400 naming the body', async () => {
  const form = await server.request('POST', '/api/v1/leads', {
    raw: 'email=a@example.com',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(form.status, 415);
  assert.equal(form.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
  for (const raw of ['{"email": ', '{"email":"a@example.com","email":"b@example.com"}', '[' .repeat(100) + ']'.repeat(100)]) {
    const reply = await server.request('POST', '/api/v1/leads', { raw, headers: { 'content-type': 'application/json' } });
    assert.equal(reply.status, 400, raw.slice(0, 40));
    assert.equal(reply.body.error.field, 'body');
  }
});

test('unknown routes are 404 and wrong methods 405 with Allow', async () => {
  const missing = await server.request('GET', '/api/v1/unknown');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'NOT_FOUND');
  const method = await server.request('DELETE', '/api/v1/health');
  assert.equal(method.status, 405);
  assert.equal(method.headers.get('allow'), 'GET');
});

test('the console and the browser wasm build are served as static files', async () => {
  const index = await fetch(`${server.baseUrl}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /text\/html/);
  const wasm = await fetch(`${server.baseUrl}/wasm/leadline-web.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const escape = await fetch(`${server.baseUrl}/..%2f..%2fpackage.json`);
  assert.equal(escape.status, 404);
});
