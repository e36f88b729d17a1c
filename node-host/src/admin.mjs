// `npm run admin -- <command> [--flag value ...]`: turns arguments into one engine admin
// command and prints the reply. The engine checks every argument. While a server holds the data
// folder the command goes to it over its admin socket; otherwise the CLI opens the folder itself.
import path from 'node:path';
import { openEngine } from '../../wasm/loader.mjs';
import { readConfig } from './config.mjs';
import { acquireDataFolderLock } from './db-lock.mjs';
import { syncWrittenDatabases } from './durable-files.mjs';
import { upgradeSingleFile } from './single-file-upgrade.mjs';
import { sendAdminCommand } from './admin-socket.mjs';
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
  purge-status --workspace-id ws_…   what deletes keep for undo, and what the background purge has left
  list-routes
  check-integrity            (every database of the folder; exit status 1 when one is damaged)
  backup --to DIR            a consistent copy of the catalog and every workspace, while serving
  restore --from DIR         fills an empty data folder from a backup (server stopped)
  export-workspace --id ws_… --to FILE     one workspace with its keys, to move it (server stopped)
  import-workspace --from FILE                     the reverse; refused if the workspace or a key exists
The data folder is LEADLINE_DATA_DIR (default data/). While the server runs, commands reach it
through data/admin.sock; restore, check-integrity and the workspace moves need it stopped.`;

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
// `export-workspace --id ws_…` names the workspace as `--workspace-id` does.
if (request.command === 'export-workspace' && 'id' in request && !('workspaceId' in request)) {
  request.workspaceId = request.id;
  delete request.id;
}

const { dataDir, singleFile } = readConfig();
fs.mkdirSync(dataDir, { recursive: true });

function finish(reply) {
  const body = JSON.parse(reply.body);
  // An operator sees what an internal failure was (an API client never does).
  if (reply.logDetail) console.error(`leadline admin: ${reply.logDetail}`);
  console.log(JSON.stringify(body.success ? body.data : body.error, null, 2));
  process.exit(body.success && body.data.ok !== false ? 0 : 1);
}

function fail(message) {
  console.error(`leadline admin: ${message}`);
  process.exit(1);
}

// Fills an empty data folder with a backup's files, then checks every database.
function restore(from) {
  if (typeof from !== 'string') fail('restore needs --from DIR');
  const source = path.resolve(from);
  if (!fs.existsSync(path.join(source, 'catalog.db'))) fail(`${source} holds no backup (no catalog.db)`);
  const present = fs.readdirSync(dataDir).filter((name) => name !== 'leadline.lock');
  if (present.length > 0) fail(`${dataDir} is not empty (${present.join(', ')}); restore fills an empty data folder`);
  fs.mkdirSync(path.join(dataDir, 'workspaces'));
  const copied = [path.join(dataDir, 'catalog.db')];
  fs.copyFileSync(path.join(source, 'catalog.db'), copied[0]);
  for (const name of fs.readdirSync(path.join(source, 'workspaces'))) {
    if (!name.endsWith('.db')) continue;
    copied.push(path.join(dataDir, 'workspaces', name));
    fs.copyFileSync(path.join(source, 'workspaces', name), copied.at(-1));
  }
  syncWrittenDatabases(copied);
  return copied.length;
}

let release;
try {
  release = acquireDataFolderLock(dataDir);
} catch (error) {
  if (!/in use by process/.test(error.message)) fail(error.message);
  // A server holds the folder: the command goes to it.
  if (['restore', 'check-integrity', 'export-workspace', 'import-workspace'].includes(request.command)) {
    fail(`${error.message} (${request.command} needs the server stopped)`);
  }
  try {
    finish(await sendAdminCommand(dataDir, request));
  } catch (failure) {
    fail(`the server holds ${dataDir} but its admin socket did not answer: ${failure.message}`);
  }
}
let reply;
try {
  if (request.command === 'restore') {
    const databases = restore(request.from);
    request = { command: 'check-integrity' };
    console.error(`restored ${databases} database(s) into ${dataDir}; checking them`);
  }
  await upgradeSingleFile({ singleFile, dataDir, log: (line) => console.error(line) });
  const engine = await openEngine(dataDir);
  if (request.command === 'backup') {
    if (typeof request.to !== 'string') fail('backup needs --to DIR');
    const to = path.resolve(request.to);
    let step;
    do {
      step = engine.backupStep(to);
      if (step.failure) fail(`backup failed: ${step.failure}`);
      syncWrittenDatabases(step.written);
    } while (!step.done);
    reply = { body: JSON.stringify({ success: true, data: { to, databases: step.copied } }) };
  } else {
    reply = engine.admin(request);
  }
  engine.close();
  // A created or revoked key is on disk before we say so (closing checkpointed each WAL too).
  syncWrittenDatabases([...(reply.written ?? []), path.join(dataDir, 'catalog.db')]);
} catch (error) {
  release();
  fail(error.message);
}
release();
finish(reply);
