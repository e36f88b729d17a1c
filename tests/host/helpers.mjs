// Shared test scaffolding: a real server on an ephemeral port with its own data folder.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../node-host/src/app.mjs';
import { createLogger } from '../../node-host/src/logger.mjs';
import { checkReplyAgainstDocument } from './openapi-replies.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function readFixture(name) {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures', name), 'utf8'));
}

/** Expands the fixture shorthands ("@repeat:x:256", "@tags:51", "@leads:5001", "@identifiers:1001"), as tests/core does. */
export function expandFixture(value) {
  if (typeof value === 'string') {
    let match;
    if ((match = /^@repeat:(.):(\d+)$/.exec(value))) return match[1].repeat(Number(match[2]));
    if ((match = /^@tags:(\d+)$/.exec(value))) return Array.from({ length: Number(match[1]) }, (_, i) => `t${i}`);
    if ((match = /^@identifiers:(\d+)$/.exec(value)))
      return Array.from({ length: Number(match[1]) }, (_, i) => ({ externalId: `x${i}` }));
    if ((match = /^@leads:(\d+)$/.exec(value)))
      return Array.from({ length: Number(match[1]) }, (_, i) => ({ email: `bulk${i}@example.com` }));
    return value;
  }
  if (Array.isArray(value)) return value.map(expandFixture);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandFixture(v)]));
  }
  return value;
}

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'leadline-test-'));
}

/**
 * How many workspace engines the servers tests start run: LEADLINE_ENGINE_WORKERS (npm test runs
 * the HTTP suite with 1 and with 2), else 1.
 */
export const testWorkers = Number(process.env.LEADLINE_ENGINE_WORKERS ?? '1');

/**
 * Starts a server on a fresh data folder, bootstraps its first workspace, and returns a client.
 * `client.request(method, path, {body, headers, key, raw})` sends with the workspace key unless
 * told otherwise and resolves to {status, headers, body (parsed JSON when JSON), text}.
 */
/** The sum of the samples `name{labels}` in a Prometheus scrape (every label given must match), or 0. */
export function metricValue(text, name, labels = {}) {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const given = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => given[key] === value)) {
      total += Number(match[3]);
      found = true;
    }
  }
  return found ? total : 0;
}

/**
 * A logger (node-host/src/logger.mjs) whose lines are kept: `lines` holds each as written (JSON
 * text), `entries()` parses them.
 */
export function collectingLogger() {
  const lines = [];
  const logger = createLogger({ stream: { write: (line) => lines.push(line.trimEnd()) } });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line)) };
}

export async function startTestServer(options = {}) {
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');
  // Webhook deliveries stay unsent unless a test turns them on: a campaign webhook made for an
  // unrelated test (https://example.com/…) must never reach beyond this machine.
  const app = await createApp({ dataDir, workers: testWorkers, webhooks: { deliver: false }, ...options });
  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${app.server.address().port}`;
  const boot = JSON.parse((await app.engine.admin({ command: 'bootstrap' })).body).data;

  const admin = async (command) => JSON.parse((await app.engine.admin(command)).body);

  return {
    app,
    baseUrl,
    dataDir,
    workspaceId: boot.workspace.id,
    workspaceKey: boot.workspaceKey,
    platformKey: boot.platformKey,
    admin,
    request: httpClient(baseUrl, boot.workspaceKey),
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `request(method, path, {body, headers, key, raw})` against `baseUrl`: sends with `defaultKey`
 * unless told otherwise (`key: null` sends none; `raw` may be a string or bytes) and resolves to
 * {status, headers, body (parsed JSON when JSON), text}. Every reply is checked against the
 * OpenAPI document (openapi-replies.mjs): an undocumented status or field fails the test.
 */
export function httpClient(baseUrl, defaultKey) {
  return async function request(method, target, { body, headers = {}, key = defaultKey, raw } = {}) {
    const finalHeaders = { ...headers };
    const has = (name) => Object.keys(finalHeaders).some((given) => given.toLowerCase() === name);
    if (key && !has('x-api-key') && !has('authorization')) finalHeaders['x-api-key'] = key;
    let payload = raw;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      if (!has('content-type')) finalHeaders['content-type'] = 'application/json';
    }
    const response = await fetch(baseUrl + target, { method, headers: finalHeaders, body: payload });
    const text = await response.text();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    checkReplyAgainstDocument(method, target, response.status, response.headers.get('content-type'), parsed);
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

/** The reply's `data` for a request a test sends to set up or check; fails the test unless 2xx. */
export async function apiData(server, method, target, body) {
  const reply = await server.request(method, target, body === undefined ? {} : { body });
  if (reply.status >= 300) throw new Error(`${method} ${target}: ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply.body.data;
}

/** Runs `npm run admin`'s script on data folder `dataDir` with `args`: {status, stdout, output}. */
export function runAdmin(dataDir, ...args) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node-host/src/admin.mjs'), ...args], {
    env: { ...process.env, LEADLINE_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, output: result.stdout + result.stderr };
}

/**
 * Runs the real entry point (`node-host/src/server.mjs`) as a child process on data folder `dataDir`
 * (under `wrapper`, e.g. ['strace', ...flags], when given). `ready` resolves to its URL once it
 * listens (rejects if it exits first); `exited` resolves to its exit signal or code; `output()`
 * is everything it printed; `workspaceKey()` the key a first start printed.
 */
export function spawnServer(dataDir, env = {}, wrapper = []) {
  const command = [...wrapper, process.execPath, path.join(repoRoot, 'node-host/src/server.mjs')];
  const child = spawn(command[0], command.slice(1), {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LEADLINE_DATA_DIR: dataDir,
      LEADLINE_ENGINE_WORKERS: String(testWorkers),
      LEADLINE_LOG: '0',
      LEADLINE_WEBHOOK_DELIVERY: '0', // as in startTestServer
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code, signal) => reject(new Error(`server exited ${code ?? signal}: ${output}`)));
  });
  ready.catch(() => {}); // callers that never await it must not see an unhandled rejection
  const workspaceKey = () => /^workspace key: (sk_\S+)$/m.exec(output)?.[1];
  return { child, ready, exited, output: () => output, workspaceKey };
}
