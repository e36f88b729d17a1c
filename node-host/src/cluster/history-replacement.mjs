// Replacing a workspace's history in the change log with a snapshot, and installing one. After
// a write erased personal data, the changesets before it (the erased rows' old values included)
// must not stay in the log: the owner writes a compact copy of the database (VACUUM INTO), the
// log gets a snapshot entry naming it, and the entries before it are purged. A copy that reads
// the entry installs the file in place of its own — which also leaves its own file without the
// erased bytes in free pages.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

const digestOf = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

function snapshotFile(dataDir, database) {
  return path.resolve(dataDir, 'snapshots', `${database}-${Date.now()}-${crypto.randomBytes(4).toString('hex')}.db`);
}

/**
 * Writes `database`'s snapshot with its engine (`replicate`) and appends it to `changeLog` as the
 * entry after the copy's own position. Resolves to {sequence, previous, name} once the log holds
 * it (the entries before it are purged), or null when a write got in between (call again).
 */
export async function appendHistorySnapshot({ database, dataDir, replicate, changeLog, epoch, node }) {
  const file = snapshotFile(dataDir, database);
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    const written = await replicate({ op: 'snapshot', database, path: file });
    if (written.status !== 200) return null; // a write of the database is held open: later
    const { sequence: previous } = JSON.parse(written.body).data;
    const bytes = await fs.readFile(file);
    const name = `${database}@${previous}-${crypto.randomBytes(4).toString('hex')}`;
    const sequence = await changeLog.appendSnapshot(database, name, bytes, { previous, epoch, node, digest: digestOf(bytes) });
    return { sequence, previous, name };
  } finally {
    await fs.rm(file, { force: true });
  }
}

/**
 * Installs the snapshot `entry` names into `database`'s copy (`replicate`). Resolves to the
 * engine's reply, or null when the snapshot is gone (a newer one replaced it: rebuild from the log).
 */
export async function installHistorySnapshot({ entry, dataDir, replicate, changeLog }) {
  const bytes = await changeLog.snapshot(entry.snapshot);
  if (!bytes) return null;
  if (digestOf(bytes) !== entry.digest) throw new Error(`snapshot ${entry.snapshot} does not match its digest`);
  const file = snapshotFile(dataDir, entry.database);
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, bytes);
    return await replicate({
      op: 'install-snapshot',
      database: entry.database,
      path: file,
      sequence: entry.sequence,
      previous: entry.previous,
      epoch: entry.epoch,
    });
  } finally {
    await fs.rm(file, { force: true }); // moved into place when installed
  }
}
