// What an operator scrapes: Prometheus metrics of one server (npm prom-client), on a listener of
// their own (LEADLINE_METRICS_PORT) that API keys do not open. Request metrics are labelled by the
// core's route pattern ("/leads/:id"), never by a path that could name a lead or carry a key.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import client from 'prom-client';

// From a cached GET (~1 ms) to a large synchronous write (seconds).
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The registry of one server. `engine` (engines.mjs or cluster/cluster-engines.mjs) is asked at
 * each scrape for its workers' queues, refusals and jobs, and in a cluster for its replication.
 */
export function createMetrics(engine) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'leadline_' });
  const registers = [registry];

  const requests = new client.Counter({
    name: 'leadline_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const latency = new client.Histogram({
    name: 'leadline_http_request_duration_seconds',
    help: 'Time from a request arriving to its reply being sent, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers,
  });

  // Read once per scrape and shared by the collectors below (each would otherwise ask again).
  let snapshot = null;
  const workers = () => {
    snapshot ??= engine.workerStats().finally(() => setImmediate(() => (snapshot = null)));
    return snapshot;
  };
  new client.Gauge({
    name: 'leadline_engine_queue_depth',
    help: 'Requests waiting for a workspace engine now',
    labelNames: ['worker'],
    registers,
    async collect() {
      this.reset();
      for (const stats of await workers()) this.set({ worker: String(stats.worker) }, stats.waiting);
    },
  });
  new client.Counter({
    name: 'leadline_engine_unavailable_total',
    help: 'Requests a workspace engine could not take or finish (answered 503), since the server started',
    labelNames: ['worker'],
    registers,
    async collect() {
      this.reset();
      for (const stats of await workers()) this.inc({ worker: String(stats.worker) }, stats.refused);
    },
  });
  new client.Gauge({
    name: 'leadline_jobs',
    help: 'Background jobs (imports, large deletes and edits) by status, over the workspaces this server holds',
    labelNames: ['status'],
    registers,
    async collect() {
      this.reset();
      const totals = {};
      for (const { jobs } of await workers()) {
        for (const [status, count] of Object.entries(jobs ?? {})) totals[status] = (totals[status] ?? 0) + count;
      }
      for (const [status, count] of Object.entries(totals)) this.set({ status }, count);
    },
  });

  if (engine.cluster) addClusterMetrics(engine.cluster, registers);

  return {
    registry,
    /** Counts one answered request; `route` is the core's pattern or a fixed word (static, unrouted…). */
    observeRequest(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    /** The Prometheus text of every metric now. */
    text: () => registry.metrics(),
  };
}

// A cluster node's own view: how far each database's copy trails the change log, and how its
// lease and ownership have fared (cluster/cluster-engines.mjs keeps the counts).
function addClusterMetrics(cluster, registers) {
  new client.Gauge({
    name: 'leadline_replication_lag_entries',
    help: 'Change-log entries of a database not yet applied to this node’s copy (stream sequence − applied sequence)',
    labelNames: ['database'],
    registers,
    async collect() {
      this.reset();
      for (const [database, lag] of Object.entries(await cluster.replicationLag())) this.set({ database }, lag);
    },
  });
  new client.Gauge({
    name: 'leadline_snapshot_age_seconds',
    help: 'Seconds since this node last wrote (as owner) or installed a snapshot of a database that replaced its log before it',
    labelNames: ['database'],
    registers,
    collect() {
      this.reset();
      for (const [database, age] of Object.entries(cluster.snapshotAges())) this.set({ database }, age);
    },
  });
  new client.Gauge({
    name: 'leadline_databases_served',
    help: 'Databases this node answers for now (it owns them and its lease is confirmed)',
    registers,
    async collect() {
      const { databases } = await cluster.state();
      this.set(Object.values(databases).filter((entry) => entry.serving).length);
    },
  });
  const counted = [
    ['leadline_lease_renewals_total', 'etcd lease renewals this node made that etcd confirmed', 'leaseRenewals'],
    ['leadline_lease_losses_total', 'Times this node could not confirm its lease in time and stepped down from everything', 'leaseLosses'],
    ['leadline_failovers_total', 'Databases this node took over from another node that had owned them', 'failovers'],
    ['leadline_ownership_claims_total', 'Databases this node became the owner of (failovers included)', 'claims'],
  ];
  for (const [name, help, key] of counted) {
    new client.Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(cluster.counts()[key]);
      },
    });
  }
}

// Compared in constant time (by digest, so the lengths need not match).
function sameSecret(given, expected) {
  const digest = (text) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The operator's listener: `GET /metrics` (Prometheus text format) and nothing else. Listen on an
 * address only operators reach; `token`, when set, must come as `Authorization: Bearer <token>`.
 */
export function createMetricsServer(metrics, { token = null } = {}) {
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found: this listener serves GET /metrics only\n');
      return;
    }
    if (token !== null && !sameSecret(req.headers.authorization ?? '', `Bearer ${token}`)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end('Unauthorized: /metrics needs the metrics token (LEADLINE_METRICS_TOKEN)\n');
      return;
    }
    try {
      const text = await metrics.text();
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`metrics failed: ${error.message}\n`);
    }
  });
}
