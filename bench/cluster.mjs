// The cluster's measures for `npm run bench` (also `node bench/cluster.mjs` alone): write latency
// on a three-node cluster against a single node (single creates and a 5,000-lead add), read
// throughput through the owner and through a node that forwards, and the failover time after
// kill -9 of a workspace's owner. Everything runs on this machine, in this one run.
//
// Environment: LEADLINE_BENCH_CREATES (sequential single creates, default 300),
// LEADLINE_BENCH_ADDS (5,000-lead adds, default 7), LEADLINE_BENCH_FAILOVERS (default 7),
// LEADLINE_BENCH_SECONDS (each read load, default 5).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { freePort, leadlineNodes, startLocalCluster, waitForPort } from '../node-host/src/cluster/local-cluster.mjs';
import { HOP_HEADER, signHop } from '../node-host/src/cluster/forwarding.mjs';
import { percentile } from './stats.mjs';

const CREATES = Number(process.env.LEADLINE_BENCH_CREATES ?? 300);
const ADDS = Number(process.env.LEADLINE_BENCH_ADDS ?? 7);
const FAILOVERS = Number(process.env.LEADLINE_BENCH_FAILOVERS ?? 7);
const READ_SECONDS = Number(process.env.LEADLINE_BENCH_SECONDS ?? 5);
const READ_CONNECTIONS = 8;
/** Targets: what the cluster may add to a single node's median write latency. */
export const CLUSTER_TARGETS = { addedCreateMs: 3, addedAddMs: 3, failoverMedianMs: 6000, failoverMaxMs: 10000 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value) => Math.round(value * 100) / 100;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(port, method, target, key, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers = { 'x-api-key': key, ...(payload && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) };
    const outgoing = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent }, (reply) => {
      const chunks = [];
      reply.on('data', (chunk) => chunks.push(chunk));
      reply.on('end', () => resolve({ status: reply.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      reply.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

async function timed(port, method, target, key, body, expect) {
  const started = performance.now();
  const reply = await request(port, method, target, key, body);
  const ms = performance.now() - started;
  if (!expect.includes(reply.status)) throw new Error(`${method} ${target}: ${reply.status} ${reply.text.slice(0, 200)}`);
  return { ms, reply };
}

async function keyFrom(logFile) {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    const key = /^workspace key: (\S+)$/m.exec(text)?.[1];
    if (key) return { key, workspace: /^workspace: (\S+)$/m.exec(text)[1] };
    await sleep(100);
  }
  throw new Error(`no key printed in ${logFile}`);
}

// The write workloads on the node at `port`: medians of single creates and of 5,000-lead adds.
async function writes(port, key, label) {
  const creates = [];
  for (let n = 0; n < CREATES; n += 1) {
    creates.push((await timed(port, 'POST', '/api/v1/leads', key, { email: `${label}-${n}@bench.example` }, [201])).ms);
  }
  const adds = [];
  for (let run = 0; run < ADDS; run += 1) {
    const campaign = JSON.parse((await timed(port, 'POST', '/api/v1/campaigns', key, { name: `${label} ${run}` }, [201])).reply.text).data;
    const leads = Array.from({ length: 5000 }, (_, n) => ({ email: `${label}-add-${run}-${n}@bench.example`, firstName: `First ${n}`, companyName: `Company ${n}` }));
    adds.push((await timed(port, 'POST', `/api/v1/campaigns/${campaign.id}/leads`, key, { leads }, [200])).ms);
  }
  return { createMs: round(percentile(creates, 50)), createP99Ms: round(percentile(creates, 99)), addMs: round(percentile(adds, 50)), runs: { creates: CREATES, adds: ADDS } };
}

// GET /leads/{id} by READ_CONNECTIONS concurrent clients for READ_SECONDS: requests per second.
async function readThroughput(port, key, leadId) {
  let count = 0;
  const until = Date.now() + READ_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: READ_CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const reply = await request(port, 'GET', `/api/v1/leads/${leadId}`, key);
        if (reply.status !== 200) throw new Error(`read: ${reply.status} ${reply.text.slice(0, 200)}`);
        count += 1;
      }
    }),
  );
  return Math.round(count / READ_SECONDS);
}

async function singleNode(scratch) {
  const port = await freePort();
  const logFile = path.join(scratch, 'single.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [fileURLToPath(new URL('../node-host/src/server.mjs', import.meta.url))], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LEADLINE_DATA_DIR: path.join(scratch, 'single'), LEADLINE_RATE_LIMIT: 'off', LEADLINE_ENGINE_WORKERS: '2' },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  try {
    await waitForPort(port, 120000);
    const { key } = await keyFrom(logFile);
    return await writes(port, key, 'single');
  } finally {
    child.kill('SIGKILL');
  }
}

async function clusterSide(scratch) {
  const secret = randomBytes(32).toString('base64url');
  const infra = await startLocalCluster({ baseDir: path.join(scratch, 'cluster') });
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes = leadlineNodes({ baseDir: path.join(scratch, 'cluster'), infra, ports, secret, env: { LEADLINE_RATE_LIMIT: 'off', LEADLINE_ENGINE_WORKERS: '2' } });
  for (const node of nodes) node.start();
  try {
    await Promise.all(nodes.map((node) => waitForPort(node.port, 120000)));
    // One node (the catalog's first owner) prints the keys.
    const { key, workspace } = await Promise.any(nodes.map((node) => keyFrom(node.logFile)));
    const ownerIndex = async (except = -1) => {
      for (;;) {
        for (let i = 0; i < nodes.length; i += 1) {
          if (i === except || !nodes[i].running) continue;
          const requestId = `bench_${randomBytes(4).toString('hex')}`;
          const state = await new Promise((resolve) => {
            http.get({ host: '127.0.0.1', port: ports[i], path: '/_cluster/state', headers: { 'x-request-id': requestId, [HOP_HEADER]: signHop(secret, 'bench', 'GET', '/_cluster/state', requestId) } }, (reply) => {
              let text = '';
              reply.on('data', (chunk) => (text += chunk));
              reply.on('end', () => resolve(reply.statusCode === 200 ? JSON.parse(text) : null));
            }).on('error', () => resolve(null));
          });
          if (state?.databases[workspace]?.serving) return i;
        }
        await sleep(50);
      }
    };
    const owner = await ownerIndex();
    const other = (owner + 1) % 3;
    const throughOwner = await writes(ports[owner], key, 'owner');
    const throughOther = await writes(ports[other], key, 'forwarded');
    const lead = JSON.parse((await timed(ports[owner], 'POST', '/api/v1/leads', key, { email: 'read@bench.example' }, [201])).reply.text).data;
    const reads = { ownerPerSecond: await readThroughput(ports[owner], key, lead.id), forwardedPerSecond: await readThroughput(ports[other], key, lead.id) };

    const failovers = [];
    for (let run = 0; run < FAILOVERS; run += 1) {
      const current = await ownerIndex();
      const others = [0, 1, 2].filter((i) => i !== current);
      const killedAt = Date.now();
      nodes[current].signal('SIGKILL');
      for (let n = 0; ; n += 1) {
        const reply = await request(ports[others[n % 2]], 'POST', '/api/v1/leads', key, { email: `failover-${run}-${n}@bench.example` }).catch(() => ({ status: 0 }));
        if (reply.status === 201) break;
        await sleep(20);
      }
      failovers.push(Date.now() - killedAt);
      await nodes[current].exited;
      nodes[current].start();
      await waitForPort(nodes[current].port, 120000);
      await sleep(1000); // the restarted node catches up before the next kill
    }
    return { throughOwner, throughOther, reads, failovers };
  } finally {
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')));
    await infra.stop();
  }
}

/** Runs every cluster measure; resolves to {single, cluster, targets, table}. */
export async function clusterBench(scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'leadline-cluster-bench-'))) {
  fs.mkdirSync(scratch, { recursive: true });
  const single = await singleNode(scratch);
  const cluster = await clusterSide(scratch);
  const failover = { medianMs: percentile(cluster.failovers, 50), maxMs: Math.max(...cluster.failovers), runs: cluster.failovers.length, all: cluster.failovers };
  const addedCreate = round(cluster.throughOwner.createMs - single.createMs);
  const addedAdd = round(cluster.throughOwner.addMs - single.addMs);
  const targets = {
    clusterCreate: { target: `p50 added ≤ ${CLUSTER_TARGETS.addedCreateMs} ms`, met: addedCreate <= CLUSTER_TARGETS.addedCreateMs, addedMs: addedCreate },
    clusterAdd: { target: `p50 added ≤ ${CLUSTER_TARGETS.addedAddMs} ms`, met: addedAdd <= CLUSTER_TARGETS.addedAddMs, addedMs: addedAdd },
    failover: {
      target: `median ≤ ${CLUSTER_TARGETS.failoverMedianMs} ms, max ≤ ${CLUSTER_TARGETS.failoverMaxMs} ms`,
      met: failover.medianMs <= CLUSTER_TARGETS.failoverMedianMs && failover.maxMs <= CLUSTER_TARGETS.failoverMaxMs,
    },
  };
  const yes = (met) => (met ? 'yes' : '**no**');
  const table = [
    '| cluster workload | target | single node | cluster, through the owner | through another node | met |',
    '|---|---|---|---|---|---|',
    `| single create, p50 (${single.runs.creates} sequential) | ${targets.clusterCreate.target} | ${single.createMs} ms | ${cluster.throughOwner.createMs} ms (+${addedCreate}) | ${cluster.throughOther.createMs} ms | ${yes(targets.clusterCreate.met)} |`,
    `| add 5,000 new leads to a campaign, p50 (${single.runs.adds} runs) | ${targets.clusterAdd.target} | ${single.addMs} ms | ${cluster.throughOwner.addMs} ms (+${addedAdd}) | ${cluster.throughOther.addMs} ms | ${yes(targets.clusterAdd.met)} |`,
    `| GET /leads/{id}, ${READ_CONNECTIONS} clients for ${READ_SECONDS} s | — | | ${cluster.reads.ownerPerSecond.toLocaleString('en')}/s | ${cluster.reads.forwardedPerSecond.toLocaleString('en')}/s | — |`,
    `| kill -9 of the owner → first acknowledged write through another node (${failover.runs} runs) | ${targets.failover.target} | | median ${failover.medianMs} ms, max ${failover.maxMs} ms | | ${yes(targets.failover.met)} |`,
  ].join('\n');
  return { single, cluster: { ...cluster, failover }, targets, table };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await clusterBench();
  console.log(results.table);
  console.log(JSON.stringify({ single: results.single, cluster: results.cluster }, null, 2));
}
