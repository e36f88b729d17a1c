// One process per database file: under NODERAWFS SQLite's file locks are stubs (docs/toolchain.md), so
// two processes on one file would corrupt it. A lock file with our pid guards the database.
import fs from 'node:fs';

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Takes the lock for `dbPath` or throws with a clear message; returns a release function. */
export function acquireDatabaseLock(dbPath) {
  const lockPath = `${dbPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
        throw new Error(
          `database ${dbPath} is in use by process ${holder}; stop it first (one process per database file)`,
        );
      }
      fs.unlinkSync(lockPath); // stale lock from a process that died
    }
  }
  throw new Error(`could not lock database ${dbPath}`);
}
