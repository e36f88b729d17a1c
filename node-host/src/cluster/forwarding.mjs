// Node-to-node calls. A node that does not own a request's workspace sends the client's request
// on to the owner unchanged — the same credential, which the owner checks again, so a forwarded
// request carries no more authority than the client's key — plus a hop header signed with the
// cluster secret. Only a node can make a valid one: it tells the owner not to forward again and
// that the sender already counted the request against its quotas.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

export const HOP_HEADER = 'leadline-cluster-hop';
/** On a reply to a forwarded request only: the route pattern the owner matched (the forwarder's metrics label). */
export const ROUTE_HEADER = 'leadline-route';
// A hop header older than this is refused (a captured one cannot be replayed for long).
const HOP_MAX_AGE_MS = 30000;
const FORWARD_TIMEOUT_MS = 30000;
// How often a forwarded request checks that the node it went to still owns the workspace.
const OWNER_CHECK_MS = 100;
// Headers that describe one connection, not the request or reply.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', HOP_HEADER]);

function signature(secret, { node, at, method, target, requestId }) {
  return createHmac('sha256', secret).update(`${node}\n${at}\n${method}\n${target}\n${requestId}`).digest('base64url');
}

/** The hop header a node sends with `method target` for request `requestId`. */
export function signHop(secret, node, method, target, requestId, at = Date.now()) {
  return `${node}.${at}.${signature(secret, { node, at, method, target, requestId })}`;
}

/**
 * Checks a request's hop header: null when there is none, {node} when a node made it, or
 * {invalid: reason} when it is forged, stale or malformed.
 */
export function verifyHop(secret, header, method, target, requestId, now = Date.now()) {
  if (header === undefined) return null;
  const match = /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(header);
  if (!match) return { invalid: 'malformed' };
  const [, node, atText, given] = match;
  const at = Number(atText);
  if (Math.abs(now - at) > HOP_MAX_AGE_MS) return { invalid: 'expired' };
  const expected = Buffer.from(signature(secret, { node, at: atText, method, target, requestId }));
  const presented = Buffer.from(given);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return { invalid: 'bad signature' };
  return { node, at };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Sends `request` ({method, path, query, headers, body, requestId}) to the node at `baseUrl` with
 * a hop header; resolves to its reply {status, headers, body (Buffer), route (its pattern, for metrics)}. `stillOwner()` (optional)
 * is asked every 100 ms: once it says no — the node was paused or cut off and another took over —
 * the call is abandoned (rejects) instead of waiting for an answer that node may never send.
 */
export function forwardRequest(baseUrl, request, { secret, node, stillOwner = () => true }) {
  const target = request.query ? `${request.path}?${request.query}` : request.path;
  const headers = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  headers['x-request-id'] = request.requestId;
  headers[HOP_HEADER] = signHop(secret, node, request.method, target, request.requestId);
  const body = Buffer.from(request.body ?? '', 'utf8');
  if (body.length > 0 || request.method !== 'GET') headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(new URL(target, baseUrl), { method: request.method, headers, agent, timeout: FORWARD_TIMEOUT_MS }, (reply) => {
      const chunks = [];
      reply.on('data', (chunk) => chunks.push(chunk));
      reply.on('end', () => {
        const replyHeaders = {};
        for (const [name, value] of Object.entries(reply.headers)) {
          if (!HOP_BY_HOP.has(name) && name !== ROUTE_HEADER) replyHeaders[name] = value;
        }
        const route = reply.headers[ROUTE_HEADER];
        resolve({ status: reply.statusCode, headers: replyHeaders, body: Buffer.concat(chunks), ...(route && { route }) });
      });
      reply.on('error', reject);
    });
    const watching = setInterval(() => {
      if (!stillOwner()) outgoing.destroy(new Error('the node stopped owning the workspace before it answered'));
    }, OWNER_CHECK_MS);
    outgoing.on('close', () => clearInterval(watching));
    outgoing.on('timeout', () => outgoing.destroy(new Error('the owner did not answer in time')));
    outgoing.on('error', (error) => {
      clearInterval(watching);
      reject(error);
    });
    outgoing.end(body);
  });
}
