// Emscripten's fsync is a no-op under NODERAWFS (docs/toolchain.md), so SQLite's own syncs never reach
// the disk: whoever writes through the wasm engine calls this before telling anyone it is done.
import fs from 'node:fs';

/** fsyncs the database's WAL, then the database file itself (a checkpoint writes there). */
export function syncDatabaseFiles(dbPath) {
  for (const file of [`${dbPath}-wal`, dbPath]) {
    let fd;
    try {
      fd = fs.openSync(file, 'r+');
      fs.fsyncSync(fd);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
}
