// Configuration from the environment, with the defaults README documents.
import os from 'node:os';
import path from 'node:path';
import { parseRateLimit } from './rate-limiter.mjs';

/** Requests per window for one key (Stripe allows 100/s; bursts of a console's page loads fit easily). */
export const DEFAULT_RATE_LIMIT = '1000/10s';
/** Requests that may wait for the engine; each holds its body (≤16 MiB), so this bounds memory too. */
export const DEFAULT_MAX_QUEUED = 256;
/** Refused credentials one address may send per window before its unverified requests are 429. */
export const DEFAULT_AUTH_FAILURE_LIMIT = '10/60s';
/** Largest body of an ordinary route and of a batch route (creating, importing, adding thousands of leads). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BATCH_BODY_BYTES = 16 * 1024 * 1024;
/**
 * Transport bounds: a request's headers must arrive within `headersTimeoutMs` and its whole body
 * within `requestTimeoutMs` (a body trickled a byte a second is cut off); an idle keep-alive
 * connection closes after `keepAliveTimeoutMs`; connections are capped per address and overall.
 */
export const DEFAULT_TRANSPORT = Object.freeze({
  headersTimeoutMs: 10000,
  requestTimeoutMs: 30000,
  keepAliveTimeoutMs: 5000,
  maxConnections: 1024,
  maxConnectionsPerAddress: 256,
});

function positiveInteger(env, name, fallback) {
  const text = env[name] ?? String(fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

function flag(env, name, fallback) {
  const text = env[name];
  if (text === undefined) return fallback;
  if (text === '1' || text === 'true') return true;
  if (text === '0' || text === 'false') return false;
  throw new Error(`${name} must be 1 or 0, got ${text}`);
}

/** Workspace databases each engine keeps open at once, and each one's page cache bound. */
export const DEFAULT_MAX_OPEN_WORKSPACES = 64;
/** Webhook deliveries out at once per workspace engine (each receiver gets at most a few of them). */
export const DEFAULT_WEBHOOK_CONCURRENCY = 16;
export const DEFAULT_WORKSPACE_CACHE_MIB = 64;
/** At most this many workspace engines (the ids' origin field has room for 15 and the catalog). */
export const MAX_ENGINE_WORKERS = 15;

const FAULTS = new Set(['crash-after-commit', 'engine-abort', 'sqlite-error', 'crash-during-upgrade']);

/** Entries up to this size fit in the change log (a 5,000-lead add is one entry); NATS allows 1 MiB by default. */
export const MAX_LOG_ENTRY_BYTES = 8 * 1024 * 1024;
/** When a workspace's log is replaced by a snapshot: entries, bytes of changes, or time since the last one. */
export const DEFAULT_SNAPSHOT = Object.freeze({ entries: 10000, bytes: 64 * 2 ** 20, intervalMs: 3600 * 1000 });
/** An owner's etcd lease: it stops answering within this after it can no longer renew. */
export const DEFAULT_LEASE_TTL_SECONDS = 3;

/** Where GET /metrics listens: LEADLINE_METRICS_PORT (0: any free port), on LEADLINE_METRICS_HOST. */
function readMetricsConfig(env) {
  const text = env.LEADLINE_METRICS_PORT;
  if (text === undefined || text === '') return null;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`LEADLINE_METRICS_PORT must be a port number, got ${text}`);
  const token = env.LEADLINE_METRICS_TOKEN ?? null;
  if (token !== null && token.length < 16) throw new Error('LEADLINE_METRICS_TOKEN must be at least 16 characters');
  return { port, host: env.LEADLINE_METRICS_HOST ?? '127.0.0.1', token };
}

function list(env, name) {
  const text = env[name];
  if (!text) throw new Error(`${name} is required on a cluster node (comma-separated)`);
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

/**
 * A cluster node's settings (docs/cluster.md), or null when LEADLINE_NODE_ID is unset (a single
 * node). `port`: this node's HTTP port, for the default advertised address.
 */
export function readClusterConfig(env, port) {
  const nodeId = env.LEADLINE_NODE_ID;
  if (nodeId === undefined) return null;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(nodeId)) throw new Error(`LEADLINE_NODE_ID must be 1-64 letters, digits, - or _, got ${nodeId}`);
  const secret = env.LEADLINE_CLUSTER_SECRET ?? '';
  if (secret.length < 32) throw new Error('LEADLINE_CLUSTER_SECRET must be at least 32 characters on a cluster node (the same on every node)');
  const advertiseUrl = env.LEADLINE_ADVERTISE_URL ?? `http://127.0.0.1:${port}`;
  try {
    new URL(advertiseUrl);
  } catch {
    throw new Error(`LEADLINE_ADVERTISE_URL must be a URL, got ${advertiseUrl}`);
  }
  return {
    nodeId,
    advertiseUrl,
    natsServers: list(env, 'LEADLINE_NATS_URLS'),
    etcdEndpoints: list(env, 'LEADLINE_ETCD_ENDPOINTS'),
    secret,
    leaseTtlSeconds: positiveInteger(env, 'LEADLINE_LEASE_TTL_SECONDS', DEFAULT_LEASE_TTL_SECONDS),
    maxEntryBytes: MAX_LOG_ENTRY_BYTES,
    // A workspace's owner snapshots it and purges the log before the snapshot after this many
    // entries, or bytes of changes, since the last one, or after this long with any.
    snapshot: {
      entries: positiveInteger(env, 'LEADLINE_SNAPSHOT_ENTRIES', DEFAULT_SNAPSHOT.entries),
      bytes: positiveInteger(env, 'LEADLINE_SNAPSHOT_MIB', DEFAULT_SNAPSHOT.bytes / 2 ** 20) * 2 ** 20,
      intervalMs: positiveInteger(env, 'LEADLINE_SNAPSHOT_INTERVAL_S', DEFAULT_SNAPSHOT.intervalMs / 1000) * 1000,
    },
  };
}

export function readConfig(env = process.env) {
  const port = Number.parseInt(env.PORT ?? '8080', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0-65535, got ${env.PORT}`);
  const retentionDays = Number(env.LEADLINE_RECEIPT_RETENTION_DAYS ?? '7');
  if (!(retentionDays > 0)) {
    throw new Error(`LEADLINE_RECEIPT_RETENTION_DAYS must be a positive number, got ${env.LEADLINE_RECEIPT_RETENTION_DAYS}`);
  }
  const fault = env.LEADLINE_TEST_FAULT;
  if (fault !== undefined && !FAULTS.has(fault)) {
    throw new Error(`LEADLINE_TEST_FAULT must be one of ${[...FAULTS].join(', ')}, got ${fault}`);
  }
  const maxBodyBytes = positiveInteger(env, 'LEADLINE_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES);
  const maxBatchBodyBytes = positiveInteger(env, 'LEADLINE_MAX_BATCH_BODY_BYTES', DEFAULT_MAX_BATCH_BODY_BYTES);
  const workers = positiveInteger(env, 'LEADLINE_ENGINE_WORKERS', Math.min(os.availableParallelism(), MAX_ENGINE_WORKERS));
  if (workers > MAX_ENGINE_WORKERS) throw new Error(`LEADLINE_ENGINE_WORKERS must be at most ${MAX_ENGINE_WORKERS}, got ${workers}`);
  const dataDir = path.resolve(env.LEADLINE_DATA_DIR ?? 'data');
  return {
    port,
    engineOptions: {
      receiptRetentionMs: Math.round(retentionDays * 24 * 60 * 60 * 1000),
      allowQueryKey: flag(env, 'LEADLINE_ALLOW_QUERY_KEY', true),
      maxBodyBytes,
      maxBatchBodyBytes,
      maxOpenWorkspaces: positiveInteger(env, 'LEADLINE_MAX_OPEN_WORKSPACES', DEFAULT_MAX_OPEN_WORKSPACES),
      workspaceCacheKib: positiveInteger(env, 'LEADLINE_WORKSPACE_CACHE_MIB', DEFAULT_WORKSPACE_CACHE_MIB) * 1024,
      webhookAllowPrivate: flag(env, 'LEADLINE_WEBHOOK_ALLOW_PRIVATE', false),
      // The engine checks the schedule's format and says what is wrong with it.
      ...(env.LEADLINE_WEBHOOK_RETRY_SCHEDULE !== undefined && { webhookRetrySchedule: env.LEADLINE_WEBHOOK_RETRY_SCHEDULE }),
    },
    webhooks: {
      deliver: flag(env, 'LEADLINE_WEBHOOK_DELIVERY', true),
      concurrency: positiveInteger(env, 'LEADLINE_WEBHOOK_CONCURRENCY', DEFAULT_WEBHOOK_CONCURRENCY),
    },
    workers,
    // The transport refuses what no route could take before reading it; each route's own
    // limit is the engine's.
    maxBodyBytes: Math.max(maxBodyBytes, maxBatchBodyBytes),
    authFailureLimit: parseRateLimit(env.LEADLINE_AUTH_FAILURE_LIMIT ?? DEFAULT_AUTH_FAILURE_LIMIT, 'LEADLINE_AUTH_FAILURE_LIMIT'),
    transport: {
      headersTimeoutMs: positiveInteger(env, 'LEADLINE_HEADERS_TIMEOUT_MS', DEFAULT_TRANSPORT.headersTimeoutMs),
      requestTimeoutMs: positiveInteger(env, 'LEADLINE_REQUEST_TIMEOUT_MS', DEFAULT_TRANSPORT.requestTimeoutMs),
      keepAliveTimeoutMs: positiveInteger(env, 'LEADLINE_KEEP_ALIVE_TIMEOUT_MS', DEFAULT_TRANSPORT.keepAliveTimeoutMs),
      maxConnections: positiveInteger(env, 'LEADLINE_MAX_CONNECTIONS', DEFAULT_TRANSPORT.maxConnections),
      maxConnectionsPerAddress: positiveInteger(
        env,
        'LEADLINE_MAX_CONNECTIONS_PER_ADDRESS',
        DEFAULT_TRANSPORT.maxConnectionsPerAddress,
      ),
    },
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    // A database of the single-file layout, converted into the data folder on start.
    singleFile: path.resolve(env.LEADLINE_DB ?? path.join(dataDir, 'leadline.db')),
    log: env.LEADLINE_LOG !== '0',
    // GET /metrics on a listener of its own (metrics.mjs); off unless a port is given.
    metrics: readMetricsConfig(env),
    cluster: readClusterConfig(env, port),
    rateLimit: parseRateLimit(env.LEADLINE_RATE_LIMIT ?? DEFAULT_RATE_LIMIT),
    maxQueued: positiveInteger(env, 'LEADLINE_MAX_QUEUED', DEFAULT_MAX_QUEUED),
    // Fault injection for the crash-safety tests only; documented in README.
    faults: {
      crashAfterCommit: fault === 'crash-after-commit',
      engineAbort: fault === 'engine-abort',
      sqliteError: fault === 'sqlite-error',
      crashDuringUpgrade: fault === 'crash-during-upgrade',
    },
  };
}
