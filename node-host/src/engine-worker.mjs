// The engine's thread: owns the wasm engine and the database, answers one message at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { openEngine } from '../../wasm/loader.mjs';
import { syncDatabaseFiles } from './durable-files.mjs';

const { dbPath, buildDir, engineOptions } = workerData;

// After a successful write the WAL and the database are synced before the reply is released
// (SQLite's own fsync does nothing under NODERAWFS).
const syncToDisk = () => syncDatabaseFiles(dbPath);

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
    let more = false;
    try {
      more = engine ? engine.work() : false;
    } catch (error) {
      die(error);
      return;
    }
    if (more && isFile) syncToDisk(); // each slice committed: make it durable like any write
    if (more) setImmediate(step);
    else pumping = false;
  });
}

// Any throw out of the engine means the wasm instance is broken (an abort or a trap: the C++
// side never throws across the boundary). Its memory cannot be trusted, so this thread ends and
// the main thread starts a fresh one on the same database.
function die(error) {
  console.error(`leadline engine: ${error?.message ?? error}`);
  engine = undefined;
  process.exit(1); // in a worker: ends this thread only
}

parentPort.on('message', ({ id, kind, payload, fault }) => {
  if (kind === 'close') {
    // Closing checkpoints the WAL into the database file and removes it; that write needs the
    // same fsync as any other before the process may exit.
    engine?.close();
    engine = undefined;
    if (isFile) syncToDisk();
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
  // The engine says whether this call committed; only then is there anything to make durable.
  const wrote = (kind === 'handle' || kind === 'admin') && result.committed === true;
  if (isFile && wrote) syncToDisk();
  // An export piece is handed over, not copied: a buffer of its own moves to the main thread.
  const piece = kind === 'readStream' ? result.chunk : undefined;
  const movable = piece && piece.byteOffset === 0 && piece.buffer.byteLength === piece.length;
  parentPort.postMessage({ id, result }, movable ? [piece.buffer] : []);
  if (wrote) pumpJobs();
});

pumpJobs(); // jobs left unfinished by a previous process resume
