// The distributed engines a local cluster runs on, as real processes on loopback: three
// nats-server with JetStream clustered (the change log) and three etcd members (owners and
// leases). `npm run cluster` and the cluster tests start them here; on three machines an
// operator runs the same programs (docs/cluster.md).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NATS_SERVER = '/usr/sbin/nats-server';
const ETCD = '/usr/bin/etcd';
// A 5,000-lead add or a delete job's slice is one log entry; NATS's default 1 MiB is too small.
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

/** A free TCP port on 127.0.0.1 (closed again at once; the caller binds it soon after). */
// Ports handed out for servers started later are taken below the kernel's ephemeral range: a
// port from inside it (listen(0)) can meanwhile become the source port of an outgoing
// connection (a relay's, a client's), and the server's listen then fails with EADDRINUSE.
function ephemeralLow() {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}
const handedOut = new Set();

function bindable(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback port nothing listens on now, below the ephemeral range and not handed out before. */
export async function freePort() {
  const low = Math.min(ephemeralLow(), 32768);
  const from = Math.max(1024, low - 12000);
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free loopback port below the ephemeral range');
}

/** Resolves once something accepts connections on `port`, or rejects after `timeoutMs`. */
export async function waitForPort(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// One supervised process listening on `port`: started, killed (any signal), started again with
// the same arguments.
class Member {
  constructor(name, port, command, args, logFile, env = process.env) {
    Object.assign(this, { name, port, command, args, logFile, env, child: null });
  }

  start() {
    const log = fs.openSync(this.logFile, 'a');
    this.child = spawn(this.command, this.args, { stdio: ['ignore', log, log], env: this.env });
    fs.closeSync(log);
    const child = this.child;
    this.signalled = false;
    // An exit nobody asked for (a crash): kept so a test run can show the member's log.
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.signalled) this.crashed = { code, signal };
        resolve();
      }),
    );
    return this;
  }

  get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(name) {
    if (this.running) {
      if (name !== 'SIGSTOP' && name !== 'SIGCONT') this.signalled = true;
      this.child.kill(name);
    }
  }

  async stop(signal = 'SIGTERM') {
    if (!this.running) return;
    this.signalled = true;
    const { exited } = this;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function natsConfig({ name, clientPort, routePort, routes, storeDir }) {
  return [
    `server_name: ${name}`,
    'listen: 127.0.0.1:' + clientPort,
    `max_payload: ${MAX_ENTRY_BYTES}`,
    // A slow follower is disconnected rather than allowed to hold memory without bound.
    'write_deadline: "10s"',
    'jetstream {',
    `  store_dir: ${JSON.stringify(storeDir)}`,
    '  max_memory_store: 268435456',
    '  max_file_store: 8589934592',
    '}',
    'cluster {',
    '  name: leadline',
    `  listen: 127.0.0.1:${routePort}`,
    `  routes: [${routes.map((port) => `nats-route://127.0.0.1:${port}`).join(', ')}]`,
    '}',
    '',
  ].join('\n');
}

const SERVER = fileURLToPath(new URL('../server.mjs', import.meta.url));

/**
 * Leadline nodes for the cluster `infra` (startLocalCluster's result): node i (1-based) serves on
 * `ports[i-1]` with its data folder and log under `baseDir`/node-i. `env`: extra variables for
 * every node, or a function of the node's index (0-based) giving them. Returns the members (not
 * started).
 */
export function leadlineNodes({ baseDir, infra, ports, secret, env = {} }) {
  return ports.map((port, i) => {
    const name = `node-${i + 1}`;
    const dir = path.join(baseDir, name);
    fs.mkdirSync(dir, { recursive: true });
    const nodeEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LEADLINE_DATA_DIR: path.join(dir, 'data'),
      LEADLINE_NODE_ID: name,
      LEADLINE_ADVERTISE_URL: `http://127.0.0.1:${port}`,
      LEADLINE_NATS_URLS: infra.natsServers.join(','),
      LEADLINE_ETCD_ENDPOINTS: infra.etcdEndpoints.join(','),
      LEADLINE_CLUSTER_SECRET: secret,
      ...(typeof env === 'function' ? env(i) : env),
    };
    return new Member(name, port, process.execPath, [SERVER], path.join(dir, 'leadline.log'), nodeEnv);
  });
}

/**
 * Starts `size` nats-server and `size` etcd members under `baseDir` (each in its own folder,
 * kept across restarts: a second start on the same folder resumes the same cluster). `ports`
 * (optional) fixes {nats, natsRoutes, etcd, etcdPeers} arrays; otherwise free ports are taken.
 * Resolves once every member accepts connections.
 */
export async function startLocalCluster({ baseDir, size = 3, ports } = {}) {
  fs.mkdirSync(baseDir, { recursive: true });
  const pick = async (list) => list ?? Promise.all(Array.from({ length: size }, () => freePort()));
  const natsPorts = await pick(ports?.nats);
  const routePorts = await pick(ports?.natsRoutes);
  const etcdPorts = await pick(ports?.etcd);
  const peerPorts = await pick(ports?.etcdPeers);
  const initialCluster = peerPorts.map((port, i) => `etcd-${i + 1}=http://127.0.0.1:${port}`).join(',');

  const nats = natsPorts.map((clientPort, i) => {
    const name = `nats-${i + 1}`;
    const dir = path.join(baseDir, name);
    fs.mkdirSync(dir, { recursive: true });
    const configFile = path.join(dir, 'nats.conf');
    fs.writeFileSync(
      configFile,
      natsConfig({
        name,
        clientPort,
        routePort: routePorts[i],
        routes: routePorts.filter((_, j) => j !== i),
        storeDir: path.join(dir, 'jetstream'),
      }),
    );
    return new Member(name, clientPort, NATS_SERVER, ['-c', configFile], path.join(dir, 'nats.log'));
  });
  const etcd = etcdPorts.map((clientPort, i) => {
    const name = `etcd-${i + 1}`;
    const dir = path.join(baseDir, name);
    fs.mkdirSync(dir, { recursive: true });
    const url = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPorts[i]}`;
    const args = [
      '--name', name,
      '--data-dir', path.join(dir, 'data'),
      '--listen-client-urls', url,
      '--advertise-client-urls', url,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', 'leadline',
      // Loopback: a short heartbeat finds a dead leader in well under a second.
      '--heartbeat-interval', '100',
      '--election-timeout', '1000',
    ];
    return new Member(name, clientPort, ETCD, args, path.join(dir, 'etcd.log'));
  });
  for (const member of [...nats, ...etcd]) member.start();
  try {
    await Promise.all([...nats, ...etcd].map((member) => waitForPort(member.port)));
  } catch (error) {
    await Promise.all([...nats, ...etcd].map((member) => member.stop('SIGKILL')));
    throw error;
  }
  return {
    nats,
    etcd,
    natsServers: natsPorts.map((port) => `127.0.0.1:${port}`),
    etcdEndpoints: etcdPorts.map((port) => `http://127.0.0.1:${port}`),
    /** Restarts member `member` (after a kill) and waits until it accepts connections. */
    async restart(member) {
      member.start();
      await waitForPort(member.port);
    },
    /** Stops every member (SIGTERM, SIGKILL after 5 s). */
    async stop() {
      await Promise.all([...nats, ...etcd].map((member) => member.stop()));
    },
  };
}
