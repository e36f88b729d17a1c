// Builds the HTTP server: transport only (body limits, rate limits, the engine's queue, static
// files, logging). Every API decision — routing, auth, validation, status codes — is the engine's.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineUnavailable } from './engine-client.mjs';
import { startEngines } from './engines.mjs';
import { startWebhookSender } from './webhook-sender.mjs';
import { startClusterEngines } from './cluster/cluster-engines.mjs';
import { HOP_HEADER, ROUTE_HEADER } from './cluster/forwarding.mjs';
import { upgradeSingleFile } from './single-file-upgrade.mjs';
import { createLogger } from './logger.mjs';
import { createMetrics, createMetricsServer } from './metrics.mjs';
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_MAX_QUEUED, DEFAULT_RATE_LIMIT, DEFAULT_TRANSPORT } from './config.mjs';
import { parseRateLimit, presentedCredential, RateLimiter, VerifiedCredentials } from './rate-limiter.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

const STATIC_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/** The API's OpenAPI 3.1 document, served at `/api/openapi.json` (tests/host/openapi.test.mjs keeps it true). */
const OPENAPI_PATH = '/api/openapi.json';
const openApiFile = path.join(repoRoot, 'node-host/openapi.json');

// Readiness, answered by the host (it is about this process, not about stored data).
const READY_PATHS = new Set(['/api/v1/ready', '/v1/ready']);

function isApiPath(pathname) {
  return pathname === '/api' || pathname.startsWith('/api/') || pathname === '/v1' || pathname.startsWith('/v1/');
}

// The console and the reference load scripts, styles, the wasm core and the API from this origin
// only; nothing inline runs ('wasm-unsafe-eval' lets the page compile the core, nothing else).
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const PAGE_HEADERS = {
  'content-security-policy': PAGE_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};
// API replies carry personal data: never stored by a browser or a shared cache.
const API_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

// A transport-level failure the engine never saw (body too large, engine down), in the API's envelope.
function sendTransportError(res, status, code, message, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ success: false, error: { code, message } }));
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(Object.assign(new Error('too large'), { tooLarge: true }));
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(Object.assign(new Error('too large'), { tooLarge: true }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// Writes a streamed reply piece by piece, waiting for the socket to drain so a slow client
// holds back the export instead of filling memory. The next piece is asked for while the
// current one is written, so the engine works while the socket sends (one piece ahead at most;
// it gained ~4% on the bench's export, whose time is mostly the engine's). A failure mid-way
// cuts the connection: the client sees an incomplete body, never a silently truncated file.
async function pipeStream(engine, stream, lane, res, log) {
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  let next = engine.readStream(stream, { lane });
  for (;;) {
    const { chunk, done, failure } = await next;
    if (failure) {
      log(`stream failed: ${failure}`);
      res.destroy();
      return;
    }
    if (closed) {
      if (!done) await engine.closeStream(stream);
      return;
    }
    if (!done) next = engine.readStream(stream, { lane });
    if (chunk && !res.write(chunk)) {
      await new Promise((resolve) => {
        // Both listeners go once either fires: a long export waits for drain many times.
        const settle = () => {
          res.off('drain', settle);
          res.off('close', settle);
          resolve();
        };
        res.on('drain', settle);
        res.on('close', settle);
      });
    }
    if (done) {
      res.end();
      return;
    }
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// The body as text for the engine, and whether its bytes were UTF-8. Bytes that are not are not
// repaired in silence (a lenient decode would turn them into U+FFFD and store that): the
// engine is told, and refuses.
function decodeBody(bytes) {
  try {
    return { text: strictUtf8.decode(bytes), notUtf8: false };
  } catch {
    return { text: bytes.toString('utf8'), notUtf8: true };
  }
}

// A client's own X-Request-Id is kept when it is a plain token; otherwise the host makes one.
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
function requestIdFor(req) {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : `req_${randomBytes(12).toString('hex')}`;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Who is asking (the quota subject: credential and workspace) with which Idempotency-Key, as
// far as the transport can tell. The engine scopes stored replies by workspace and key; this
// only has to tell two in-flight copies of the same request apart from everything else.
function inFlightKey(method, headers, subject) {
  const idempotencyKey = headers['idempotency-key'];
  if (!idempotencyKey || !WRITE_METHODS.has(method)) return null;
  return `${subject}\n${idempotencyKey}`;
}

function sendFile(file, res) {
  const stream = fs.createReadStream(file);
  stream.on('open', () => {
    res.writeHead(200, { 'content-type': STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream', ...PAGE_HEADERS });
    stream.pipe(res);
  });
  stream.on('error', () => {
    if (!res.headersSent) sendTransportError(res, 404, 'NOT_FOUND', 'Not found');
    else res.destroy();
  });
}

// Serves `relative` (already decoded) from the first root that has it. A root with `files`
// serves only those names (build folders hold much that is not for browsers); one without serves
// its whole tree.
function serveStatic(roots, relative, res) {
  for (const { prefix, dir, files } of roots) {
    if (!relative.startsWith(prefix)) continue;
    const name = relative.slice(prefix.length);
    if (files && !files.includes(name)) continue;
    const file = path.resolve(dir, name);
    if (!file.startsWith(dir + path.sep)) continue; // no escaping the served directory
    if (fs.existsSync(file) && fs.statSync(file).isFile()) {
      sendFile(file, res);
      return true;
    }
  }
  return false;
}

// The path as a relative file name, or null when its percent-encoding is malformed.
function staticName(pathname) {
  try {
    return pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return null;
  }
}

// Caps open connections per client address and overall; a connection over either cap is
// closed at once, before it can hold a socket, a parser or a header timer.
function limitConnections(server, { maxConnections, maxConnectionsPerAddress }) {
  server.maxConnections = maxConnections;
  const perAddress = new Map();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = (perAddress.get(address) ?? 0) + 1;
    if (open > maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, open);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
}

// Every header as one string: a header sent twice is joined with ", " as HTTP does (Node would
// otherwise keep only the first Authorization), so the engine sees — and refuses — both copies.
function engineHeaders(req) {
  const headers = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) headers[name] = values.join(', ');
  return headers;
}

/**
 * Creates the server and its engines on the data folder `dataDir`: the catalog's on this thread
 * and `workers` workspace engines in worker threads (engines.mjs). A database of the single-file
 * layout at `singleFile` is converted into the folder first. Call `listen` on the returned
 * server; `close()` stops accepting, drains, and closes the databases.
 * `rateLimit`: {limit, windowSeconds} per verified key (and per address for everything else), or
 * null for none. `authFailureLimit`: refused credentials one address may send per window before
 * its unverified requests are 429, or null. `maxQueued`: requests that may wait for the engine
 * before the next is answered 503. `transport`: timeouts and connection caps (config.mjs).
 * `faults` (tests only): `crashAfterCommit`, `engineAbort`, `sqliteError`, `crashDuringUpgrade`.
 * `cluster` (config.mjs readClusterConfig): makes this server a cluster node (cluster/); null for
 * a single node. `webhooks`: {deliver, concurrency} — whether this server sends webhook deliveries
 * (webhook-sender.mjs) and how many at once per engine. `logger`: a pino logger (logger.mjs; none
 * by default). `metricsToken`: the bearer token `metricsServer` asks for, or null.
 */
export async function createApp({
  dataDir,
  singleFile,
  workers = 1,
  buildDir = path.join(repoRoot, 'build/wasm/wasm'),
  staticDir = path.join(repoRoot, 'web-demo'),
  maxBodyBytes = MAX_BODY_BYTES,
  engineOptions = {},
  rateLimit = parseRateLimit(DEFAULT_RATE_LIMIT),
  authFailureLimit = parseRateLimit(DEFAULT_AUTH_FAILURE_LIMIT),
  maxQueued = DEFAULT_MAX_QUEUED,
  transport = DEFAULT_TRANSPORT,
  faults = {},
  cluster = null,
  webhooks = { deliver: true, concurrency: 16 },
  logger = createLogger({ enabled: false }),
  metricsToken = null,
} = {}) {
  const log = (message) => logger.info(message);
  if (singleFile) {
    await upgradeSingleFile({ singleFile, dataDir, buildDir, log, crashMidway: faults.crashDuringUpgrade });
  }
  const engine = cluster
    ? await startClusterEngines({ cluster, dataDir, buildDir, engineOptions, workers, maxQueued, log })
    : await startEngines({ dataDir, buildDir, engineOptions, workers, maxQueued, log });
  const sender = webhooks.deliver
    ? startWebhookSender({ engines: engine.webhookEngines, checkAddress: engine.checkAddress, concurrency: webhooks.concurrency, log })
    : null;
  const metrics = createMetrics(engine);
  const metricsServer = createMetricsServer(metrics, { token: metricsToken });
  const limiter = rateLimit ? new RateLimiter(rateLimit) : null;
  const authFailures = authFailureLimit ? new RateLimiter(authFailureLimit) : null;
  const verified = new VerifiedCredentials();
  // Requests whose credential is not (yet) verified share one lane with a small share of the
  // queue: a flood of made-up keys fills that lane, never a tenant's turn.
  const unverifiedLaneCapacity = Math.max(1, Math.ceil(maxQueued / 16));
  const inFlight = new Set();
  const staticRoots = [
    // Only what the console loads of the build folder (it also holds the server's engine and CMake's files).
    { prefix: 'wasm/', dir: buildDir, files: ['leadline-web.mjs', 'leadline-web.wasm'] },
    // The boundary's reply framing, the same module the Node loader uses.
    { prefix: 'wasm/', dir: path.join(repoRoot, 'wasm'), files: ['frame.mjs'] },
    // The API reference page's renderer, from npm (served locally: the console works offline).
    {
      prefix: 'vendor/swagger-ui/',
      dir: path.join(repoRoot, 'node_modules/swagger-ui-dist'),
      files: ['swagger-ui.css', 'swagger-ui-bundle.js'],
    },
    { prefix: '', dir: staticDir },
  ];

  const server = http.createServer(
    {
      requestTimeout: transport.requestTimeoutMs,
      headersTimeout: transport.headersTimeoutMs,
      keepAliveTimeout: transport.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, transport.headersTimeoutMs),
    },
    async (req, res) => {
      const started = process.hrtime.bigint();
      const url = new URL(req.url, 'http://localhost');
      const requestId = requestIdFor(req);
      res.setHeader('x-request-id', requestId);
      // What the metrics call the request: the core's route pattern, or what the host served.
      let route = 'unrouted';
      res.on('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const label = res.route ?? route;
        metrics.observeRequest(req.method, label, res.statusCode, seconds);
        // Path only: the query string may carry an api_key.
        logger.info(
          { reqId: requestId, method: req.method, path: url.pathname, route: label, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 },
          'request',
        );
      });
      try {
        if (engine.cluster && url.pathname.startsWith('/_cluster/')) {
          route = 'cluster';
          await serveClusterCall(req, res, url, requestId);
          return;
        }
        if (url.pathname === OPENAPI_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
          route = 'openapi';
          sendFile(openApiFile, res);
          return;
        }
        if (READY_PATHS.has(url.pathname)) {
          route = '/ready';
          for (const [name, value] of Object.entries(API_HEADERS)) res.setHeader(name, value);
          serveReadiness(req, res, url);
          return;
        }
        if (!isApiPath(url.pathname)) {
          route = 'static';
          const name = staticName(url.pathname);
          if (name === null) {
            sendTransportError(res, 400, 'VALIDATION_ERROR', 'path: malformed percent-encoding', PAGE_HEADERS);
            return;
          }
          if ((req.method === 'GET' || req.method === 'HEAD') && serveStatic(staticRoots, name, res)) return;
          sendTransportError(res, 404, 'NOT_FOUND', 'Not found', PAGE_HEADERS);
          return;
        }
        for (const [name, value] of Object.entries(API_HEADERS)) res.setHeader(name, value);
        await serveApi(req, res, url, requestId);
      } catch (error) {
        if (error instanceof EngineUnavailable && !res.headersSent) {
          sendTransportError(res, 503, 'UNAVAILABLE', error.message, { 'retry-after': '1' });
          return;
        }
        logger.error({ reqId: requestId, detail: error.message }, 'internal error');
        if (!res.headersSent) sendTransportError(res, 500, 'INTERNAL', 'Internal error');
        else res.destroy();
      }
    },
  );
  limitConnections(server, transport);

  // Whether this node can take writes now: every workspace engine is running and, in a cluster,
  // its lease is confirmed and it knows who owns the catalog. 503 otherwise, so a load balancer
  // sends writes elsewhere; liveness stays GET /api/v1/health.
  function serveReadiness(req, res, url) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendTransportError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}; use GET`, { allow: 'GET, HEAD' });
      return;
    }
    const checks = { engines: engine.running() ? 'ok' : 'restarting' };
    if (engine.cluster) {
      const { lease, catalog } = engine.cluster.ready();
      checks.lease = lease ? 'ok' : 'unconfirmed';
      checks.catalog = catalog ? 'ok' : 'no owner known';
    }
    const ready = Object.values(checks).every((value) => value === 'ok');
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', ...(ready ? {} : { 'retry-after': '1' }) });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ success: true, data: { ready, checks } }));
  }

  // A call between cluster nodes (cluster-engines.mjs `internal`), refused without a node's signature.
  async function serveClusterCall(req, res, url, requestId) {
    const body = await readBody(req, maxBodyBytes);
    const reply = await engine.cluster.internal(req.method, url.pathname + url.search, requestId, req.headers[HOP_HEADER], body.toString('utf8'));
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(reply.raw ?? JSON.stringify(reply.body));
  }

  // Quotas first (counted before the body is read: a refused request costs neither memory nor
  // engine time), then the engine, then the reply. Whom a request is charged to is settled by
  // the engine's verdict on its credential.
  async function serveApi(req, res, url, requestId) {
    const credential = presentedCredential(req.headersDistinct, url.searchParams);
    // Forwarded by another cluster node, which counted it against its quotas already.
    const hop = engine.cluster?.verifyHop(req.method, url.pathname + url.search, requestId, req.headers[HOP_HEADER]);
    if (hop?.invalid) {
      sendTransportError(res, 403, 'FORBIDDEN', `${HOP_HEADER}: not a valid cluster signature (${hop.invalid})`);
      return;
    }
    if (hop) {
      await forwardToEngine(req, res, url, { lane: `hop:${hop.node}`, subject: credential.fingerprint ?? hop.node, requestId, forwarded: true, onVerdict: () => {} });
      return;
    }
    const address = `addr:${req.socket.remoteAddress ?? 'unknown'}`;
    const trusted = verified.has(credential.fingerprint);
    const setQuotaHeaders = (headers) => {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    };
    if (!trusted && authFailures) {
      const failures = authFailures.check(address);
      if (!failures.allowed) {
        sendTransportError(
          res,
          429,
          'RATE_LIMITED',
          `Too many requests with invalid API keys from this address; retry after ${failures.headers['retry-after']} s`,
          { 'retry-after': failures.headers['retry-after'] },
        );
        return;
      }
    }
    // A verified key, or no key at all, is charged now; a presented but unverified one only once
    // the engine has said whose it is (until then its address must still have room).
    const chargeNow = trusted || !credential.presented;
    const quota = limiter && (chargeNow ? limiter.take(trusted ? credential.fingerprint : address) : limiter.check(address));
    if (quota) setQuotaHeaders(quota.headers);
    if (quota && !quota.allowed) {
      sendTransportError(
        res,
        429,
        'RATE_LIMITED',
        `Too many requests: at most ${rateLimit.limit} per ${rateLimit.windowSeconds} s for one key; retry after ${quota.headers['retry-after']} s`,
      );
      return;
    }
    let verdict;
    const settle = () => {
      if (verdict === 'verified') verified.add(credential.fingerprint);
      if (verdict === 'refused') {
        verified.delete(credential.fingerprint);
        authFailures?.charge(address);
      }
      if (limiter && !chargeNow) {
        setQuotaHeaders(limiter.charge(verdict === 'verified' ? credential.fingerprint : address));
      }
    };
    try {
      await forwardToEngine(req, res, url, {
        lane: trusted ? credential.fingerprint : 'unverified',
        laneCapacity: trusted ? undefined : unverifiedLaneCapacity,
        subject: credential.fingerprint ?? address,
        requestId,
        onVerdict: (reply) => {
          verdict = reply.credential;
          settle();
        },
      });
    } finally {
      if (verdict === undefined && !chargeNow && limiter) limiter.charge(address); // refused before the engine
    }
  }

  async function forwardToEngine(req, res, url, { lane, laneCapacity, subject, requestId, forwarded = false, onVerdict }) {
    let body;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!error.tooLarge) throw error;
      res.setHeader('connection', 'close');
      sendTransportError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBodyBytes} bytes`);
      return;
    }
    const headers = engineHeaders(req);
    const { text, notUtf8 } = decodeBody(body);
    // A second copy of a keyed write while the first is still being answered: the engine
    // answers it 409 (Stripe's rule) instead of queueing it behind the first.
    const keyed = inFlightKey(req.method, headers, subject);
    const duplicate = keyed !== null && inFlight.has(keyed);
    if (!duplicate && keyed !== null) inFlight.add(keyed);
    // Test faults: engine-abort kills the engine thread; sqlite-error fails the request inside SQLite.
    const asked = req.headers['leadline-test-fault'];
    const fault = faults.engineAbort && asked === 'engine-abort' ? 'abort' : undefined;
    const testFault = faults.sqliteError && asked === 'sqlite-error' ? 'sqlite-error' : undefined;
    let reply;
    try {
      reply = await engine.handle(
        {
          method: req.method,
          path: url.pathname,
          query: url.search.startsWith('?') ? url.search.slice(1) : '',
          headers,
          body: text,
          requestId,
          ...(notUtf8 && { bodyNotUtf8: true }),
          ...(duplicate && { idempotencyKeyInFlight: true }),
          ...(testFault && { testFault }),
        },
        { lane, laneCapacity, fault, forwarded },
      );
    } finally {
      if (keyed !== null && !duplicate) inFlight.delete(keyed);
    }
    onVerdict(reply);
    if (reply.route) {
      res.route = reply.route;
      if (forwarded) res.setHeader(ROUTE_HEADER, reply.route); // for the forwarding node's metrics
    }
    if (reply.logDetail) logger.error({ reqId: requestId, detail: reply.logDetail }, 'internal error');
    if (faults.crashAfterCommit && reply.committed) {
      // Test fault (LEADLINE_TEST_FAULT=crash-after-commit): the write is committed and on
      // disk, and the process dies before the client hears of it.
      process.kill(process.pid, 'SIGKILL');
    }
    if (reply.webhooksDue) {
      sender?.kick();
    }
    res.writeHead(reply.status, reply.headers);
    if (reply.stream) await pipeStream(engine, reply.stream, lane, res, log);
    else res.end(reply.body);
  }

  return {
    server,
    engine,
    metrics,
    /** The operator's listener (metrics.mjs): `GET /metrics`; listen on it where only operators reach. */
    metricsServer,
    /**
     * An operator's command (what `npm run admin` sends over the admin socket): `backup {to}`
     * runs the online backup; anything else is an engine admin command. Resolves to {status, body}.
     */
    async administer(command) {
      if (command?.command !== 'backup') return engine.admin(command);
      const unknown = Object.keys(command).filter((name) => name !== 'command' && name !== 'to');
      if (typeof command.to !== 'string' || command.to === '' || unknown.length > 0) {
        const message = unknown.length ? `${unknown[0]}: unknown field` : 'to: is required (the folder to back up into)';
        return { status: 400, body: JSON.stringify({ success: false, error: { code: 'VALIDATION_ERROR', message } }) };
      }
      const { databases } = await engine.backup(path.resolve(command.to));
      return { status: 200, body: JSON.stringify({ success: true, data: { to: path.resolve(command.to), databases } }) };
    },
    /** Stops accepting connections, lets in-flight requests finish, then closes the databases. */
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
      });
      metricsServer.close();
      metricsServer.closeIdleConnections?.();
      sender?.close();
      await engine.close();
    },
  };
}
