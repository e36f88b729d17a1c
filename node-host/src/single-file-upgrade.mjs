// On start, a database of the single-file layout (every workspace in one file) is converted into
// the data folder, a workspace at a time, each copy verified by the core before it is used. The
// host makes each step durable and reports progress.
import { loadNodeModule } from '../../wasm/loader.mjs';
import { syncWrittenDatabases } from './durable-files.mjs';

/**
 * Converts `singleFile` into `dataDir` if it is there; resolves to the last progress report, or
 * null when there was nothing to convert. `crashMidway` (tests only): the process kills itself
 * after the first workspace, as a SIGKILL in the middle of the conversion would.
 */
export async function upgradeSingleFile({ singleFile, dataDir, buildDir, log = () => {}, crashMidway = false }) {
  const module = await loadNodeModule(buildDir);
  const synced = new Set();
  let progress;
  for (;;) {
    progress = JSON.parse(module.JsonEngine.upgradeSingleFile(singleFile, dataDir, 1));
    if (progress.error) throw new Error(`converting ${singleFile}: ${progress.error}`);
    if (!progress.found) return null;
    syncWrittenDatabases(progress.written, synced);
    if (progress.converted > 0) log(`converted a workspace of ${singleFile} (${progress.workspaces} in all)`);
    if (progress.done) break;
    if (crashMidway) process.kill(process.pid, 'SIGKILL');
  }
  log(`${singleFile}: ${progress.workspaces} workspace(s) converted into ${dataDir}; the old file is kept as ${progress.retiredTo}`);
  return progress;
}
