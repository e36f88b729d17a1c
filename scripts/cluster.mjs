// `npm run cluster`: a three-node Leadline cluster on this machine — three nats-server (JetStream
// clustered), three etcd members and three Leadline nodes on 127.0.0.1:8081–8083 — kept in
// data/cluster (LEADLINE_CLUSTER_DIR) across restarts. Ctrl-C or SIGTERM stops everything.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { leadlineNodes, startLocalCluster, waitForPort } from '../node-host/src/cluster/local-cluster.mjs';

const baseDir = path.resolve(process.env.LEADLINE_CLUSTER_DIR ?? 'data/cluster');
const ports = {
  nats: [4222, 4223, 4224],
  natsRoutes: [6222, 6223, 6224],
  etcd: [2379, 2381, 2383],
  etcdPeers: [2380, 2382, 2384],
};
const httpPorts = [8081, 8082, 8083];

fs.mkdirSync(baseDir, { recursive: true });
// The nodes' shared secret for calls between them, made on first start and kept.
const secretFile = path.join(baseDir, 'cluster-secret');
if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
const secret = fs.readFileSync(secretFile, 'utf8').trim();

console.log(`starting nats-server ×3 and etcd ×3 (data in ${baseDir})`);
const infra = await startLocalCluster({ baseDir, ports });
const nodes = leadlineNodes({ baseDir, infra, ports: httpPorts, secret });
// Keys are printed once, by the node that bootstraps the catalog on first start.
const offsets = new Map(nodes.map((node) => [node, fs.existsSync(node.logFile) ? fs.statSync(node.logFile).size : 0]));
for (const node of nodes) node.start();
await Promise.all(nodes.map((node) => waitForPort(node.port, 120000)));
for (const node of nodes) console.log(`${node.name}: http://127.0.0.1:${node.port} (log ${node.logFile})`);

let stopping = false;
const watchKeys = setInterval(() => {
  for (const node of nodes) {
    const start = offsets.get(node);
    const size = fs.statSync(node.logFile).size;
    if (size <= start) continue;
    const fd = fs.openSync(node.logFile, 'r');
    const text = Buffer.alloc(size - start);
    fs.readSync(fd, text, 0, text.length, start);
    fs.closeSync(fd);
    offsets.set(node, size);
    for (const line of text.toString('utf8').split('\n')) {
      if (/^(workspace|workspace key|platform key): |^\(keys are shown only now/.test(line)) console.log(line);
      if (/^leadline: /.test(line)) console.log(`${node.name}: ${line}`);
    }
  }
}, 200);
console.log('cluster running; Ctrl-C stops it');

for (const node of nodes) {
  node.exited.then((code) => {
    if (!stopping) console.log(`${node.name} exited (${code}); see ${node.logFile}`);
  });
}

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the Leadline nodes, then etcd and nats-server`);
  clearInterval(watchKeys);
  await Promise.all(nodes.map((node) => node.stop('SIGTERM')));
  await infra.stop();
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
