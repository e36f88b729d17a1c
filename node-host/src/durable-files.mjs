// Emscripten's fsync is a no-op under NODERAWFS (docs/toolchain.md), so SQLite's own syncs never reach
// the disk: whoever writes through the wasm engine calls this before telling anyone it is done.
import fs from 'node:fs';
import path from 'node:path';

function fsyncPath(file, flags) {
  let fd;
  try {
    fd = fs.openSync(file, flags);
    fs.fsyncSync(fd);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** fsyncs the database's WAL, then the database file itself (a checkpoint writes there). */
export function syncDatabaseFiles(dbPath) {
  for (const file of [`${dbPath}-wal`, dbPath]) fsyncPath(file, 'r+');
}

/**
 * Makes the database files an engine reports as written durable: each file and WAL, and — the
 * first time this process syncs a database — the directory holding it, so a file the engine just
 * created (a new workspace, a WAL) survives a crash too. `seen`: the databases synced before.
 */
export function syncWrittenDatabases(paths, seen = new Set()) {
  for (const dbPath of paths) {
    syncDatabaseFiles(dbPath);
    if (!seen.has(dbPath)) {
      fsyncPath(path.dirname(dbPath), 'r');
      seen.add(dbPath);
    }
  }
}
