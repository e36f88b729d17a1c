// Sends the webhook deliveries the engines hand out (Engine::deliver, api/webhook_delivery.hpp).
// The core decides what goes where and when, signs it, and decides what a failure means; this
// module only does the I/O: it asks each workspace engine for due deliveries, sends each one as
// given (its own connection, a timeout, no redirects), and reports status, duration and the
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
// Idle, an engine is asked again at least this often, in case a write elsewhere (another thread,
// a cluster peer that moved a workspace here) queued deliveries this sender was not told of.
const IDLE_POLL_MS = 30_000;

/**
 * Starts sending for `engines` (each with `deliver(command) → Promise<{status, body}>`).
 * `checkAddress(address) → {allowed, reason}` is the core's address rule. Returns {kick, close}:
 * `kick()` looks for due deliveries now (a write just queued some).
 */
export function startWebhookSender({ engines, checkAddress, concurrency = 16, log = () => {} }) {
  let closed = false;
  const states = engines.map(() => ({ inFlight: 0, polling: false, again: false, timer: undefined }));
  const requests = new Set();

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
    const free = concurrency - state.inFlight;
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
    if (state.again) {
      state.again = false;
      poll(index);
      return;
    }
    schedule(index, wakeInMs);
  }

  async function send(index, delivery) {
    const state = states[index];
    state.inFlight += 1;
    const started = performance.now();
    const outcome = await post(delivery).catch((error) => ({ error: error.message }));
    const report = {
      op: 'report',
      workspaceId: delivery.workspaceId,
      deliveryId: delivery.deliveryId,
      statusCode: outcome.statusCode ?? null,
      durationMs: Math.round(performance.now() - started),
      error: outcome.error ?? null,
      responseExcerpt: outcome.excerpt ?? null,
    };
    try {
      if (!closed) parse(await engines[index].deliver(report));
    } catch (error) {
      // Unreported, the delivery's lease runs out and it is handed out again: at least once.
      log(`webhooks: reporting ${delivery.deliveryId} failed: ${error.message}`);
    } finally {
      state.inFlight -= 1;
      poll(index);
    }
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
        agent: false,
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
        const finish = () => {
          resolve({ statusCode: response.statusCode, excerpt: Buffer.concat(chunks).toString('utf8') });
          response.destroy();
        };
        response.on('data', (chunk) => {
          if (kept < MAX_EXCERPT_BYTES) {
            chunks.push(chunk.subarray(0, MAX_EXCERPT_BYTES - kept));
            kept += Math.min(chunk.length, MAX_EXCERPT_BYTES - kept);
          }
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
    },
  };
}
