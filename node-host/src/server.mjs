// Only listens: reads configuration, takes the data folder's lock, bootstraps the first workspace,
// serves, and shuts down cleanly on SIGTERM / SIGINT.
import fs from 'node:fs';
import { createApp } from './app.mjs';
import { readConfig } from './config.mjs';
import { acquireDataFolderLock } from './db-lock.mjs';
import { serveAdminSocket } from './admin-socket.mjs';
import { createLogger } from './logger.mjs';

let config;
try {
  config = readConfig();
} catch (error) {
  console.error(`leadline: ${error.message}`);
  process.exit(1);
}
fs.mkdirSync(config.dataDir, { recursive: true });

let releaseLock;
try {
  releaseLock = acquireDataFolderLock(config.dataDir);
} catch (error) {
  console.error(`leadline: ${error.message}`);
  process.exit(1);
}

const logger = createLogger({ enabled: config.log });
let app;
try {
  app = await createApp({
    dataDir: config.dataDir,
    singleFile: config.singleFile,
    workers: config.workers,
    engineOptions: config.engineOptions,
    rateLimit: config.rateLimit,
    authFailureLimit: config.authFailureLimit,
    maxQueued: config.maxQueued,
    maxBodyBytes: config.maxBodyBytes,
    transport: config.transport,
    faults: config.faults,
    cluster: config.cluster,
    webhooks: config.webhooks,
    logger,
    metricsToken: config.metrics?.token ?? null,
  });
} catch (error) {
  releaseLock();
  console.error(`leadline: ${error.message}`);
  process.exit(1);
}

// First start on an empty database: create a workspace and show its keys, once. In a cluster the
// node that owns the catalog does it, once it has read the log (every other node sees the result).
async function bootstrap() {
  const boot = await app.engine.admin({ command: 'bootstrap' });
  const booted = JSON.parse(boot.body);
  if (!booted.success) {
    console.error(`leadline: bootstrap failed: ${booted.error.message}`);
    process.exit(1);
  }
  if (booted.data.created) {
    console.log(`workspace: ${booted.data.workspace.id}`);
    console.log(`workspace key: ${booted.data.workspaceKey}`);
    console.log(`platform key: ${booted.data.platformKey}`);
    console.log('(keys are shown only now; store them safely)');
  }
}
if (config.cluster) app.engine.catalogServed.then(bootstrap);
else await bootstrap();

// `npm run admin` reaches this process through the data folder's socket while it runs.
const closeAdminSocket = await serveAdminSocket(config.dataDir, (command) => app.administer(command));

app.server.listen(config.port, config.host, () => {
  const { port } = app.server.address();
  console.log(
    `leadline listening on http://localhost:${port} (data folder ${config.dataDir}, ${config.workers} engine worker(s))`,
  );
  if (config.cluster) console.log(`leadline cluster node ${config.cluster.nodeId} advertised at ${config.cluster.advertiseUrl}`);
});
if (config.metrics) {
  app.metricsServer.listen(config.metrics.port, config.metrics.host, () => {
    const { address, port } = app.metricsServer.address();
    console.log(`leadline metrics on http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`);
  });
}

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`leadline: ${signal} received, draining`);
  await closeAdminSocket();
  await app.close();
  releaseLock();
  logger.flush(() => process.exit(0));
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
