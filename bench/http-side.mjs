// The HTTP side of `npm run bench`: the real server (node-host/src/server.mjs, wasm engine in its
// worker) in a process of its own, so its memory can be read from /proc, and requests timed from
// here as a client sees them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendAdminCommand } from '../node-host/src/admin-socket.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function procStatusKb(pid, field) {
  const match = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : NaN;
}

/** The data of an admin command's reply, sent over the running server's admin socket; throws on a refusal. */
export async function adminData(dataDir, command) {
  const reply = await sendAdminCommand(dataDir, command);
  const body = JSON.parse(reply.body);
  if (!body.success) throw new Error(`${command.command}: ${reply.body}`);
  return body.data;
}

/**
 * Starts the server on the data folder `dataDir` with `env` added (the bench turns the per-key rate limit off:
 * its 1000/10s default is far below the loads measured). Resolves once it listens.
 */
export async function startServer(dataDir, env = {}) {
  const child = spawn(process.execPath, [path.join(root, 'node-host/src/server.mjs')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LEADLINE_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const baseUrl = await new Promise((resolve, reject) => {
    const onData = (data) => {
      output += data;
      const match = output.match(/listening on (http:\/\/localhost:\d+)/);
      if (match) {
        child.stdout.off('data', onData);
        child.stdout.resume(); // keep draining the request log
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (data) => (output += data));
    exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  return {
    baseUrl,
    pid: child.pid,
    /** Resident memory now and its peak so far, in MB. */
    memory: () => ({ rssMb: procStatusKb(child.pid, 'VmRSS') / 1024, peakRssMb: procStatusKb(child.pid, 'VmHWM') / 1024 }),
    /** Stops it at once: bench databases are scratch copies, their checkpoint is not worth waiting for. */
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

// One request on its own connection (a pooled keep-alive socket can be closed by the server's
// idle timeout while a wrk load runs in between, and then fails the next timed request).
function send(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const length = body ? { 'content-length': Buffer.byteLength(body) } : {};
    const request = http.request(url, { method, headers: { ...headers, ...length }, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body || undefined);
  });
}

/**
 * Sends one request spec and reads the whole reply; a 202 job is followed (GET /jobs/{id})
 * until it finishes, inside the timing. Resolves {status, ms, bytes, text}.
 */
export async function timedRequest(baseUrl, spec) {
  const started = performance.now();
  const url = `${baseUrl}${spec.path}${spec.query ? `?${spec.query}` : ''}`;
  const reply = await send(url, spec);
  let { status } = reply;
  if (status === 202) {
    const jobUrl = new URL(reply.headers.location, baseUrl).href;
    for (;;) {
      const job = JSON.parse((await send(jobUrl, { headers: { 'x-api-key': spec.headers['x-api-key'] } })).text).data;
      if (!['queued', 'running'].includes(job.status)) {
        status = job.status === 'succeeded' ? 200 : 500;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  const ms = performance.now() - started;
  return { status, ms, bytes: Buffer.byteLength(reply.text), text: reply.text };
}
