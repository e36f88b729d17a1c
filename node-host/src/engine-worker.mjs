// A workspace engine's thread: owns one wasm engine and the workspace databases it holds, answers
// one message at a time, and works background jobs in between.
import { parentPort, workerData } from 'node:worker_threads';
import { openEngine } from '../../wasm/loader.mjs';
import { syncWrittenDatabases } from './durable-files.mjs';

const { dataDir, buildDir, engineOptions } = workerData;

// After a successful write the files it wrote are synced before the reply is released
// (SQLite's own fsync does nothing under NODERAWFS).
const synced = new Set();
const syncToDisk = (written) => syncWrittenDatabases(written ?? [], synced);

let engine;
try {
  engine = await openEngine(dataDir, buildDir, engineOptions);
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error.message });
}

// Background work (jobs, purges of expired receipts) runs one slice per macrotask: setImmediate
// lets every message that arrived meanwhile be answered before the next slice, so a long import
// never blocks a request for more than one slice. While the main thread says more requests are
// queued behind those it sent, the next slice waits twice as long as the last one took: requests
// get two thirds of the thread and background work still advances (bench/README.md: the purge). Idle, the engine says when a purge
// falls due.
let pumping = false;
let wakeTimer;
let requestsWaiting = false;
let lastSliceMs = 0;
const MAX_TIMER_MS = 2 ** 31 - 1;
// A cluster node's engine (replicate) works no job on its own: each slice's change must reach the
// change log before it commits, so the main thread asks for slices (kind 'work') and settles them.
const drivenFromOutside = engineOptions.replicate === true;
function pumpJobs() {
  if (pumping || !engine || drivenFromOutside) return;
  pumping = true;
  clearTimeout(wakeTimer);
  let yielded = false;
  setImmediate(function step() {
    if (requestsWaiting && !yielded) {
      requestsWaiting = false;
      yielded = true;
      setTimeout(step, Math.max(1, 2 * lastSliceMs));
      return;
    }
    yielded = false;
    const began = performance.now();
    let slice = { more: false };
    try {
      slice = engine ? engine.work() : slice;
    } catch (error) {
      die(error);
      return;
    }
    syncToDisk(slice.written); // each slice committed: make it durable like any write
    lastSliceMs = performance.now() - began;
    if (slice.more) {
      setImmediate(step);
      return;
    }
    pumping = false;
    if (slice.wakeInMs !== undefined) {
      wakeTimer = setTimeout(pumpJobs, Math.min(slice.wakeInMs + 1, MAX_TIMER_MS));
      wakeTimer.unref(); // a pending purge never keeps a closing thread alive
    }
  });
}

// Any throw out of the engine means the wasm instance is broken (an abort or a trap: the C++
// side never throws across the boundary). Its memory cannot be trusted, so this thread ends and
// the main thread starts a fresh one on the same databases.
function die(error) {
  console.error(`leadline engine: ${error?.message ?? error}`);
  engine = undefined;
  process.exit(1); // in a worker: ends this thread only
}

parentPort.on('message', ({ id, kind, payload, fault, waiting }) => {
  if (waiting > 0) requestsWaiting = true;
  if (kind === 'close') {
    // Closing checkpoints each WAL into its database file; that write needs the same fsync as
    // any other before the process may exit.
    clearTimeout(wakeTimer);
    engine?.close();
    engine = undefined;
    syncToDisk([...synced]);
    parentPort.postMessage({ id, result: null });
    return;
  }
  let result;
  try {
    // Test fault (LEADLINE_TEST_FAULT=engine-abort): what an abort inside the engine throws.
    if (fault === 'abort') throw new WebAssembly.RuntimeError('Aborted(injected by test fault)');
    result = engine[kind](payload);
  } catch (error) {
    die(error);
    return;
  }
  // The engine says which files this call committed to; only those need making durable.
  // A follower's applied log entry is not synced: the log holds it, and the position it records
  // commits with it, so after a crash the copy resumes from whatever reached the disk.
  const applied = kind === 'replicate' && payload?.op === 'apply';
  // Nor is a webhook report: losing the newest attempt records to a power cut only means those
  // deliveries go out once more (receivers drop a repeated webhook-id), while an fsync per report
  // would stall the requests behind it through a burst of deliveries. The next synced write of
  // the same file makes them durable too. A killed process loses nothing: the OS has the pages.
  const wrote = (kind === 'handle' || kind === 'admin' || (kind === 'replicate' && !applied)) && result.committed === true;
  if (kind === 'work') syncToDisk(result.written);
  if (wrote) syncToDisk(result.written);
  if (kind === 'backupStep') syncWrittenDatabases(result.written); // a finished copy is on disk before we say so
  // An export piece is handed over, not copied: a buffer of its own moves to the main thread.
  const piece = kind === 'readStream' ? result.chunk : undefined;
  const movable = piece && piece.byteOffset === 0 && piece.buffer.byteLength === piece.length;
  parentPort.postMessage({ id, result }, movable ? [piece.buffer] : []);
  if (wrote) pumpJobs();
});

pumpJobs(); // jobs left unfinished by a previous process resume
