// Per-key request quotas (fixed windows), answered before a request reaches the engine so one
// tenant's flood costs the engine nothing and never eats another tenant's quota.
import { createHash } from 'node:crypto';

/** The policy name the RateLimit-Policy / RateLimit headers carry (draft-ietf-httpapi-ratelimit-headers). */
const POLICY_NAME = 'per-key';

/**
 * Parses "<requests>/<seconds>s" (e.g. "1000/10s"), or "off". Throws with the accepted form on
 * anything else, so a typo in the configuration stops the server instead of disabling limits.
 */
export function parseRateLimit(text) {
  if (text === 'off') return null;
  const match = /^(\d+)\/(\d+)s$/.exec(text);
  const limit = match ? Number(match[1]) : 0;
  const windowSeconds = match ? Number(match[2]) : 0;
  if (!(limit >= 1 && windowSeconds >= 1 && windowSeconds <= 3600)) {
    throw new Error(`LEADLINE_RATE_LIMIT must be "<requests>/<seconds>s" (e.g. "1000/10s") or "off", got ${JSON.stringify(text)}`);
  }
  return { limit, windowSeconds };
}

/**
 * Who a request counts against: the credential it presents (hashed — the limiter never holds a
 * key), or the client address when it presents none. Invalid keys are limited too, which also
 * slows key guessing.
 */
export function quotaSubject(headers, searchParams, remoteAddress) {
  const bearer = /^bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  const credential = headers['x-api-key'] ?? bearer ?? searchParams.get('api_key');
  if (!credential) return `addr:${remoteAddress ?? 'unknown'}`;
  const workspace = headers['x-workspace-id'] ?? '';
  return `key:${createHash('sha256').update(credential.trim()).update('\n').update(workspace).digest('base64url')}`;
}

/** Fixed-window counters per subject; `take` counts one request and reports the headers to send. */
export class RateLimiter {
  constructor({ limit, windowSeconds }, now = () => Date.now()) {
    this.limit = limit;
    this.windowMs = windowSeconds * 1000;
    this.now = now;
    this.windows = new Map(); // subject → {start, used}
    this.lastSweep = 0;
  }

  /** Counts one request for `subject`: {allowed, headers} (Retry-After included when refused). */
  take(subject) {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(subject);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, used: 0 };
      this.windows.set(subject, window);
    }
    const allowed = window.used < this.limit;
    if (allowed) window.used += 1;
    const resetSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    const headers = {
      'ratelimit-policy': `"${POLICY_NAME}";q=${this.limit};w=${this.windowMs / 1000}`,
      ratelimit: `"${POLICY_NAME}";r=${this.limit - window.used};t=${resetSeconds}`,
    };
    if (!allowed) headers['retry-after'] = String(resetSeconds);
    return { allowed, headers };
  }

  // Forgets finished windows now and then, so a stream of one-off keys cannot grow the map
  // without bound.
  sweep(now) {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [subject, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(subject);
    }
  }
}
