// Upgrade in place: a server started on a data folder that holds a database of the single-file
// layout converts it, a workspace database at a time, and loses nothing — also when it is killed
// in the middle of the conversion and started again.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { repoRoot, runAdmin, spawnServer, tempDir } from './helpers.mjs';

const dir = tempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const maker = path.join(repoRoot, 'build/native-debug/tests/core/make_single_file_database');

async function csvRows(url, key) {
  const reply = await fetch(`${url}/api/v1/leads/export?format=csv`, { headers: { 'x-api-key': key } });
  assert.equal(reply.status, 200);
  return (await reply.text()).trim().split('\n').length - 1;
}

test('a SIGKILL mid-conversion leaves a state the next start finishes; every workspace and key survives', async () => {
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const singleFile = path.join(dataDir, 'leadline.db');
  const workspaces = JSON.parse(execFileSync(maker, [singleFile, '3', '3000'], { encoding: 'utf8' }));
  assert.equal(workspaces.length, 3);

  // Killed after the first workspace's database was written and verified.
  const killed = spawnServer(dataDir, { LEADLINE_TEST_FAULT: 'crash-during-upgrade' });
  assert.equal(await killed.exited, 'SIGKILL');
  const converted = fs.readdirSync(path.join(dataDir, 'workspaces')).filter((name) => name.endsWith('.db'));
  assert.equal(converted.length, 1, 'one workspace converted before the kill');
  assert.ok(!fs.existsSync(path.join(dataDir, 'catalog.db')), 'no catalog yet: the folder is not ready to serve');
  assert.ok(fs.existsSync(singleFile), 'the single file is still in place');

  const server = spawnServer(dataDir);
  const url = await server.ready;
  try {
    assert.doesNotMatch(server.output(), /workspace key:/, 'no bootstrap: the workspaces came across');
    for (const { workspaceId, key } of workspaces) {
      assert.equal(await csvRows(url, key), 3000, workspaceId);
      const receipts = await (await fetch(`${url}/api/v1/receipts`, { headers: { 'x-api-key': key } })).json();
      assert.equal(receipts.data.receipts.length, 1, workspaceId);
    }
    // Writes go to the workspace's own database.
    const created = await fetch(`${url}/api/v1/leads`, {
      method: 'POST',
      headers: { 'x-api-key': workspaces[2].key, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'after-upgrade@example.com' }),
    });
    assert.equal(created.status, 201);
    assert.equal(await csvRows(url, workspaces[2].key), 3001);
    assert.equal(await csvRows(url, workspaces[1].key), 3000);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  assert.ok(!fs.existsSync(singleFile), 'the single file was retired');
  assert.ok(fs.existsSync(`${singleFile}.converted`), '… and kept aside');
  const names = fs.readdirSync(path.join(dataDir, 'workspaces')).sort();
  assert.deepEqual(names.filter((name) => name.endsWith('.db')), workspaces.map(({ workspaceId }) => `${workspaceId}.db`).sort());
  assert.ok(!names.some((name) => name.includes('.partial')), 'no partial copy left');
  const checked = runAdmin(dataDir, 'check-integrity');
  assert.equal(checked.status, 0, checked.output);
  assert.equal(JSON.parse(checked.stdout).databases, 4);
});
