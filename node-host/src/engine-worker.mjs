// The engine's thread: owns the wasm engine and the database, answers one message at a time.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openEngine } from '../../wasm/loader.mjs';

const { dbPath, buildDir, engineOptions } = workerData;

// Emscripten's fsync is a no-op under NODERAWFS (TOOLCHAIN): after a successful write the
// host syncs the WAL and the database itself, before the reply is released.
function syncToDisk() {
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

const isFile = dbPath !== ':memory:';
let engine;
try {
  engine = await openEngine(dbPath, buildDir, engineOptions);
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error.message });
}

// Background jobs run one slice per macrotask: setImmediate lets every message that arrived
// meanwhile be answered before the next slice, so a long import never blocks a request for
// more than one slice.
let pumping = false;
function pumpJobs() {
  if (pumping || !engine) return;
  pumping = true;
  setImmediate(function step() {
    const more = engine ? engine.work() : false;
    if (more && isFile) syncToDisk(); // each slice committed: make it durable like any write
    if (more) setImmediate(step);
    else pumping = false;
  });
}

parentPort.on('message', ({ id, kind, payload }) => {
  if (kind === 'close') {
    engine?.close();
    engine = undefined;
    parentPort.postMessage({ id, result: null });
    return;
  }
  const result = engine[kind](payload);
  const wrote = kind === 'admin' || (kind === 'handle' && payload.method !== 'GET' && payload.method !== 'HEAD');
  if (isFile && wrote && result.status < 400) syncToDisk();
  parentPort.postMessage({ id, result });
  if (wrote) pumpJobs();
});

pumpJobs(); // jobs left unfinished by a previous process resume
