// A webhook burst, measured in `npm run bench`: 10,000 events are committed on a server that
// sends nothing (LEADLINE_WEBHOOK_DELIVERY=0) and their endpoint is turned off, so they wait. On a
// restarted server that sends, GET /leads/{id} is timed from here after a warm-up (idle), then
// from the moment the endpoint is turned on until a receiver in this process has every event
// (during). The API's p99 during the burst against idle is the target; every event must arrive.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { getLoad } from './get-load.mjs';
import { adminData, startServer } from './http-side.mjs';

const CONNECTIONS = 16;
const WRITERS = 16;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function send(method, agent, url, key, body) {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const request = http.request(url, {
      method,
      agent,
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const reply = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (response.statusCode >= 300) reject(new Error(`${method} ${url}: ${response.statusCode}`));
        else resolve(reply.data);
      });
    });
    request.on('error', reject);
    request.end(text);
  });
}
const post = (agent, url, key, body) => send('POST', agent, url, key, body);

// The receiver runs in a process of its own, so its work is not the load generator's: it answers
// 200 and prints how many distinct webhook-ids it has seen.
const RECEIVER = `
const http = require('node:http');
const seen = new Set();
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { if (!seen.has(req.headers['webhook-id'])) { seen.add(req.headers['webhook-id']); process.stdout.write('+'); } res.end('ok'); });
});
server.listen(0, '127.0.0.1', () => console.log('receiver on http://127.0.0.1:' + server.address().port));
`;

async function startReceiver() {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const state = { child, count: 0, url: '' };
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      const match = /receiver on (\S+)/.exec(text);
      if (match) {
        state.url = match[1];
        resolve();
      }
      for (const c of text) if (c === '+') state.count += 1;
    });
    child.on('exit', (code) => reject(new Error(`receiver exited ${code}`)));
  });
  return state;
}

/** {events, ms, eventsPerSecond, idle, during, p99Ratio}: the delivery of `events` events under a GET load. */
export async function webhookBurst({ dataDir, serverEnv, events = 10_000 }) {
  fs.rmSync(dataDir, { recursive: true, force: true });
  const receiver = await startReceiver();
  const received = { get size() { return receiver.count; } };
  const env = { ...serverEnv, LEADLINE_WEBHOOK_ALLOW_PRIVATE: '1', LEADLINE_WEBHOOK_DELIVERY: '0' };
  let server = await startServer(dataDir, env);
  try {
    const [workspace] = (await adminData(dataDir, { command: 'list-workspaces' })).workspaces;
    const { key } = await adminData(dataDir, { command: 'create-key', workspaceId: workspace.id });
    const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS });
    const endpoint = await post(agent, `${server.baseUrl}/api/v1/webhooks`, key, {
      url: `${receiver.url}/bench`,
      events: ['lead.created'],
    });
    const leadIds = [];
    let next = 0;
    const writer = async () => {
      while (next < events) {
        const index = next++;
        leadIds.push((await post(agent, `${server.baseUrl}/api/v1/leads`, key, { email: `hook-${index}@bench.example` })).id);
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, writer));
    const toggle = (enabled) => send('PATCH', undefined, `${server.baseUrl}/api/v1/webhooks/${endpoint.webhook.id}`, key, { enabled });
    await toggle(false);
    agent.destroy();
    const paths = leadIds.map((id) => `/api/v1/leads/${id}`);
    await server.kill();

    server = await startServer(dataDir, { ...env, LEADLINE_WEBHOOK_DELIVERY: '1' });
    await getLoad(server.baseUrl, key, paths, { connections: CONNECTIONS, until: () => sleep(1000) }); // warm-up
    const idle = await getLoad(server.baseUrl, key, paths, { connections: CONNECTIONS, until: () => sleep(4000) });
    if (received.size > 0) throw new Error('deliveries went out while their endpoint was off');
    await toggle(true);
    const started = Date.now();
    let finished = 0;
    const during = await getLoad(server.baseUrl, key, paths, {
      connections: CONNECTIONS,
      until: async () => {
        while (received.size < events) {
          if (Date.now() - started > 300_000) throw new Error(`only ${received.size} of ${events} events arrived in 300 s`);
          await sleep(20);
        }
        finished = Date.now();
      },
    });
    if (idle.failures + during.failures > 0) throw new Error('GET /leads/{id} failed during the webhook measurement');
    const ms = finished - started;
    return {
      events,
      arrived: received.size,
      ms,
      eventsPerSecond: Math.round(events / (ms / 1000)),
      idle,
      during,
      p99Ratio: Math.round((during.p99 / idle.p99) * 100) / 100,
    };
  } finally {
    await server.kill();
    receiver.child.kill();
  }
}
