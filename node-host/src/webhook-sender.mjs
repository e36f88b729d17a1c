// Sends the webhook deliveries the engines hand out (Engine::deliver, api/webhook_delivery.hpp).
// The core decides what goes where and when, signs it, and decides what a failure means; this
// module only does the I/O: it asks each workspace engine for due deliveries, sends each one as
// given (a timeout, no redirects), and reports status, duration and the
// start of the reply back. Sending is asynchronous and bounded, so a slow or dead receiver
// never holds up the API: at most `concurrency` deliveries are out at once per engine, and the
// engine allows a few per receiver.
//
// Before connecting, the receiver's name is resolved here and every address it resolved to is
// put to the core ("check-address"): one that is loopback, private, link-local (cloud metadata)
// or reserved stops the delivery unless the deployment allows private receivers. The connection
// then goes to the checked address, so the name cannot resolve differently in between.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

const MAX_EXCERPT_BYTES = 1024;
// The engine takes at most this many attempts in one report (api/webhook_delivery.hpp).
const MAX_REPORTS_PER_CALL = 100;
// Idle, an engine is asked again at least this often: a background job's last slice (an import
// finishing) or a workspace moved here in a cluster queues deliveries this sender is not told of.
const IDLE_POLL_MS = 5_000;
// While requests wait for an engine, its deliveries go out BUSY_BATCH per BUSY_PAUSE_MS at most:
// a burst then takes a small, bounded share of the engine from the requests.
const BUSY_PAUSE_MS = 10;
const BUSY_BATCH = 1;

/**
 * Starts sending for `engines` (each with `deliver(command) → Promise<{status, body}>` and
 * `busy()`: requests are waiting for it, so sending slows to one delivery at a time).
 * `checkAddress(address) → {allowed, reason}` is the core's address rule. Returns {kick, close}:
 * `kick()` looks for due deliveries now (a write just queued some).
 */
export function startWebhookSender({ engines, checkAddress, concurrency = 16, log = () => {} }) {
  let closed = false;
  const states = engines.map(() => ({
    inFlight: 0,
    polling: false,
    again: false,
    timer: undefined,
    reports: new Map(), // workspace id → finished attempts not yet reported
    reporting: false,
  }));
  const requests = new Set();
  // Connections to a receiver are kept and reused (a burst does not open one per delivery); a
  // new one is made only through checkedLookup, so a reused one was checked when it was made.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 30_000 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 8, timeout: 30_000 }),
  };

  const parse = (reply) => {
    const body = JSON.parse(reply.body);
    if (!body.success) throw new Error(`${body.error?.code}: ${body.error?.message}`);
    return body.data;
  };

  function schedule(index, ms) {
    const state = states[index];
    clearTimeout(state.timer);
    if (closed) return;
    state.timer = setTimeout(() => poll(index), Math.max(0, Math.min(ms, IDLE_POLL_MS)));
    state.timer.unref();
  }

  async function poll(index) {
    const state = states[index];
    if (closed) return;
    if (state.polling) {
      state.again = true;
      return;
    }
    const busy = engines[index].busy();
    const free = busy ? Math.min(BUSY_BATCH, concurrency - state.inFlight) : concurrency - state.inFlight;
    if (free <= 0) return; // a finishing delivery polls again
    state.polling = true;
    let wakeInMs = IDLE_POLL_MS;
    try {
      const due = parse(await engines[index].deliver({ op: 'due', limit: free }));
      for (const delivery of due.deliveries) send(index, delivery);
      if (due.wakeInMs !== null) wakeInMs = due.wakeInMs;
    } catch (error) {
      if (!closed) log(`webhooks: asking engine ${index} for deliveries failed: ${error.message}`);
      wakeInMs = 1000;
    } finally {
      state.polling = false;
    }
    if (state.again && !busy) {
      state.again = false;
      poll(index);
      return;
    }
    state.again = false;
    schedule(index, busy ? Math.max(wakeInMs, BUSY_PAUSE_MS) : wakeInMs);
  }

  // A delivery counts as out until its outcome is reported. Outcomes that finish while a report
  // is on its way wait and go together in the next one (one transaction per batch, not per delivery).
  async function send(index, delivery) {
    states[index].inFlight += 1;
    const started = performance.now();
    const outcome = await post(delivery).catch((error) => ({ error: error.message }));
    const attempt = {
      deliveryId: delivery.deliveryId,
      statusCode: outcome.statusCode ?? null,
      durationMs: Math.round(performance.now() - started),
      error: outcome.error ?? null,
      responseExcerpt: outcome.excerpt ?? null,
    };
    const waiting = states[index].reports;
    if (!waiting.has(delivery.workspaceId)) waiting.set(delivery.workspaceId, []);
    waiting.get(delivery.workspaceId).push(attempt);
    report(index);
  }

  async function report(index) {
    const state = states[index];
    if (state.reporting || state.reports.size === 0) return;
    const [workspaceId, attempts] = state.reports.entries().next().value;
    const batch = attempts.splice(0, MAX_REPORTS_PER_CALL);
    if (attempts.length === 0) state.reports.delete(workspaceId);
    state.reporting = true;
    // The reply brings the next due deliveries too (as many as will be free), saving a call.
    // While requests wait for the engine, sending yields to them: nothing more now, and one
    // batch per BUSY_PAUSE_MS until the engine has a moment.
    const busy = engines[index].busy();
    const next = busy ? 0 : Math.max(0, Math.min(100, concurrency - (state.inFlight - batch.length)));
    let handed;
    try {
      if (!closed) handed = parse(await engines[index].deliver({ op: 'report', workspaceId, attempts: batch, next }));
    } catch (error) {
      // Unreported, the deliveries' leases run out and they are handed out again: at least once.
      log(`webhooks: reporting ${batch.length} attempt(s) of ${workspaceId} failed: ${error.message}`);
    } finally {
      state.reporting = false;
      state.inFlight -= batch.length;
    }
    if (busy) {
      schedule(index, BUSY_PAUSE_MS);
    } else if (handed?.deliveries && !closed) {
      for (const delivery of handed.deliveries) send(index, delivery);
      if (handed.deliveries.length === 0 && state.inFlight === 0) schedule(index, handed.wakeInMs ?? IDLE_POLL_MS);
    } else {
      poll(index); // a cluster owner's report settles through the log first and hands out nothing
    }
    report(index);
  }

  // The address `hostname` resolves to, once the core allows every address it has.
  function checkedLookup(hostname, options, callback) {
    dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error);
      for (const { address } of addresses) {
        const verdict = checkAddress(address);
        if (!verdict.allowed) return callback(new Error(`blocked: ${hostname} ${verdict.reason}`));
      }
      const [first] = addresses;
      if (options?.all) return callback(null, [first]);
      return callback(null, first.address, first.family);
    });
  }

  function post(delivery) {
    return new Promise((resolve, reject) => {
      const url = new URL(delivery.url);
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (net.isIP(literal)) {
        const verdict = checkAddress(literal);
        if (!verdict.allowed) {
          reject(new Error(`blocked: ${verdict.reason}`));
          return;
        }
      }
      const transport = url.protocol === 'https:' ? https : http;
      const body = Buffer.from(delivery.body);
      const request = transport.request(url, {
        method: 'POST',
        headers: { ...delivery.headers, 'content-length': body.length },
        lookup: checkedLookup,
        agent: agents[url.protocol],
        signal: AbortSignal.timeout(delivery.timeoutMs),
      });
      requests.add(request);
      request.on('close', () => requests.delete(request));
      request.on('error', (error) => {
        reject(error.name === 'TimeoutError' || error.name === 'AbortError' ? new Error(`timed out after ${delivery.timeoutMs} ms`) : error);
      });
      request.on('response', (response) => {
        const chunks = [];
        let kept = 0;
        const finish = () => resolve({ statusCode: response.statusCode, excerpt: Buffer.concat(chunks).toString('utf8') });
        // The rest of a long reply is read and dropped, so the connection can be used again
        // (the request's timeout still ends a reply that never stops).
        response.on('data', (chunk) => {
          if (kept >= MAX_EXCERPT_BYTES) return;
          chunks.push(chunk.subarray(0, MAX_EXCERPT_BYTES - kept));
          kept += Math.min(chunk.length, MAX_EXCERPT_BYTES - kept);
          if (kept >= MAX_EXCERPT_BYTES) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
      });
      request.end(body);
    });
  }

  engines.forEach((_, index) => poll(index));

  return {
    /** Looks for due deliveries on every engine now. */
    kick() {
      engines.forEach((_, index) => poll(index));
    },
    /** Stops asking; deliveries on the way are abandoned and handed out again after a restart. */
    close() {
      closed = true;
      for (const state of states) clearTimeout(state.timer);
      for (const request of requests) request.destroy();
      for (const agent of Object.values(agents)) agent.destroy();
    },
  };
}
