// A real three-node cluster for a test: three nats-server, three etcd members and three Leadline
// node processes on free loopback ports, in a fresh folder, stopped and removed afterwards.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort, leadlineNodes, startLocalCluster, waitForPort } from '../../node-host/src/cluster/local-cluster.mjs';
import { HOP_HEADER, signHop } from '../../node-host/src/cluster/forwarding.mjs';
import { httpClient } from '../host/helpers.mjs';
import { openChangeLog } from '../../node-host/src/cluster/change-log.mjs';
import { linkOf, startRelay } from './link.mjs';

/** How many fault runs each fault test makes: LEADLINE_CLUSTER_RUNS (a soak), else `bounded`. */
export function faultRuns(bounded) {
  const text = process.env.LEADLINE_CLUSTER_RUNS;
  return text === undefined ? bounded : Number(text);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check()` resolves truthy (it may throw meanwhile); its value, or throws after `timeoutMs`. */
export async function eventually(check, timeoutMs = 30000, what = 'the condition') {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`);
    await sleep(100);
  }
}

/**
 * Starts the cluster. `env`: extra variables for every Leadline node. Resolves once every node
 * listens and the first workspace's key is printed, to an object whose `request(i, …)` talks to
 * node i (0-based) like tests/host's client.
 */
/** A reader of `cluster`'s change log (change-log.mjs), as a test inspects what the stream stores. */
export function openLogReader(cluster, name) {
  return openChangeLog({ servers: cluster.infra.nats.map((member) => `127.0.0.1:${member.port}`), name, maxEntryBytes: 8 * 1024 * 1024 });
}

export async function startTestCluster({ env = {} } = {}) {
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadline-cluster-'));
  const secret = randomBytes(32).toString('base64url');
  const infra = await startLocalCluster({ baseDir });
  const ports = [await freePort(), await freePort(), await freePort()];
  const metricsPorts = [await freePort(), await freePort(), await freePort()];
  // Each node reaches nats-server and etcd, and is reached by the other nodes, through relays of
  // its own: its link (`links[i]`), which a test can cut.
  const relays = [];
  for (let i = 0; i < 3; i += 1) {
    const nats = await Promise.all(infra.nats.map((member) => startRelay(member.port)));
    const etcd = await Promise.all(infra.etcd.map((member) => startRelay(member.port)));
    const http = await startRelay(ports[i]);
    relays.push({ nats, etcd, http });
  }
  const links = relays.map(({ nats, etcd, http }) => linkOf([...nats, ...etcd, http]));
  const nodeEnv = (i) => ({
    LEADLINE_ENGINE_WORKERS: '2',
    LEADLINE_RATE_LIMIT: '100000/1s',
    LEADLINE_NATS_URLS: relays[i].nats.map((relay) => `127.0.0.1:${relay.port}`).join(','),
    LEADLINE_ETCD_ENDPOINTS: relays[i].etcd.map((relay) => `http://127.0.0.1:${relay.port}`).join(','),
    LEADLINE_ADVERTISE_URL: `http://127.0.0.1:${relays[i].http.port}`,
    LEADLINE_METRICS_PORT: String(metricsPorts[i]),
    ...env,
  });
  const nodes = leadlineNodes({ baseDir, infra, ports, secret, env: nodeEnv });
  for (const node of nodes) node.start();
  await Promise.all(nodes.map((node) => waitForPort(node.port, 120000)));
  const printed = await eventually(() => {
    for (const node of nodes) {
      const text = fs.readFileSync(node.logFile, 'utf8');
      const key = /^workspace key: (\S+)$/m.exec(text)?.[1];
      if (key) return { key, workspace: /^workspace: (\S+)$/m.exec(text)[1], platformKey: /^platform key: (\S+)$/m.exec(text)[1] };
    }
    return null;
  }, 60000, 'bootstrap');
  const clients = ports.map((port) => httpClient(`http://127.0.0.1:${port}`, printed.key));

  const cluster = {
    /** Like `request`, retried while the answer is 503 (an owner being chosen), as clients do. */
    async send(i, method, target, options) {
      return eventually(async () => {
        const reply = await clients[i](method, target, options);
        return reply.status === 503 ? null : reply;
      }, 30000, `${method} ${target} through node ${i}`);
    },
    infra,
    nodes,
    ports,
    links,
    secret,
    ...printed,
    /** Sends to node `i` (tests/host's client: {status, headers, body, text}). */
    request: (i, method, target, options) => clients[i](method, target, options),
    /** Node `i`'s GET /metrics (Prometheus text), from its own metrics listener. */
    async metrics(i) {
      const reply = await fetch(`http://127.0.0.1:${metricsPorts[i]}/metrics`);
      if (reply.status !== 200) throw new Error(`metrics of node ${i}: ${reply.status}`);
      return reply.text();
    },
    /** Node `i`'s view of every database ({node, confirmed, databases}), through a signed cluster call. */
    async state(i, { fingerprints = false } = {}) {
      const target = `/_cluster/state${fingerprints ? '?fingerprints=1' : ''}`;
      const requestId = `test_${randomBytes(6).toString('hex')}`;
      const reply = await fetch(`http://127.0.0.1:${ports[i]}${target}`, {
        headers: { 'x-request-id': requestId, [HOP_HEADER]: signHop(secret, 'test', 'GET', target, requestId) },
      });
      if (reply.status !== 200) throw new Error(`state of node ${i}: ${reply.status} ${await reply.text()}`);
      return reply.json();
    },
    /** The index of the node serving `database`, once one does. */
    async ownerIndex(database, { except = -1, timeoutMs = 30000 } = {}) {
      return eventually(async () => {
        for (let i = 0; i < nodes.length; i += 1) {
          if (i === except || !nodes[i].running) continue;
          const view = await cluster.state(i).catch(() => null);
          if (view?.databases[database]?.serving) return i + 1;
        }
        return 0;
      }, timeoutMs, `an owner for ${database}`).then((found) => found - 1);
    },
    /** Waits until every running node's copy of every database has the same position and content. */
    async converged(timeoutMs = 60000) {
      return eventually(async () => {
        const views = [];
        for (let i = 0; i < nodes.length; i += 1) if (nodes[i].running) views.push(await cluster.state(i, { fingerprints: true }));
        const [first, ...rest] = views;
        for (const [database, copy] of Object.entries(first.databases)) {
          for (const other of rest) {
            const theirs = other.databases[database];
            if (!theirs || theirs.applied !== copy.applied || theirs.fingerprint !== copy.fingerprint) return null;
          }
        }
        return views;
      }, timeoutMs, 'convergence of every copy');
    },
    /**
     * `npm run admin -- …args` against node `i` (through its data folder's socket), without
     * blocking this process (its relays carry the nodes' traffic): {status, data}.
     */
    async admin(i, ...args) {
      // UNAVAILABLE is "retry" (the catalog's owner is being chosen or not yet known here), as an
      // operator re-runs the command.
      const deadline = Date.now() + 30000;
      for (;;) {
        const result = await cluster.adminOnce(i, ...args);
        if (result.status === 0 || result.data?.code !== 'UNAVAILABLE' || Date.now() > deadline) return result;
        await sleep(200);
      }
    },
    adminOnce(i, ...args) {
      const script = fileURLToPath(new URL('../../node-host/src/admin.mjs', import.meta.url));
      return new Promise((resolve) => {
        execFile(process.execPath, [script, ...args], { env: { ...process.env, LEADLINE_DATA_DIR: path.join(baseDir, `node-${i + 1}`, 'data') } }, (error, stdout) => {
          let data;
          try {
            data = JSON.parse(stdout);
          } catch {
            data = stdout;
          }
          resolve({ status: error ? error.code : 0, data });
        });
      });
    },
    /** Starts node `i` again on its data folder and waits until it listens. */
    async restart(i) {
      nodes[i].start();
      await waitForPort(nodes[i].port, 120000);
    },
    async stop() {
      // A member that died on its own leaves its log's end in the test output (the folder goes).
      for (const member of [...nodes, ...infra.nats, ...infra.etcd]) {
        if (!member.crashed) continue;
        const text = fs.readFileSync(member.logFile, 'utf8');
        console.error(`${member.name} exited on its own (${JSON.stringify(member.crashed)}); the end of its log:\n${text.slice(-4000)}`);
      }
      await Promise.all(nodes.map((node) => node.stop('SIGTERM')));
      await Promise.all(links.map((link) => link.close()));
      await infra.stop();
      fs.rmSync(baseDir, { recursive: true, force: true });
    },
  };
  await cluster.ownerIndex(printed.workspace, { timeoutMs: 60000 });
  return cluster;
}
