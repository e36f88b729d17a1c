// Configuration from the environment, with the defaults README documents.
import path from 'node:path';
import { parseRateLimit } from './rate-limiter.mjs';

/** Requests per window for one key (Stripe allows 100/s; bursts of a console's page loads fit easily). */
export const DEFAULT_RATE_LIMIT = '1000/10s';
/** Requests that may wait for the engine; each holds its body (≤16 MiB), so this bounds memory too. */
export const DEFAULT_MAX_QUEUED = 256;

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

const FAULTS = new Set(['crash-after-commit', 'engine-abort']);

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
  return {
    port,
    engineOptions: {
      receiptRetentionMs: Math.round(retentionDays * 24 * 60 * 60 * 1000),
      allowQueryKey: flag(env, 'LEADLINE_ALLOW_QUERY_KEY', true),
    },
    host: env.HOST ?? '0.0.0.0',
    dbPath: path.resolve(env.LEADLINE_DB ?? 'data/leadline.db'),
    log: env.LEADLINE_LOG !== '0',
    rateLimit: parseRateLimit(env.LEADLINE_RATE_LIMIT ?? DEFAULT_RATE_LIMIT),
    maxQueued: positiveInteger(env, 'LEADLINE_MAX_QUEUED', DEFAULT_MAX_QUEUED),
    // Fault injection for the crash-safety tests only; documented in README.
    faults: { crashAfterCommit: fault === 'crash-after-commit', engineAbort: fault === 'engine-abort' },
  };
}
