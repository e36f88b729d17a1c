// Online backup: `npm run admin -- backup` reaches the running server over its admin socket while
// clients keep writing; `restore` fills an empty folder from the copy; every write acknowledged
// before the backup began is in it, and every database passes SQLite's integrity checks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { repoRoot, runAdmin, spawnServer, tempDir } from './helpers.mjs';

const dir = tempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// The admin CLI without blocking this process (the writers keep running meanwhile).
function adminAsync(dataDir, ...args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'node-host/src/admin.mjs'), ...args], {
      env: { ...process.env, LEADLINE_DATA_DIR: dataDir },
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (status) => resolve({ status, stdout, output }));
  });
}

const post = (url, key, body) =>
  fetch(`${url}/api/v1/leads`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test('a backup taken while clients write holds every write acknowledged before it began, and restores', async () => {
  const dataDir = path.join(dir, 'data');
  const backupDir = path.join(dir, 'backup');
  const server = spawnServer(dataDir, { LEADLINE_RATE_LIMIT: 'off' });
  const url = await server.ready;
  const key = server.workspaceKey();
  // Enough data that the copy takes several slices.
  for (let batch = 0; batch < 6; batch += 1) {
    const leads = Array.from({ length: 5000 }, (_, i) => ({ email: `seed${batch}-${i}@example.com`, tags: ['seed'] }));
    assert.equal((await post(url, key, { leads })).status, 201);
  }

  const acknowledged = [];
  let writing = true;
  const writers = Array.from({ length: 3 }, async (_, w) => {
    for (let n = 0; writing; n += 1) {
      const email = `live${w}-${n}@example.com`;
      if ((await post(url, key, { email })).status === 201) acknowledged.push({ email, at: performance.now() });
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const began = performance.now();
  const before = acknowledged.filter((write) => write.at < began).map((write) => write.email);
  const backup = await adminAsync(dataDir, 'backup', '--to', backupDir);
  const ended = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 100));
  writing = false;
  await Promise.all(writers);
  server.child.kill('SIGTERM');
  await server.exited;

  assert.equal(backup.status, 0, backup.output);
  assert.equal(JSON.parse(backup.stdout).databases, 2);
  assert.ok(before.length > 10, `writes before the backup: ${before.length}`);
  const during = acknowledged.filter((write) => write.at > began && write.at < ended).length;
  assert.ok(during > 0, 'requests were answered while the backup ran');

  const restoredDir = path.join(dir, 'restored');
  const restored = runAdmin(restoredDir, 'restore', '--from', backupDir);
  assert.equal(restored.status, 0, restored.output);
  const verdict = JSON.parse(restored.stdout);
  assert.deepEqual(verdict, { ok: true, integrity: 'ok', foreignKeyViolations: 0, duplicateLeadIdentifiers: 0, databases: 2 });
  assert.match(runAdmin(restoredDir, 'restore', '--from', backupDir).output, /not empty/);

  const again = spawnServer(restoredDir, { LEADLINE_RATE_LIMIT: 'off' });
  const url2 = await again.ready;
  try {
    const csv = await (await fetch(`${url2}/api/v1/leads/export?format=csv`, { headers: { 'x-api-key': key } })).text();
    const [header, ...lines] = csv.trim().split('\n');
    const column = header.split(',').indexOf('email');
    assert.ok(column >= 0, header);
    const emails = new Set(lines.map((line) => line.split(',')[column]));
    const missing = before.filter((email) => !emails.has(email));
    assert.deepEqual(missing, [], 'writes acknowledged before the backup began');
    assert.ok(emails.has('seed5-4999@example.com'));
  } finally {
    again.child.kill('SIGTERM');
    await again.exited;
  }
});
