// The background purge, measured in `npm run bench`: the 100,000-lead filter delete runs on a
// server whose receipts expire after RETENTION_S; GET /leads/{id} is timed from here while the
// workspace is idle, and again from the moment the receipt expires until the server's own
// purge-status (over its admin socket) says everything it kept is erased.
import { expectSuccess } from './expect-success.mjs';
import { getLoad } from './get-load.mjs';
import { adminData, startServer, timedRequest } from './http-side.mjs';
import * as W from './workloads.mjs';

const RETENTION_S = 15;
const CONNECTIONS = 16;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** {leads, ms, leadsPerSecond, idle, duringPurge, p99Ratio}: the purge of one 100,000-lead delete. */
export async function purgeUnderLoad({ seeded, copyDatabase, folder, serverEnv }) {
  copyDatabase(folder('base'), folder('http-purge'));
  const dataDir = folder('http-purge');
  const server = await startServer(dataDir, { ...serverEnv, LEADLINE_RECEIPT_RETENTION_DAYS: String(RETENTION_S / 86400) });
  try {
    const { key } = seeded;
    // The list group's newest leads: its oldest tenth is in the import batch the delete removes.
    const paths = seeded.leadIds.slice(0, Math.floor(seeded.leadIds.length * 0.8)).map((id) => W.api(`/leads/${id}`));
    await timedRequest(server.baseUrl, W.request(key, 'GET', paths[0].slice('/api/v1'.length)));
    const workspaceId = (await adminData(dataDir, { command: 'list-workspaces' })).workspaces[0].id;
    const status = () => adminData(dataDir, { command: 'purge-status', workspaceId });

    expectSuccess(await timedRequest(server.baseUrl, W.deleteTagGroup(key)), 'the delete to purge');
    const marked = await status();
    const expiresAt = Date.parse(marked.nextPurgeAt);
    // Idle: after the delete, before its receipt expires (leaving a second's margin).
    const idleMs = Math.min(4000, expiresAt - Date.now() - 1000);
    if (idleMs < 1000) throw new Error(`the delete took too long to leave an idle window before expiry (${RETENTION_S} s)`);
    const idle = await getLoad(server.baseUrl, key, paths, { connections: CONNECTIONS, until: () => sleep(idleMs) });
    await sleep(Math.max(0, expiresAt - Date.now()));

    let finishedAt = 0;
    const duringPurge = await getLoad(server.baseUrl, key, paths, {
      connections: CONNECTIONS,
      until: async () => {
        for (;;) {
          const now = await status();
          if (now.markedLeads === 0 && now.receipts === 0) break;
          if (Date.now() - expiresAt > 120000) throw new Error(`the purge did not finish in 120 s: ${JSON.stringify(now)}`);
          await sleep(50);
        }
        finishedAt = Date.now();
      },
    });
    if (idle.failures + duringPurge.failures > 0) throw new Error('GET /leads/{id} failed during the purge measurement');
    const ms = finishedAt - expiresAt;
    return {
      leads: marked.markedLeads,
      copiedRows: marked.copiedRows,
      ms,
      leadsPerSecond: Math.round(marked.markedLeads / (ms / 1000)),
      idle,
      duringPurge,
      p99Ratio: Math.round((duringPurge.p99 / idle.p99) * 100) / 100,
    };
  } finally {
    await server.kill();
  }
}
