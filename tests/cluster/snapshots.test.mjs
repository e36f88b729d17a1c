// Snapshots bound the change log by data, not history: once a workspace's log holds enough
// entries since its last snapshot, the owner snapshots it and the entries before are purged; a node
// whose data folder was wiped rebuilds the workspace from snapshot + tail to the owner's content.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { metricValue } from '../host/helpers.mjs';
import { eventually, openLogReader, startTestCluster } from './helpers.mjs';

const SNAPSHOT_ENTRIES = 20;
const WRITES = 70;

let cluster;
let log;
before(async () => {
  cluster = await startTestCluster({ env: { LEADLINE_SNAPSHOT_ENTRIES: String(SNAPSHOT_ENTRIES) } });
  log = await openLogReader(cluster, 'snapshot-test-reader');
});
after(async () => {
  await log?.close();
  await cluster?.stop();
});

const storedOf = async (database) => (await log.storedEntries()).filter((entry) => entry.database === database);

test('the log of a busy workspace stays bounded, and a wiped node rebuilds it from snapshot + tail', async () => {
  const owner = await cluster.ownerIndex(cluster.workspace);
  for (let n = 0; n < WRITES; n += 1) {
    const reply = await cluster.send(n % 3, 'POST', '/api/v1/leads', { body: { email: `snap-${n}@snapshots.example`, tags: ['snap'] } });
    assert.equal(reply.status, 201, reply.text);
  }
  // Every write is one entry: without snapshots the subject would hold all of them.
  const stored = await eventually(async () => {
    const entries = await storedOf(cluster.workspace);
    return entries[0]?.snapshot && entries.length <= SNAPSHOT_ENTRIES + 2 ? entries : null;
  }, 30000, 'the workspace log replaced by a snapshot');
  assert.ok(stored.length < WRITES / 2, `${stored.length} entries kept of ${WRITES}`);
  const names = (await log.snapshotNames()).filter((name) => name.startsWith(`${cluster.workspace}@`));
  assert.equal(names.length, 1, 'older snapshots are purged with the entries they replaced');
  const ownerMetrics = await cluster.metrics(owner);
  assert.ok(ownerMetrics.includes(`\nleadline_snapshot_age_seconds{database="${cluster.workspace}"} `), 'the owner reports the snapshot age');
  assert.ok(metricValue(ownerMetrics, 'leadline_snapshot_age_seconds', { database: cluster.workspace }) < 60);

  // A follower loses its whole data folder and comes back empty.
  const wiped = (owner + 1) % 3;
  await cluster.nodes[wiped].stop('SIGKILL');
  fs.rmSync(cluster.nodes[wiped].env.LEADLINE_DATA_DIR, { recursive: true, force: true });
  await cluster.send(owner, 'POST', '/api/v1/leads', { body: { email: 'tail@snapshots.example', tags: ['snap'] } });
  await cluster.restart(wiped);
  // Same position and the same content hash on every copy, the rebuilt one included.
  const views = await cluster.converged();
  assert.equal(views.length, 3);
  const rebuilt = (await cluster.state(wiped, { fingerprints: true })).databases[cluster.workspace];
  const owners = (await cluster.state(owner, { fingerprints: true })).databases[cluster.workspace];
  assert.equal(rebuilt.fingerprint, owners.fingerprint);
  assert.equal(rebuilt.applied, owners.applied);
  const listed = await cluster.send(wiped, 'GET', '/api/v1/leads?tags=snap&limit=100');
  assert.equal(listed.body.data.leads.length, WRITES + 1);
});
