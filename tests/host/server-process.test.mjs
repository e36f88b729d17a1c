// The real `npm start` entry point as a process: first-start keys, the data folder's lock, the
// admin CLI, and a clean SIGTERM.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { runAdmin, spawnServer, tempDir } from './helpers.mjs';

const dir = tempDir();
const dataDir = path.join(dir, 'data');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function startServer() {
  return spawnServer(dataDir);
}

function stopServer(server) {
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    server.child.on('exit', (code, signal) => resolve({ code, signal }));
    server.child.kill('SIGTERM');
  });
}

const admin = (...args) => runAdmin(dataDir, ...args);

test('first start prints the keys once; they work; restart prints none', async () => {
  const first = startServer();
  const url = await first.ready;
  const workspaceKey = first.workspaceKey();
  const platformKey = /^platform key: (sk_user_\S+)$/m.exec(first.output())?.[1];
  assert.ok(workspaceKey && !workspaceKey.startsWith('sk_user_'), first.output());
  assert.ok(platformKey, first.output());

  const created = await fetch(`${url}/api/v1/leads`, {
    method: 'POST',
    headers: { 'x-api-key': workspaceKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'durable@example.com' }),
  });
  assert.equal(created.status, 201);

  // A second process on the same data folder refuses to start, saying why.
  const second = startServer();
  await assert.rejects(second.ready, /in use by process/);

  assert.deepEqual(await stopServer(first), { code: 0, signal: null });
  assert.ok(!fs.existsSync(path.join(dataDir, 'leadline.lock')), 'lock released');

  const restarted = startServer();
  const url2 = await restarted.ready;
  assert.doesNotMatch(restarted.output(), /workspace key:/);
  const listed = await fetch(`${url2}/api/v1/leads?search=durable`, { headers: { authorization: `Bearer ${workspaceKey}` } });
  assert.equal((await listed.json()).data.leads.length, 1);

  // While the server holds the data folder the admin CLI reaches it through its socket: a key
  // made through it works on the very next request, and once revoked is refused on the next.
  const listed2 = admin('list-workspaces');
  assert.equal(listed2.status, 0, listed2.output);
  const [workspace] = JSON.parse(listed2.stdout).workspaces;
  const made = JSON.parse(admin('create-key', '--workspace-id', workspace.id).stdout);
  const headers = { 'x-api-key': made.key };
  assert.equal((await fetch(`${url2}/api/v1/leads`, { headers })).status, 200);
  assert.equal(admin('revoke-key', '--key-id', made.id).status, 0);
  assert.equal((await fetch(`${url2}/api/v1/leads`, { headers })).status, 401);
  // What must have the folder to itself says so.
  assert.match(admin('check-integrity').output, /in use by process .*needs the server stopped/);
  await stopServer(restarted);
});

test('npm run admin: create a workspace and a read-only key, list, revoke', async () => {
  const workspace = admin('create-workspace', '--name', 'CLI Co');
  assert.equal(workspace.status, 0, workspace.output);
  const workspaceId = JSON.parse(workspace.output).id;
  assert.ok(fs.existsSync(path.join(dataDir, 'workspaces', `${workspaceId}.db`)), 'create-workspace creates its database');
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

test('SIGTERM lets an in-flight write finish, then checkpoints and closes the databases', async () => {
  const termDir = tempDir();
  const termData = path.join(termDir, 'data');
  try {
    const server = spawnServer(termData, { LEADLINE_RATE_LIMIT: 'off' });
    const url = await server.ready;
    const key = server.workspaceKey();
    const leads = Array.from({ length: 5000 }, (_, i) => ({ email: `term${i}@example.com`, tags: ['term'] }));
    const pending = fetch(`${url}/api/v1/leads`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ leads }),
    });
    await new Promise((resolve) => setTimeout(resolve, 60)); // the request is inside the engine now
    server.child.kill('SIGTERM');
    const reply = await pending;
    assert.equal(reply.status, 201);
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /SIGTERM received, draining/);
    // Closed cleanly: every WAL was checkpointed into its database and emptied.
    const databases = [path.join(termData, 'catalog.db'), ...fs.readdirSync(path.join(termData, 'workspaces'))
      .filter((name) => name.endsWith('.db'))
      .map((name) => path.join(termData, 'workspaces', name))];
    assert.equal(databases.length, 2);
    for (const db of databases) {
      assert.ok(!fs.existsSync(`${db}-wal`) || fs.statSync(`${db}-wal`).size === 0, `WAL left behind: ${db}`);
    }
    assert.ok(!fs.existsSync(path.join(termData, 'leadline.lock')), 'lock released');

    const again = spawnServer(termData, { LEADLINE_RATE_LIMIT: 'off' });
    const url2 = await again.ready;
    const listed = await fetch(`${url2}/api/v1/leads/export?format=csv&tags=term`, { headers: { 'x-api-key': key } });
    assert.equal((await listed.text()).trim().split('\n').length - 1, 5000);
    again.child.kill('SIGTERM');
    await again.exited;
  } finally {
    fs.rmSync(termDir, { recursive: true, force: true });
  }
});

test('a write is answered only after its WAL reached the disk (fsync seen by strace between request and reply)', async () => {
  const traceDir = tempDir();
  const traceData = path.join(traceDir, 'data');
  const traceFile = path.join(traceDir, 'trace.txt');
  try {
    const traced = spawnServer(traceData, {}, [
      'strace', '-f', '-qq', '-s', '64', '-e', 'trace=openat,fsync,fdatasync,read,write,writev', '-o', traceFile,
    ]);
    const { child } = traced;
    const url = await traced.ready;
    const key = traced.workspaceKey();
    const reply = await fetch(`${url}/api/v1/leads`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'synced@example.com' }),
    });
    assert.equal(reply.status, 201);
    // Stop the traced server (strace's child), then strace ends by itself.
    const serverPid = Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    process.kill(serverPid, 'SIGTERM');
    await traced.exited;

    const lines = fs.readFileSync(traceFile, 'utf8').split('\n');
    const requestAt = lines.findIndex((line) => line.includes('"POST /api/v1/leads HTTP/1.1'));
    const replyAt = lines.findIndex((line, i) => i > requestAt && line.includes('HTTP/1.1 201'));
    assert.ok(requestAt >= 0 && replyAt > requestAt, 'request and reply found in the trace');
    // File descriptors opened on the WAL (complete calls, and calls strace split in two).
    const walFds = new Set();
    const unfinished = new Map();
    let syncedWal = false;
    for (let i = 0; i < replyAt; i += 1) {
      const line = lines[i];
      const pid = line.split(/\s+/)[0];
      if (line.includes('openat(') && line.includes(`${path.join(traceData, 'workspaces')}/`) && line.includes('.db-wal"')) {
        const fd = / = (\d+)$/.exec(line);
        if (fd) walFds.add(fd[1]);
        else unfinished.set(pid, true);
      } else if (unfinished.get(pid) && line.includes('<... openat resumed>')) {
        const fd = / = (\d+)$/.exec(line);
        if (fd) walFds.add(fd[1]);
        unfinished.delete(pid);
      }
      const synced = /\b(?:fsync|fdatasync)\((\d+)/.exec(line);
      if (i > requestAt && synced && walFds.has(synced[1])) syncedWal = true;
    }
    assert.ok(syncedWal, 'no fsync of the WAL between the request and its 201');
  } finally {
    fs.rmSync(traceDir, { recursive: true, force: true });
  }
});

test('npm run admin: export-workspace and import-workspace move a workspace to another data folder, keys and all', async () => {
  const moveDir = tempDir();
  try {
    const from = path.join(moveDir, 'from');
    const to = path.join(moveDir, 'to');
    const file = path.join(moveDir, 'moving.leadline');
    const made = JSON.parse(runAdmin(from, 'create-workspace', '--name', 'Moving Co').stdout);
    const key = JSON.parse(runAdmin(from, 'create-key', '--workspace-id', made.id).stdout).key;
    const exported = runAdmin(from, 'export-workspace', '--id', made.id, '--to', file);
    assert.equal(exported.status, 0, exported.output);
    assert.equal(runAdmin(to, 'bootstrap').status, 0);
    const imported = runAdmin(to, 'import-workspace', '--from', file);
    assert.equal(imported.status, 0, imported.output);
    assert.equal(JSON.parse(imported.stdout).workspaceId, made.id);
    const clash = runAdmin(to, 'import-workspace', '--from', file);
    assert.equal(clash.status, 1);
    assert.match(clash.output, /already exists on this server; nothing was imported/);

    const server = spawnServer(to);
    const url = await server.ready;
    try {
      const listed = await fetch(`${url}/api/v1/leads`, { headers: { 'x-api-key': key } });
      assert.equal(listed.status, 200, 'the moved key works on the new server');
      // A running server refuses the move commands, saying why.
      assert.match(runAdmin(to, 'import-workspace', '--from', file).output, /needs the server stopped/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  } finally {
    fs.rmSync(moveDir, { recursive: true, force: true });
  }
});
