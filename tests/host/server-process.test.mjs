// The real `npm start` entry point as a process: first-start keys, the database lock, the admin
// CLI, and a clean SIGTERM.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { repoRoot, spawnServer, tempDir } from './helpers.mjs';

const dir = tempDir();
const dbPath = path.join(dir, 'leadline.db');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function startServer() {
  return spawnServer(dbPath);
}

function stopServer(server) {
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    server.child.on('exit', (code, signal) => resolve({ code, signal }));
    server.child.kill('SIGTERM');
  });
}

function admin(...args) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node-host/src/admin.mjs'), ...args], {
    env: { ...process.env, LEADLINE_DB: dbPath },
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

test('first start prints the keys once; they work; restart prints none', async () => {
  const first = startServer();
  const url = await first.ready;
  const workspaceKey = /^workspace key: (sk_\S+)$/m.exec(first.output())?.[1];
  const platformKey = /^platform key: (sk_user_\S+)$/m.exec(first.output())?.[1];
  assert.ok(workspaceKey && !workspaceKey.startsWith('sk_user_'), first.output());
  assert.ok(platformKey, first.output());

  const created = await fetch(`${url}/api/v1/leads`, {
    method: 'POST',
    headers: { 'x-api-key': workspaceKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'durable@example.com' }),
  });
  assert.equal(created.status, 201);

  // A second process on the same database refuses to start, saying why.
  const second = startServer();
  await assert.rejects(second.ready, /in use by process/);

  assert.deepEqual(await stopServer(first), { code: 0, signal: null });
  assert.ok(!fs.existsSync(`${dbPath}.lock`), 'lock released');

  const restarted = startServer();
  const url2 = await restarted.ready;
  assert.doesNotMatch(restarted.output(), /workspace key:/);
  const listed = await fetch(`${url2}/api/v1/leads?search=durable`, { headers: { authorization: `Bearer ${workspaceKey}` } });
  assert.equal((await listed.json()).data.leads.length, 1);

  // The admin CLI refuses while the server holds the database.
  assert.match(admin('list-workspaces').output, /in use by process/);
  await stopServer(restarted);
});

test('npm run admin: create a workspace and a read-only key, list, revoke', async () => {
  const workspace = admin('create-workspace', '--name', 'CLI Co');
  assert.equal(workspace.status, 0, workspace.output);
  const workspaceId = JSON.parse(workspace.output).id;
  const key = admin('create-key', '--workspace-id', workspaceId, '--scopes', 'read', '--label', 'reporting');
  assert.equal(key.status, 0, key.output);
  const created = JSON.parse(key.output);
  assert.match(created.key, /^sk_/);
  assert.deepEqual(created.scopes, ['read']);

  const listed = admin('list-keys', '--workspace-id', workspaceId);
  assert.equal(listed.status, 0);
  assert.ok(!listed.output.includes(created.key), 'listing never shows the key');
  assert.ok(listed.output.includes(created.display));

  const bad = admin('create-key', '--workspace-id', workspaceId, '--scopes', 'admin');
  assert.equal(bad.status, 1);
  assert.match(bad.output, /scopes/);

  const server = startServer();
  const url = await server.ready;
  const read = await fetch(`${url}/api/v1/leads`, { headers: { 'x-api-key': created.key } });
  assert.equal(read.status, 200);
  await stopServer(server);

  assert.equal(admin('revoke-key', '--key-id', created.id).status, 0);
  const again = startServer();
  const url3 = await again.ready;
  const revoked = await fetch(`${url3}/api/v1/leads`, { headers: { 'x-api-key': created.key } });
  assert.equal(revoked.status, 401);
  await stopServer(again);
});
