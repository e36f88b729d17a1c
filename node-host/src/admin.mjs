// `npm run admin -- <command> [--flag value ...]`: turns arguments into one engine admin
// command and prints the reply. The engine checks every argument.
import path from 'node:path';
import { openEngine } from '../../wasm/loader.mjs';
import { readConfig } from './config.mjs';
import { acquireDataFolderLock } from './db-lock.mjs';
import { syncWrittenDatabases } from './durable-files.mjs';
import { upgradeSingleFile } from './single-file-upgrade.mjs';
import fs from 'node:fs';

const USAGE = `usage: npm run admin -- <command> [options]
  create-workspace --name NAME [--user-id usr_…]
  list-workspaces
  create-user --name NAME [--workspace-ids ws_…,ws_…]
  add-user-to-workspace --user-id usr_… --workspace-id ws_…
  create-key (--workspace-id ws_… | --user-id usr_…) [--scopes read,write] [--campaign-ids cmp_…,…] [--label TEXT]
  list-keys [--workspace-id ws_…]
  revoke-key --key-id key_…
  seed-campaign-activity --workspace-id ws_… --campaign-id cmp_…
  list-routes
  check-integrity            (every database of the folder; exit status 1 when one is damaged)
The data folder is LEADLINE_DATA_DIR (default data/); stop the server first.`;

const LIST_FLAGS = new Set(['workspaceIds', 'scopes', 'campaignIds']);
const camel = (flag) => flag.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') return null;
  const request = { command };
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    if (!flag.startsWith('--') || i + 1 >= rest.length) throw new Error(`expected --flag value, got ${flag}`);
    const key = camel(flag.slice(2));
    request[key] = LIST_FLAGS.has(key) ? rest[i + 1].split(',').filter(Boolean) : rest[i + 1];
  }
  return request;
}

let request;
try {
  request = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (!request) {
  console.log(USAGE);
  process.exit(0);
}

const { dataDir, singleFile } = readConfig();
fs.mkdirSync(dataDir, { recursive: true });
let release;
try {
  release = acquireDataFolderLock(dataDir);
} catch (error) {
  console.error(`leadline admin: ${error.message}`);
  process.exit(1);
}
let reply;
try {
  await upgradeSingleFile({ singleFile, dataDir, log: (line) => console.error(line) });
  const engine = await openEngine(dataDir);
  reply = engine.admin(request);
  engine.close();
  // A created or revoked key is on disk before we say so (closing checkpointed each WAL too).
  syncWrittenDatabases([...(reply.written ?? []), path.join(dataDir, 'catalog.db')]);
} catch (error) {
  console.error(`leadline admin: ${error.message}`);
  release();
  process.exit(1);
}
release();
const body = JSON.parse(reply.body);
console.log(JSON.stringify(body.success ? body.data : body.error, null, 2));
process.exit(body.success && body.data.ok !== false ? 0 : 1);
