// The OpenAPI document at /api/openapi.json stays true: it is a valid OpenAPI 3.1 document,
// it documents exactly the routes the core serves (the core's own route table), and every
// request example in it is accepted by the server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { apiData, startTestServer } from './helpers.mjs';

let server;
let doc;
before(async () => {
  server = await startTestServer({ rateLimit: null });
  const reply = await server.request('GET', '/api/openapi.json', { key: null });
  assert.equal(reply.status, 200);
  assert.match(reply.headers.get('content-type'), /^application\/json/);
  doc = reply.body;
});
after(() => server.close());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function documentedOperations() {
  const operations = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) if (item[method]) operations.push({ path, method, operation: item[method] });
  }
  return operations;
}

function resolve(node) {
  if (!node?.$ref) return node;
  return node.$ref.replace(/^#\//, '').split('/').reduce((at, key) => at[key], doc);
}

test('the document is valid OpenAPI 3.1', async () => {
  assert.equal(doc.openapi, '3.1.0');
  const result = await new Validator().validate(structuredClone(doc));
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
});

test('every route the core serves is documented, and every documented route is served', async () => {
  const listed = (await server.admin({ command: 'list-routes' })).data.routes;
  const served = new Set(listed.map((route) =>
    `${route.method} ${route.path.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}')}`));
  // Readiness is the host's answer about its own process (x-served-by: host); tests/host/metrics
  // drives it through HTTP like every other documented route.
  const documented = new Set(documentedOperations().filter(({ operation }) => operation['x-served-by'] !== 'host')
    .map(({ method, path }) => `${method.toUpperCase()} ${path}`));
  assert.deepEqual([...served].filter((route) => !documented.has(route)), [], 'served but not documented');
  assert.deepEqual([...documented].filter((route) => !served.has(route)), [], 'documented but not served');
  // The documented scope matches the core's (read / write / none).
  for (const route of listed) {
    const path = route.path.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}');
    assert.equal(doc.paths[path][route.method.toLowerCase()]['x-scope'], route.scope, `${route.method} ${path}`);
  }
});

// Every enum the document lists is one of the core's vocabularies (GET /meta), value for value
// and in the same order: the document holds no list of its own that could drift.
test('every enum in the document is a list the core serves at /meta', async () => {
  const vocabulary = await apiData(server, 'GET', '/api/v1/meta');
  const known = new Map(Object.entries(vocabulary).filter(([, value]) => Array.isArray(value)).map(([name, value]) => [JSON.stringify(value), name]));
  const found = [];
  const walk = (node, where) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node.enum)) {
      const name = known.get(JSON.stringify(node.enum));
      assert.ok(name, `${where}: enum ${JSON.stringify(node.enum)} is none of /meta's lists`);
      found.push(name);
    }
    for (const [key, value] of Object.entries(node)) walk(value, `${where}/${key}`);
  };
  walk(doc, '#');
  // The main vocabularies are all used somewhere, so a renamed list cannot hide.
  for (const name of ['leadStatuses', 'emailVerificationStatuses', 'campaignStatuses', 'requestedCampaignStatuses', 'membershipStatuses', 'jobStatuses', 'campaignEvents']) {
    assert.ok(found.includes(name), `no enum of the document is /meta's ${name}`);
  }
});

test('every operation has a unique operationId and a description', () => {
  const ids = new Set();
  for (const { method, path, operation } of documentedOperations()) {
    assert.match(operation.operationId ?? '', /^[a-z][A-Za-z]+$/, `${method} ${path}: operationId`);
    assert.ok(!ids.has(operation.operationId), `${operation.operationId} is used twice`);
    ids.add(operation.operationId);
    assert.ok(operation.description?.length > 10, `${method} ${path}: description`);
  }
});

const EXAMPLE_IDS = {
  campaign: 'cmp_01a2068158c10000',
  lead: 'lead_01a2068158e30000',
  otherLead: 'lead_01a2068158e30001',
  receipt: 'rcp_01a20681596d0000',
  job: 'job_01a2068159940000',
  sequence: 'seq_01a2068159a00000',
  webhook: 'whk_01a2068159b00000',
  webhookEndpoint: 'whe_01a2068159b10000',
  externalId: 'crm-1001',
};

// A fresh campaign (draft), two leads in it (one with the examples' externalId and phone), a
// sequence step, a webhook, a restorable receipt and a finished job: the examples' ids are
// replaced by these real ones.
let previousEndpoint;
async function freshWorld(serial) {
  const data = (method, path, body) => apiData(server, method, path, body);
  const campaign = await data('POST', '/api/v1/campaigns', { name: `Examples ${serial}` });
  const created = await data('POST', '/api/v1/leads', { leads: [
    { email: `first.${serial}@example.com`, externalId: `crm-1001-${serial}`, phoneNumber: '+15551234567', tags: ['q1'] },
    { email: `second.${serial}@example.com` },
    { email: `gone.${serial}@example.com` },
  ] });
  const [lead, otherLead, gone] = created.results.map((result) => result.id);
  await data('POST', `/api/v1/campaigns/${campaign.id}/leads`, { leads: [{ leadId: lead }, { leadId: otherLead }] });
  const sequence = await data('POST', `/api/v1/campaigns/${campaign.id}/sequences`, { body: 'Hello' });
  const webhook = await data('POST', `/api/v1/campaigns/${campaign.id}/webhooks`, { url: 'https://example.com/h', events: ['email.sent'] });
  // A workspace keeps few endpoints: each world's replaces the one before (an example may have deleted it).
  if (previousEndpoint) await server.request('DELETE', `/api/v1/webhooks/${previousEndpoint}`);
  const endpoint = await data('POST', '/api/v1/webhooks', { url: `https://hooks.example.com/${serial}`, events: ['lead.created'] });
  previousEndpoint = endpoint.webhook.id;
  const receipt = (await data('DELETE', `/api/v1/leads/${gone}`)).receiptId;
  const job = await data('POST', '/api/v1/leads/import', { csv: 'Email\nimported@example.com\n' });
  return { externalId: `crm-1001-${serial}`, campaign: campaign.id, lead, otherLead, receipt, job: job.id, sequence: sequence.id, webhook: webhook.id, webhookEndpoint: endpoint.webhook.id };
}

function substitute(value, world) {
  let text = JSON.stringify(value);
  for (const [kind, id] of Object.entries(EXAMPLE_IDS)) text = text.replaceAll(`"${id}"`, `"${world[kind]}"`);
  return JSON.parse(text);
}

test('every documented request example is accepted by the server', async () => {
  let checked = 0;
  let serial = 0;
  for (const { path, method, operation } of documentedOperations()) {
    const parameters = (operation.parameters ?? []).map(resolve);
    const bodyExamples = Object.entries(resolve(operation.requestBody)?.content?.['application/json']?.examples ?? {});
    const queryExamples = parameters.filter((parameter) => parameter.in === 'query' && parameter.example !== undefined);
    // An operation is sent once per body example, and once with its query examples (reads:
    // always, with their path examples). A write without examples (cancel a job) has nothing to send.
    const withParameters = queryExamples.length > 0 || method === 'get';
    const cases = [...bodyExamples.map(([name, example]) => ({ name, body: example.value })), ...(withParameters ? [{ name: 'parameters' }] : [])];
    for (const example of cases) {
      serial += 1;
      const world = await freshWorld(serial);
      const pathParams = Object.fromEntries(parameters.filter((parameter) => parameter.in === 'path').map((parameter) => [parameter.name, parameter.example]));
      let url = `/api/v1${path}`.replace(/\{(\w+)\}/g, (_, name) => substitute(pathParams[name], world));
      const query = new URLSearchParams();
      if (example.name === 'parameters') {
        for (const parameter of queryExamples) query.set(parameter.name, String(substitute(parameter.example, world)));
      }
      if ([...query].length) url += `?${query}`;
      const body = example.body === undefined ? undefined : substitute(example.body, world);
      const reply = await server.request(method.toUpperCase(), url, body === undefined ? {} : { body });
      const label = `${method.toUpperCase()} ${path} (${example.name}): ${reply.status} ${reply.text?.slice(0, 300)}`;
      const documentedStatuses = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      assert.ok(documentedStatuses.includes(String(reply.status)), label);
      checked += 1;
    }
  }
  assert.ok(checked >= 40, `only ${checked} examples checked`);
});

test('the reference page and its renderer are served locally', async () => {
  const page = await server.request('GET', '/reference.html', { key: null });
  assert.equal(page.status, 200);
  for (const asset of ['/vendor/swagger-ui/swagger-ui-bundle.js', '/vendor/swagger-ui/swagger-ui.css']) {
    assert.ok(page.text.includes(asset), asset);
    assert.equal((await server.request('GET', asset, { key: null })).status, 200, asset);
  }
});
