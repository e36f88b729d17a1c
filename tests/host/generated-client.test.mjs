// The vendor-compatible endpoints' main flows, through a client generated from the OpenAPI
// document (tests/client/compat-flows.ts, compiled by scripts/test.sh with tsc: the code only
// compiles while the document describes the calls it makes).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, startTestServer } from './helpers.mjs';

const compiled = path.join(repoRoot, 'build/client-test/compat-flows.js');
let server;
before(async () => {
  server = await startTestServer({ rateLimit: null });
});
after(() => server.close());

test('every compatibility endpoint works through the generated client', async () => {
  assert.ok(fs.existsSync(compiled), `${compiled} is missing: scripts/test.sh generates and compiles the client first`);
  const { runCompatFlows } = await import(compiled);
  const ran = await runCompatFlows(server.baseUrl, server.workspaceKey);
  assert.deepEqual(ran, [
    'SendKit DELETE /v1/leads',
    'SendKit POST /v1/campaigns/{id}/leads',
    'DELETE /api/v1/leads/{leadId}',
    "Lupitor's bulk delete",
    "Smartlead's campaign delete",
  ]);
});
