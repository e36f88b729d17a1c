// One process per data folder: under NODERAWFS SQLite's file locks are stubs (docs/toolchain.md), so
// two processes on one database would corrupt it. A lock file with our pid guards the folder.
import fs from 'node:fs';
import path from 'node:path';

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The lock file of data folder `dataDir`. */
export const lockPathOf = (dataDir) => path.join(dataDir, 'leadline.lock');

/** Takes the lock for data folder `dataDir` or throws with a clear message; returns a release function. */
export function acquireDataFolderLock(dataDir) {
  const lockPath = lockPathOf(dataDir);
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
          `data folder ${dataDir} is in use by process ${holder}; stop it first (one process per data folder)`,
        );
      }
      fs.unlinkSync(lockPath); // stale lock from a process that died
    }
  }
  throw new Error(`could not lock data folder ${dataDir}`);
}
