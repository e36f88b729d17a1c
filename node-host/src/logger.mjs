// The server's log: one JSON object per line (npm pino). A line about a request names it by its
// id (`reqId`, the X-Request-Id the client saw) and its path without the query string, which may
// carry an api_key; no line holds a key, a header or a body.
import pino from 'pino';

/**
 * A logger writing to `stream` (default: standard output, written asynchronously, off the
 * request's path; `flush()` before exiting). `enabled: false` gives one that writes nothing.
 */
export function createLogger({ enabled = true, stream } = {}) {
  const options = {
    enabled,
    base: { service: 'leadline' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return pino(options, stream ?? pino.destination({ dest: 1, sync: false }));
}
