// Drives bench/replay.cpp (the native core, no HTTP, no wasm): one process per database, one
// request per line in, one timing per line out.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const replayBinary = path.join(root, 'build/native-release/bench/leadline_bench_replay');

/**
 * Opens the data folder `dbPath` in a replay process (`captureChanges`: with change capture on).
 * `send` resolves with {status, ms, bytes, rssPeakKb, body?}.
 */
export function openNativeEngine(dbPath, { captureChanges = false } = {}) {
  const child = spawn(replayBinary, [dbPath, ...(captureChanges ? ['--capture-changes'] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  const lines = readline.createInterface({ input: child.stdout });
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  exited.then((code) => {
    for (const pending of waiting.splice(0)) pending.reject(new Error(`replay exited (${code})`));
  });
  function send(line) {
    return new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      child.stdin.write(`${JSON.stringify(line)}\n`);
    });
  }
  return {
    /** Times one API request through Engine::handle (a stream read to its end, a job to completion). */
    request: (spec, { echo = false } = {}) => send({ request: spec, echo }),
    /** One admin command (not timed). */
    admin: (command) => send({ admin: command }),
    async close() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`replay exited with ${code}`);
    },
  };
}
