// Request quotas (fixed windows), answered before a request reaches the engine so one tenant's
// flood costs the engine nothing and never eats another tenant's quota. A quota belongs to a
// credential only once the engine has verified it; until then, and for every credential it
// refused, the request counts against the client's address, so made-up keys buy nothing.
import { createHash } from 'node:crypto';

/** The policy name the RateLimit-Policy / RateLimit headers carry (draft-ietf-httpapi-ratelimit-headers). */
const POLICY_NAME = 'per-key';

/**
 * Parses "<requests>/<seconds>s" (e.g. "1000/10s"), or "off". Throws with the accepted form on
 * anything else, so a typo in the configuration stops the server instead of disabling limits.
 */
export function parseRateLimit(text, name = 'LEADLINE_RATE_LIMIT') {
  if (text === 'off') return null;
  const match = /^(\d+)\/(\d+)s$/.exec(text);
  const limit = match ? Number(match[1]) : 0;
  const windowSeconds = match ? Number(match[2]) : 0;
  if (!(limit >= 1 && windowSeconds >= 1 && windowSeconds <= 3600)) {
    throw new Error(`${name} must be "<requests>/<seconds>s" (e.g. "1000/10s") or "off", got ${JSON.stringify(text)}`);
  }
  return { limit, windowSeconds };
}

/**
 * The credential a request presents, as the transport sees it: every `X-Api-Key` and
 * `Authorization` header and every `api_key` parameter. `presented` is whether there was any;
 * `fingerprint` names the credential (hashed — the host never holds a key) only when every copy
 * is the same key (SendKit's samples send it in both headers). Two different keys, or one header
 * or parameter given twice, get no fingerprint: the engine refuses them, so they are never
 * verified and always count against the address.
 */
export function presentedCredential(headersDistinct, searchParams) {
  const apiKeys = headersDistinct['x-api-key'] ?? [];
  const authorizations = headersDistinct.authorization ?? [];
  const queryKeys = searchParams.getAll('api_key');
  const values = [
    ...apiKeys,
    ...authorizations.map((value) => value.trim().replace(/^bearer\s+/i, '')),
    ...queryKeys,
  ].map((value) => value.trim());
  const repeated = apiKeys.length > 1 || authorizations.length > 1 || queryKeys.length > 1;
  if (values.length === 0) return { presented: false, fingerprint: null };
  if (repeated || values.some((value) => value !== values[0])) return { presented: true, fingerprint: null };
  const workspace = (headersDistinct['x-workspace-id'] ?? []).join(',');
  const digest = createHash('sha256').update(values[0]).update('\n').update(workspace).digest('base64url');
  return { presented: true, fingerprint: `key:${digest}` };
}

/** The credentials the engine has verified lately (bounded: the oldest are forgotten first). */
export class VerifiedCredentials {
  constructor(capacity = 10000) {
    this.capacity = capacity;
    this.known = new Set();
  }

  has(fingerprint) {
    return fingerprint !== null && this.known.has(fingerprint);
  }

  add(fingerprint) {
    this.known.delete(fingerprint); // re-inserted: the most recent
    this.known.add(fingerprint);
    if (this.known.size > this.capacity) this.known.delete(this.known.values().next().value);
  }

  delete(fingerprint) {
    this.known.delete(fingerprint);
  }
}

/**
 * Fixed-window counters per subject. `take` counts a request if the quota allows it; `check`
 * only looks; `charge` counts one that was already let through (its subject was known only
 * once the engine had answered). Each reports the headers to send.
 */
export class RateLimiter {
  constructor({ limit, windowSeconds }, now = () => Date.now()) {
    this.limit = limit;
    this.windowMs = windowSeconds * 1000;
    this.now = now;
    this.windows = new Map(); // subject → {start, used}
    this.lastSweep = 0;
  }

  /** Counts one request for `subject` when its quota allows: {allowed, headers} (Retry-After when refused). */
  take(subject) {
    const verdict = this.check(subject);
    return verdict.allowed ? { allowed: true, headers: this.charge(subject) } : verdict;
  }

  /** Whether `subject` may send one more request now, without counting it. */
  check(subject) {
    const window = this.window(subject);
    const allowed = window.used < this.limit;
    return { allowed, headers: this.headers(window, !allowed) };
  }

  /** Counts one request for `subject` (even past the quota) and returns the headers. */
  charge(subject) {
    const window = this.window(subject);
    window.used += 1;
    return this.headers(window, false);
  }

  window(subject) {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(subject);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, used: 0 };
      this.windows.set(subject, window);
    }
    return window;
  }

  headers(window, refused) {
    const resetSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - this.now()) / 1000));
    const headers = {
      'ratelimit-policy': `"${POLICY_NAME}";q=${this.limit};w=${this.windowMs / 1000}`,
      ratelimit: `"${POLICY_NAME}";r=${Math.max(0, this.limit - window.used)};t=${resetSeconds}`,
    };
    if (refused) headers['retry-after'] = String(resetSeconds);
    return headers;
  }

  // Forgets finished windows now and then, so a stream of one-off subjects cannot grow the map
  // without bound.
  sweep(now) {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [subject, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(subject);
    }
  }
}
