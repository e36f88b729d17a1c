// The wasm engine's validate() — what the console will call while a user types — gives the
// same error, byte for byte, as the server gives for the same request over HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openEngine } from '../../wasm/loader.mjs';
import { expandFixture, readFixture, startTestServer } from './helpers.mjs';

let server;
let engine;
before(async () => {
  server = await startTestServer();
  engine = await openEngine(':memory:');
});
after(async () => {
  engine.close();
  await server.close();
});

test('validate() and the HTTP API refuse each fixture case with the same error', async () => {
  for (const row of readFixture('invalid_lead_requests.json').cases) {
    const body = JSON.stringify(expandFixture(row.body));
    const validated = engine.validate({
      method: 'POST',
      path: '/api/v1/leads',
      query: '',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const served = await server.request('POST', '/api/v1/leads', {
      raw: body,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(validated.status, served.status, row.name);
    assert.deepEqual(JSON.parse(validated.body), served.body, row.name);
  }
});

test('validate() accepts a good request and stores nothing', () => {
  const request = {
    method: 'POST',
    path: '/api/v1/leads',
    query: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ok@example.com' }),
  };
  const reply = engine.validate(request);
  assert.equal(reply.status, 200);
  assert.deepEqual(JSON.parse(reply.body), { success: true, data: { valid: true } });
  // The in-memory engine has no workspace, so a real request is unauthorised: validate() wrote nothing.
  const boot = JSON.parse(engine.admin({ command: 'bootstrap' }).body);
  const list = engine.handle({ method: 'GET', path: '/api/v1/leads', query: '', headers: { 'x-api-key': boot.data.workspaceKey }, body: '' });
  assert.deepEqual(JSON.parse(list.body).data.leads, []);
});
