// Erasure in a cluster: once a person is erased, no entry the change log still stores and no
// snapshot holds their bytes — the owner replaced the workspace's history with a snapshot — and
// every node refuses them; a node restarted afterwards catches up from snapshot + tail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { subjectOf } from '../../node-host/src/cluster/change-log.mjs';
import { eventually, openLogReader, startTestCluster } from './helpers.mjs';

let cluster;
let log;
before(async () => {
  cluster = await startTestCluster();
  log = await openLogReader(cluster, 'erasure-test-reader');
});
after(async () => {
  await log?.close();
  await cluster?.stop();
});

const person = { email: 'ysolde.marrowgate@cluster-forget.example', firstName: 'Ysolde', lastName: 'Marrowgate', phoneNumber: '+15553217788', externalId: 'sf-0047-erase' };
const NEEDLES = [person.email, person.firstName, person.lastName, person.phoneNumber, person.externalId].map((text) => Buffer.from(text));

const holds = (bytes) => NEEDLES.some((needle) => Buffer.from(bytes).includes(needle));

async function ok(i, method, target, body) {
  const reply = await cluster.send(i, method, target, body === undefined ? {} : { body });
  assert.ok(reply.status < 300, `${method} ${target}: ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply.body.data;
}

test('after an erasure the log and its snapshots hold none of the person\'s bytes, and every node refuses them', async () => {
  const lead = await ok(0, 'POST', '/api/v1/leads', { ...person, tags: ['vip'] });
  await ok(1, 'PATCH', `/api/v1/leads/${lead.id}`, { jobTitle: `${person.lastName} & Sons` });
  await ok(2, 'POST', '/api/v1/leads', { email: 'keeps@cluster-forget.example', firstName: 'Keeps' });
  await cluster.converged();
  const subject = subjectOf(cluster.workspace);
  assert.ok((await log.storedEntries()).some((entry) => entry.database === cluster.workspace && holds(entry.changeset)),
    'before the erasure the log holds the person (the test would see it)');

  const erased = await ok(1, 'POST', '/api/v1/leads/erase', { emails: [person.email] });
  assert.equal(erased.erasedLeads, 1);

  const entries = await eventually(async () => {
    const stored = (await log.storedEntries()).filter((entry) => entry.database === cluster.workspace);
    return stored[0]?.snapshot ? stored : null;
  }, 30000, `the history of ${subject} replaced by a snapshot`);
  for (const entry of entries) assert.ok(!holds(entry.changeset), `log entry ${entry.sequence} holds the person`);
  const names = (await log.snapshotNames()).filter((name) => name.startsWith(`${cluster.workspace}@`));
  assert.equal(names.length, 1, 'older snapshots of the workspace are gone');
  for (const name of names) assert.ok(!holds(await log.snapshot(name)), `snapshot ${name} holds the person`);

  await cluster.converged();
  for (let i = 0; i < 3; i += 1) {
    assert.equal((await cluster.send(i, 'GET', `/api/v1/leads/${lead.id}`)).status, 404);
    const refused = await cluster.send(i, 'POST', '/api/v1/leads', { body: { email: person.email } });
    assert.equal(refused.status, 422, `node ${i}: ${refused.text}`);
    const kept = await cluster.send(i, 'GET', '/api/v1/leads?search=Keeps');
    assert.equal(kept.body.data.leads.length, 1);
  }

  // A node that was down through the erasure and a write after it catches up from the snapshot.
  const owner = await cluster.ownerIndex(cluster.workspace);
  const follower = (owner + 1) % 3;
  await cluster.nodes[follower].stop('SIGKILL');
  await ok(owner, 'POST', '/api/v1/leads/erase', { emails: ['someone.else@cluster-forget.example'] });
  await ok(owner, 'POST', '/api/v1/leads', { email: 'after@cluster-forget.example' });
  await cluster.restart(follower);
  await cluster.converged();
  const caughtUp = await cluster.send(follower, 'GET', '/api/v1/leads?search=after@cluster-forget');
  assert.equal(caughtUp.body.data.leads.length, 1);
});
