// What workspace shards buy, measured in `npm run bench`: (a) one workspace's reads while another
// workspace is busy, (b) write throughput over two workspaces with one engine worker and with
// two, and the cost of change capture on the native core. The run itself (bench/run.mjs) passes
// in the seed and its helpers.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expectSuccess } from './expect-success.mjs';
import { startServer, timedRequest } from './http-side.mjs';
import { openNativeEngine } from './native-floor.mjs';
import { summarise } from './stats.mjs';
import * as W from './workloads.mjs';

const run = promisify(execFile);
const here = path.dirname(new URL(import.meta.url).pathname);

// wrk as a child process this process does not wait on, so other load can run from here meanwhile.
async function wrkAsync(baseUrl, key, paths, { connections, seconds, scratch }) {
  const pathsFile = path.join(scratch, `wrk-paths-${process.hrtime.bigint()}.txt`);
  fs.writeFileSync(pathsFile, `${paths.join('\n')}\n`);
  const { stdout } = await run('wrk', [
    '-t', '2', '-c', String(connections), '-d', `${seconds}s`, '-s', path.join(here, 'wrk/requests.lua'), baseUrl, '--', pathsFile, key,
  ]);
  fs.rmSync(pathsFile);
  const summary = JSON.parse(stdout.trim().split('\n').at(-1));
  const failures = summary.status + summary.connectErrors + summary.readErrors + summary.timeouts;
  if (failures > 0) throw new Error(`wrk saw ${failures} failed requests: ${JSON.stringify(summary)}`);
  return { requestsPerSecond: Math.round(summary.requests / (summary.durationUs / 1e6)), p99: summary.p99Us / 1000 };
}

// A workspace (and its key) made through the native engine on a folder, owned by a different
// one of two workers than `avoid` (the worker of an existing workspace).
async function neighbour(engine, avoid) {
  for (let attempt = 0; attempt < 16; attempt += 1) {
    const made = expectSuccess(await engine.admin({ command: 'create-workspace', name: `Bench: neighbour ${attempt}` }), 'create-workspace').body.data;
    const listed = (await engine.admin({ command: 'list-workspaces', workers: '2' })).body.data.workspaces;
    if (listed.find((workspace) => workspace.id === made.id).worker !== avoid) {
      const key = (await engine.admin({ command: 'create-key', workspaceId: made.id })).body.data.key;
      return { id: made.id, key };
    }
  }
  throw new Error('no workspace landed on the other worker in 16 tries');
}

const workerOf = async (engine, id) =>
  (await engine.admin({ command: 'list-workspaces', workers: '2' })).body.data.workspaces.find((workspace) => workspace.id === id).worker;

/**
 * (a) Workspace B's GET /leads/{id} p99 under 32 connections, with A idle and while A runs the
 * 100,000-lead filter delete and a loop of 5,000-lead adds; two workers, A and B on different ones.
 */
export async function isolation({ seeded, copyDatabase, folder, scratch, seconds, serverEnv }) {
  copyDatabase(folder('base'), folder('isolation'));
  const engine = openNativeEngine(folder('isolation'));
  const first = (await engine.admin({ command: 'list-workspaces', workers: '2' })).body.data.workspaces[0];
  const b = await neighbour(engine, first.worker);
  const ids = [];
  for (let batch = 0; batch < 2; batch += 1) {
    const leads = Array.from({ length: 5000 }, (_, i) => ({ email: `b${batch}-${i}@neighbour.example` }));
    const created = expectSuccess(await engine.request(W.request(b.key, 'POST', '/leads', { body: { leads } }), { echo: true }), 'B leads');
    for (const result of created.body.data.results) if (result.id) ids.push(result.id);
  }
  await engine.close();
  if (ids.length < 1000) throw new Error(`B's lead ids were not in the reply (${ids.length})`);
  const server = await startServer(folder('isolation'), { ...serverEnv, LEADLINE_ENGINE_WORKERS: '2' });
  const paths = ids.map((id) => W.api(`/leads/${id}`));
  // One request first: until a key has been verified once, its requests share the small
  // unverified lane, and 32 connections at once would overflow it (503).
  expectSuccess(await timedRequest(server.baseUrl, W.request(b.key, 'GET', `/leads/${ids[0]}`)), 'B first read');
  await wrkAsync(server.baseUrl, b.key, paths, { connections: 32, seconds: 3, scratch }); // warm-up
  const idle = await wrkAsync(server.baseUrl, b.key, paths, { connections: 32, seconds, scratch });
  // A's load: the delete (a job, followed to the end) and adds, one after another, until B's load ends.
  let busyUntil = Infinity;
  const aLoad = (async () => {
    const done = { deleteMs: null, adds: 0 };
    const deleting = timedRequest(server.baseUrl, W.deleteTagGroup(seeded.key)).then((reply) => {
      done.deleteMs = Math.round(expectSuccess(reply, 'A delete').ms);
    });
    for (let r = 0; performance.now() < busyUntil; r += 1) {
      expectSuccess(await timedRequest(server.baseUrl, W.addNewLeads(seeded.key, seeded.campaigns.add, 'isolation', r)), 'A add');
      done.adds += 1;
    }
    await deleting;
    return done;
  })();
  await new Promise((resolve) => setTimeout(resolve, 200)); // A's work is under way
  const busy = await wrkAsync(server.baseUrl, b.key, paths, { connections: 32, seconds, scratch });
  busyUntil = 0;
  const a = await aLoad;
  await server.kill();
  return { idle, busy, a, p99Ratio: Math.round((busy.p99 / idle.p99) * 100) / 100 };
}

// POST /leads batches of 100 from `clients` clients per workspace for `seconds`: leads per second.
async function writeLoad(baseUrl, keys, { clients, seconds, tag }) {
  const until = performance.now() + seconds * 1000;
  let created = 0;
  await Promise.all(
    keys.flatMap((key, w) =>
      Array.from({ length: clients }, async (_, c) => {
        for (let n = 0; performance.now() < until; n += 1) {
          const leads = Array.from({ length: 100 }, (_, i) => ({ email: `${tag}-${w}-${c}-${n}-${i}@scale.example` }));
          const reply = await fetch(`${baseUrl}${W.api('/leads')}`, {
            method: 'POST',
            headers: { 'x-api-key': key, 'content-type': 'application/json' },
            body: JSON.stringify({ leads }),
          });
          if (reply.status !== 201) throw new Error(`POST /leads: ${reply.status} ${await reply.text()}`);
          await reply.arrayBuffer();
          created += 100;
        }
      }),
    ),
  );
  return Math.round(created / seconds);
}

/** (b) Leads written per second over two workspaces on different workers, with 1 and with 2 workers. */
export async function writeScaling({ copyDatabase, folder, seconds, serverEnv, clients = 4 }) {
  fs.rmSync(folder('scaling'), { recursive: true, force: true });
  const engine = openNativeEngine(folder('scaling'));
  const boot = (await engine.admin({ command: 'bootstrap' })).body.data;
  const b = await neighbour(engine, await workerOf(engine, boot.workspace.id));
  await engine.close();
  const keys = [boot.workspaceKey, b.key];
  const perWorkers = {};
  for (const workers of [1, 2]) {
    copyDatabase(folder('scaling'), folder(`scaling-${workers}`));
    const server = await startServer(folder(`scaling-${workers}`), { ...serverEnv, LEADLINE_ENGINE_WORKERS: String(workers) });
    for (const key of keys) expectSuccess(await timedRequest(server.baseUrl, W.request(key, 'GET', '/leads')), 'first read'); // keys verified (see above)
    await writeLoad(server.baseUrl, keys, { clients, seconds: 2, tag: 'warm' });
    perWorkers[workers] = await writeLoad(server.baseUrl, keys, { clients, seconds, tag: 'timed' });
    await server.kill();
  }
  return { clientsPerWorkspace: clients, leadsPerSecond: perWorkers, ratio: Math.round((perWorkers[2] / perWorkers[1]) * 100) / 100 };
}

/**
 * The native core's add-5,000 and 100,000-lead delete with change capture on, against the same
 * workloads without it (`plain`, from the native floor of the same run).
 */
export async function captureCost({ seeded, plain, copyDatabase, folder, runs, deleteRuns }) {
  copyDatabase(folder('base'), folder('capture'));
  const engine = openNativeEngine(folder('capture'), { captureChanges: true });
  const adds = [];
  for (let r = 0; r < runs; r += 1) {
    adds.push(expectSuccess(await engine.request(W.addNewLeads(seeded.key, seeded.campaigns.add, 'capture', r)), 'capture add').ms);
  }
  await engine.close();
  const deletes = [];
  for (let r = 0; r < deleteRuns; r += 1) {
    copyDatabase(folder('base'), folder('capture-delete'));
    const scratchEngine = openNativeEngine(folder('capture-delete'), { captureChanges: true });
    deletes.push(expectSuccess(await scratchEngine.request(W.deleteTagGroup(seeded.key)), 'capture delete').ms);
    await scratchEngine.close();
  }
  const addNewLeads = summarise(adds);
  const deleteTagGroup = summarise(deletes);
  return {
    addNewLeads: { ...addNewLeads, ratio: Math.round((addNewLeads.median / plain.addNewLeads.median) * 100) / 100 },
    deleteTagGroup: { ...deleteTagGroup, ratio: Math.round((deleteTagGroup.median / plain.deleteTagGroup.median) * 100) / 100 },
  };
}

/** The targets of this part, as the issue states them. */
export const SHARD_TARGETS = {
  isolation: { text: "B's p99 with A busy ≤ 2× idle", check: (m) => m.p99Ratio <= 2 },
  writeScaling: { text: '2 workers ≥ 1.6× 1 worker', check: (m) => m.ratio >= 1.6 },
  captureAdd: { text: 'capture ≤ 1.25× on add-5,000', check: (m) => m.addNewLeads.ratio <= 1.25 },
  captureDelete: { text: 'capture ≤ 1.5× on the 100,000 delete', check: (m) => m.deleteTagGroup.ratio <= 1.5 },
};

/** The shards table's rows. */
export function shardsReport(shards, targets) {
  const { isolation: iso, writeScaling: scale, captureCost: capture } = shards;
  const rows = [
    ['isolation', `B's GET /leads/{id} p99, 32 connections: A idle vs A deleting 100,000 and adding 5,000s (2 workers)`,
      `${iso.idle.p99} ms vs ${iso.busy.p99} ms (${iso.idle.requestsPerSecond.toLocaleString('en')} vs ${iso.busy.requestsPerSecond.toLocaleString('en')} req/s; A: delete ${iso.a.deleteMs} ms, ${iso.a.adds} adds)`, iso.p99Ratio, iso],
    ['writeScaling', `POST /leads, batches of 100, ${scale.clientsPerWorkspace} clients on each of two workspaces`,
      `${scale.leadsPerSecond[1].toLocaleString('en')} leads/s (1 worker) vs ${scale.leadsPerSecond[2].toLocaleString('en')} (2)`, scale.ratio, scale],
    ['captureAdd', 'native add-5,000 with change capture on', `${capture.addNewLeads.median} ms`, capture.addNewLeads.ratio, capture],
    ['captureDelete', 'native 100,000 delete with change capture on', `${capture.deleteTagGroup.median} ms`, capture.deleteTagGroup.ratio, capture],
  ];
  const lines = ['| measure | target | measured | ratio | met |', '|---|---|---|---|---|'];
  for (const [name, label, shown, ratio, measured] of rows) {
    const met = SHARD_TARGETS[name].check(measured);
    targets[name] = { target: SHARD_TARGETS[name].text, met, ratio };
    lines.push(`| ${label} | ${SHARD_TARGETS[name].text} | ${shown} | ${ratio} | ${met ? 'yes' : '**no**'} |`);
  }
  return lines.join('\n');
}
