// What an operator sees: GET /metrics (Prometheus text) on its own listener, whose numbers move
// as this test's traffic does, and the readiness answer at /api/v1/ready.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { metricValue, startTestServer } from './helpers.mjs';

const TOKEN = 'metrics-token-for-tests-0123456789';
let server;
let metricsUrl;

before(async () => {
  server = await startTestServer({ metricsToken: TOKEN, faults: { engineAbort: true }, rateLimit: null });
  await new Promise((resolve) => server.app.metricsServer.listen(0, '127.0.0.1', resolve));
  metricsUrl = `http://127.0.0.1:${server.app.metricsServer.address().port}/metrics`;
});
after(() => server.close());

async function scrape() {
  const reply = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(reply.status, 200);
  assert.match(reply.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return reply.text();
}

test('request counts and latency move by route pattern and status, never by a lead id', async () => {
  const listed = { method: 'GET', route: '/leads', status: '200' };
  const first = await scrape();
  for (let i = 0; i < 3; i += 1) assert.equal((await server.request('GET', '/api/v1/leads')).status, 200);
  assert.equal((await server.request('GET', '/api/v1/leads', { key: 'sk_live_wrong' })).status, 401);
  const missing = 'ld_00000000000000000000000000';
  const gone = await server.request('GET', `/api/v1/leads/${missing}`);
  assert.ok([400, 404].includes(gone.status), gone.text);
  const second = await scrape();

  assert.equal(metricValue(second, 'leadline_http_requests_total', listed) - metricValue(first, 'leadline_http_requests_total', listed), 3);
  assert.equal(
    metricValue(second, 'leadline_http_request_duration_seconds_count', listed) - metricValue(first, 'leadline_http_request_duration_seconds_count', listed),
    3,
  );
  assert.ok(metricValue(second, 'leadline_http_request_duration_seconds_sum', listed) > 0);
  const refused = { method: 'GET', route: '/leads', status: '401' };
  assert.equal(metricValue(second, 'leadline_http_requests_total', refused) - metricValue(first, 'leadline_http_requests_total', refused), 1);
  assert.equal(metricValue(second, 'leadline_http_requests_total', { route: '/leads/:id', status: String(gone.status) }), 1);
  assert.ok(!second.includes(missing), 'a lead id became a label');
  // The workers' queues and refusals are there, one series per engine.
  for (let worker = 0; worker < server.app.engine.workers; worker += 1) {
    assert.match(second, new RegExp(`^leadline_engine_queue_depth\\{worker="${worker}"\\} 0$`, 'm'));
    assert.match(second, new RegExp(`^leadline_engine_unavailable_total\\{worker="${worker}"\\} \\d+$`, 'm'));
  }
  assert.match(second, /^leadline_process_resident_memory_bytes \d+/m);
});

test('jobs by status follow an import from queued to succeeded', async () => {
  const before = metricValue(await scrape(), 'leadline_jobs', { status: 'succeeded' });
  const rows = ['email'];
  for (let i = 0; i < 50; i += 1) rows.push(`metrics${i}@example.com`);
  const queued = await server.request('POST', '/api/v1/leads/import', { body: { csv: rows.join('\n') } });
  assert.equal(queued.status, 202, queued.text);
  const jobUrl = `/api/v1/jobs/${queued.body.data.id}`;
  const deadline = Date.now() + 10000;
  while ((await server.request('GET', jobUrl)).body.data.status !== 'succeeded') {
    assert.ok(Date.now() < deadline, 'the import did not finish');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const after = await scrape();
  assert.equal(metricValue(after, 'leadline_jobs', { status: 'succeeded' }) - before, 1);
  assert.equal(metricValue(after, 'leadline_jobs', { status: 'queued' }) + metricValue(after, 'leadline_jobs', { status: 'running' }), 0);
});

test('/metrics is on its own listener: not on the API port, and no API key opens it', async () => {
  const onApiPort = await fetch(`${server.baseUrl}/metrics`, { headers: { 'x-api-key': server.workspaceKey } });
  assert.equal(onApiPort.status, 404);
  assert.ok(!(await onApiPort.text()).includes('leadline_http_requests_total'));
  for (const headers of [{}, { 'x-api-key': server.workspaceKey }, { authorization: `Bearer ${server.workspaceKey}` }, { authorization: `Bearer ${TOKEN}x` }]) {
    const refused = await fetch(metricsUrl, { headers });
    assert.equal(refused.status, 401);
    assert.ok(!(await refused.text()).includes('leadline_'));
  }
  assert.equal((await fetch(metricsUrl.replace('/metrics', '/'), { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
});

test('readiness is 200 while the engines run, 503 naming the check while one restarts, and liveness is unchanged', async () => {
  const ready = await server.request('GET', '/api/v1/ready', { key: null });
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body, { success: true, data: { ready: true, checks: { engines: 'ok' } } });
  assert.equal((await server.request('POST', '/api/v1/ready', { key: null })).status, 405);

  const aborted = await server.request('GET', '/api/v1/leads', { headers: { 'leadline-test-fault': 'engine-abort' } });
  assert.equal(aborted.status, 503);
  const restarting = await server.request('GET', '/api/v1/ready', { key: null });
  assert.equal(restarting.status, 503);
  assert.deepEqual(restarting.body.data, { ready: false, checks: { engines: 'restarting' } });
  assert.equal(restarting.headers.get('retry-after'), '1');

  let notReady = 1;
  const deadline = Date.now() + 10000;
  while ((await server.request('GET', '/api/v1/ready', { key: null })).status !== 200) {
    notReady += 1;
    assert.ok(Date.now() < deadline, 'the engine did not come back');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal((await server.request('GET', '/api/v1/health', { key: null })).status, 200);
  const scraped = await scrape();
  assert.ok(metricValue(scraped, 'leadline_engine_unavailable_total') >= 1);
  assert.equal(metricValue(scraped, 'leadline_http_requests_total', { route: '/ready', status: '503' }), notReady);
});
