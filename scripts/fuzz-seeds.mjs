// Writes the libFuzzer seed corpus from the shared fixtures (one file per request:
// "METHOD target\nbody", the format tests/fuzz/engine_fuzz.cpp reads) into the given directory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandFixture } from '../tests/host/helpers.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/fuzz-seeds.mjs <directory>');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures', name), 'utf8'));

// Which request each fixture's bodies belong to.
const bodySeeds = {
  'invalid_lead_requests.json': ['POST /api/v1/leads'],
  'delete_leads_requests.json': ['DELETE /api/v1/leads', 'DELETE /api/v1/leads?dryRun=true'],
  'bulk_delete_requests.json': ['POST /api/v1/leads/bulk-delete'],
  'campaign_add_requests.json': ['POST /api/v1/campaigns/cmp_0000000000000001/leads'],
};
const seeds = [
  'GET /api/v1/health\n',
  'POST /api/v1/leads\n{"email":"a@example.com","phoneNumber":"+1 (555) 123-4567","tags":["x"]}',
  'GET /api/v1/leads?tags=x&limit=2\n',
  'GET /api/v1/leads/export?format=csv\n',
  'POST /api/v1/campaigns\n{"name":"Q1"}',
  'GET /api/v1/campaigns?includeArchived=true\n',
  'DELETE /api/v1/leads\n{"deleteAll":true,"filters":{"tags":["x"]},"expectedCount":1,"dryRun":true}',
  'POST /api/v1/leads/import\n{"csv":"email,First Name\\na@example.com,A\\n\\"b@example.com\\",\\"B, b\\"\\n"}',
  'GET /api/v1/audit?method=DELETE&since=2024-01-01T00:00:00.000Z\n',
  'GET /api/v1/receipts?limit=1\n',
];
for (const [name, targets] of Object.entries(bodySeeds)) {
  for (const row of fixture(name).cases) {
    const body = JSON.stringify(expandFixture(row.body));
    for (const target of targets) seeds.push(`${target}\n${body}`);
  }
}
for (const row of fixture('request_controls.json').cases) {
  seeds.push(`${row.method} ${row.target.replace('{campaign}', 'cmp_0000000000000001')}\n${JSON.stringify(row.body)}`);
}
for (const row of fixture('campaign_transitions.json').cases) {
  seeds.push(`PATCH /api/v1/campaigns/cmp_0000000000000001/status\n${JSON.stringify({ status: row.status })}`);
}
// Hostile inputs (bad UTF-8, NUL, deep nesting) as their exact bytes.
const binarySeeds = [];
for (const row of fixture('input_limits.json').cases) {
  const head = Buffer.from(`${row.method} ${row.path}\n`);
  let body = Buffer.alloc(0);
  if (row.raw !== undefined) body = Buffer.from(row.raw);
  if (row.rawHex !== undefined) body = Buffer.from(row.rawHex, 'hex');
  if (row.body !== undefined) body = Buffer.from(JSON.stringify(row.body));
  binarySeeds.push(Buffer.concat([head, body]));
}
[...seeds, ...binarySeeds].forEach((seed, i) => fs.writeFileSync(path.join(out, `seed-${String(i).padStart(4, '0')}`), seed));
console.log(`${seeds.length + binarySeeds.length} seeds in ${out}`);
