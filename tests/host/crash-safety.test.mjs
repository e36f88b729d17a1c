// Crash safety: the real server is SIGKILLed at a random moment while bulk deletes by
// externalId, campaign adds and campaign deletes run in two workspaces at once (two databases,
// and with LEADLINE_ENGINE_WORKERS=2 usually two engines), then every database must pass SQLite's
// integrity check, every batch must be all or nothing, and every acknowledged write must still be
// there. LEADLINE_CRASH_RUNS sets the number of runs (default 6; e.g. 200 for a long soak).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { httpClient, runAdmin, spawnServer, tempDir } from './helpers.mjs';

const RUNS = Number(process.env.LEADLINE_CRASH_RUNS ?? 6);
const ADD_BATCH = 600;
const DELETE_BATCH = 150;
const CAMPAIGN_MEMBERS = 150;

const dir = tempDir();
const dataDir = path.join(dir, 'crash-data');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function client(baseUrl, key) {
  const request = httpClient(baseUrl, key);
  return (method, target, body) => request(method, target, { body });
}

const emails = (prefix, count) => Array.from({ length: count }, (_, i) => `${prefix}${i}@example.com`);

async function rows(call, query) {
  const reply = await call('GET', `/api/v1/leads/export?format=csv&${query}`);
  assert.equal(reply.status, 200, reply.text);
  return reply.text.trim().split('\n').length - 1;
}

// Everything one run will touch, created (and acknowledged) before the chaos starts.
async function prepare(call, run) {
  const make = async (name) => (await call('POST', '/api/v1/campaigns', { name })).body.data.id;
  const addTarget = await make(`add target ${run}`);
  const bulkCampaign = await make(`bulk ${run}`);
  const bulkBatches = 4;
  const leads = Array.from({ length: bulkBatches * DELETE_BATCH }, (_, i) => ({
    email: `x-${run}-${Math.floor(i / DELETE_BATCH)}-${i % DELETE_BATCH}@example.com`,
    externalId: `x-${run}-${i}`,
  }));
  assert.equal((await call('POST', '/api/v1/leads', { leads })).status, 201);
  const added = await call('POST', `/api/v1/campaigns/${bulkCampaign}/leads`, { leads: leads.map((lead) => ({ email: lead.email })) });
  assert.equal(added.status, 200, added.text);
  const doomed = [];
  for (let c = 0; c < 3; c += 1) {
    const id = await make(`doomed ${run}-${c}`);
    const members = emails(`d-${run}-${c}-`, CAMPAIGN_MEMBERS).map((email) => ({ email }));
    assert.equal((await call('POST', `/api/v1/campaigns/${id}/leads`, { leads: members })).status, 200);
    for (let s = 1; s <= 2; s += 1) {
      const step = await call('POST', `/api/v1/campaigns/${id}/sequences`, { subject: `Step ${s}`, body: 'Hi', delayDays: s });
      assert.equal(step.status, 201, step.text);
    }
    doomed.push(id);
  }
  return { addTarget, bulkCampaign, bulkBatches, doomed };
}

// Runs the three kinds of batch side by side until the server dies; records what was sent
// and what was acknowledged.
function chaos(call, run, plan) {
  const sent = { adds: [], bulks: [], campaignDeletes: [] };
  const streams = [
    (async () => {
      for (let k = 0; ; k += 1) {
        const entry = { k, acknowledged: false };
        sent.adds.push(entry);
        const reply = await call('POST', `/api/v1/campaigns/${plan.addTarget}/leads`, {
          leads: emails(`add-${run}-${k}-`, ADD_BATCH).map((email) => ({ email })),
        });
        entry.acknowledged = reply.status === 200 && reply.body.data.added === ADD_BATCH;
      }
    })(),
    (async () => {
      for (let k = 0; k < plan.bulkBatches; k += 1) {
        const entry = { k, acknowledged: false };
        sent.bulks.push(entry);
        const leads = Array.from({ length: DELETE_BATCH }, (_, i) => ({ externalId: `x-${run}-${k * DELETE_BATCH + i}` }));
        const reply = await call('POST', '/api/v1/leads/bulk-delete', { campaignId: plan.bulkCampaign, leads });
        entry.acknowledged = reply.status === 200 && reply.body.data.deleted === DELETE_BATCH;
      }
    })(),
    (async () => {
      for (const id of plan.doomed) {
        const entry = { id, acknowledged: false };
        sent.campaignDeletes.push(entry);
        const reply = await call('DELETE', `/api/v1/campaigns/${id}`);
        entry.acknowledged = reply.status === 200;
      }
    })(),
  ];
  for (const stream of streams) stream.catch(() => {}); // they end in connection errors when the server dies
  return sent;
}

async function verify(call, run, plan, sent) {
  let partial = 0;
  for (const { k, acknowledged } of sent.adds) {
    const created = await rows(call, `search=add-${run}-${k}-`);
    const members = await rows(call, `search=add-${run}-${k}-&campaignId=${plan.addTarget}`);
    assert.ok(created === 0 || created === ADD_BATCH, `run ${run} add batch ${k}: ${created} of ${ADD_BATCH} leads`);
    assert.equal(members, created, `run ${run} add batch ${k}: leads and memberships disagree`);
    if (acknowledged) assert.equal(created, ADD_BATCH, `run ${run} add batch ${k} was acknowledged but is gone`);
    if (!acknowledged && created) partial += 1;
  }
  for (const { k, acknowledged } of sent.bulks) {
    const left = await rows(call, `search=x-${run}-${k}-`);
    assert.ok(left === 0 || left === DELETE_BATCH, `run ${run} bulk delete ${k}: ${left} of ${DELETE_BATCH} left`);
    if (acknowledged) assert.equal(left, 0, `run ${run} bulk delete ${k} was acknowledged but leads remain`);
  }
  for (const { id, acknowledged } of sent.campaignDeletes) {
    const campaign = await call('GET', `/api/v1/campaigns/${id}`);
    if (acknowledged) assert.equal(campaign.status, 404, `run ${run}: deleted campaign ${id} is back`);
    if (campaign.status === 404) {
      assert.equal((await call('GET', `/api/v1/campaigns/${id}/sequences`)).status, 404);
      continue;
    }
    assert.equal(campaign.status, 200);
    const sequences = await call('GET', `/api/v1/campaigns/${id}/sequences`);
    assert.equal(sequences.body.data.sequences.length, 2, `run ${run}: campaign ${id} half deleted (sequences)`);
    assert.equal(await rows(call, `campaignId=${id}`), CAMPAIGN_MEMBERS, `run ${run}: campaign ${id} half deleted (members)`);
  }
  return partial;
}

function checkIntegrity() {
  const result = runAdmin(dataDir, 'check-integrity');
  assert.equal(result.status, 0, result.output);
  const { databases, ...verdict } = JSON.parse(result.stdout);
  assert.deepEqual(verdict, { ok: true, integrity: 'ok', foreignKeyViolations: 0, duplicateLeadIdentifiers: 0 });
  assert.equal(databases, 3, 'the catalog and both workspace databases were checked');
}

// Two workspaces made with the admin CLI before the first start: their keys.
function twoWorkspaces() {
  const admin = (...args) => {
    const result = runAdmin(dataDir, ...args);
    assert.equal(result.status, 0, result.output);
    return JSON.parse(result.stdout);
  };
  const first = admin('bootstrap');
  const second = admin('create-workspace', '--name', 'Second tenant');
  return [first.workspaceKey, admin('create-key', '--workspace-id', second.id).key];
}

test(`SIGKILL during bulk deletes, campaign adds and campaign deletes in two workspaces, ${RUNS} runs`, { timeout: RUNS * 40_000 + 30_000 }, async () => {
  const env = { LEADLINE_RATE_LIMIT: 'off' };
  const keys = twoWorkspaces();
  let server = spawnServer(dataDir, env);
  let url = await server.ready;
  let calls = keys.map((key) => client(url, key));
  const summary = { runs: 0, acknowledged: 0, sent: 0 };

  for (let run = 0; run < RUNS; run += 1) {
    const plans = await Promise.all(calls.map((call) => prepare(call, run)));
    const sent = calls.map((call, i) => chaos(call, run, plans[i]));
    await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 600));
    server.child.kill('SIGKILL');
    assert.equal(await server.exited, 'SIGKILL');

    checkIntegrity();
    server = spawnServer(dataDir, env);
    url = await server.ready;
    calls = keys.map((key) => client(url, key));
    for (const [i, call] of calls.entries()) {
      await verify(call, run, plans[i], sent[i]);
      const all = [...sent[i].adds, ...sent[i].bulks, ...sent[i].campaignDeletes];
      summary.sent += all.length;
      summary.acknowledged += all.filter((entry) => entry.acknowledged).length;
    }
    summary.runs += 1;
  }
  server.child.kill('SIGTERM');
  await server.exited;
  checkIntegrity();
  // Shown in the test output; the README quotes a long run.
  console.log(`crash safety: ${summary.runs} SIGKILL runs, ${summary.sent} batches sent, ${summary.acknowledged} acknowledged, all checks held`);
  assert.ok(summary.acknowledged > 0 && summary.sent > summary.acknowledged, JSON.stringify(summary));
});
