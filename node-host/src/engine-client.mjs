// The main thread's handle on one workspace engine's worker. Requests wait in a bounded queue
// that takes turns between API keys; at most a couple are inside the worker at once. If the
// engine dies (a wasm abort or trap), the requests inside it are answered 503, a new worker
// reopens its databases — SQLite's journal undoes any half-done transaction — and the queue
// carries on.
import { Worker } from 'node:worker_threads';
import { FairQueue } from './fair-queue.mjs';

// Two in the worker keep it busy while a reply travels back, without giving up fairness. A
// replicating engine takes one at a time: a held write must be the only thing inside it.
const MAX_IN_WORKER = 2;
const RESTART_DELAYS_MS = [0, 100, 500, 2000, 5000];

/** Why a call was not answered: the queue is full, the engine died with it inside, or shutdown. */
export class EngineUnavailable extends Error {}

function spawnWorker({ dataDir, buildDir, engineOptions }) {
  const worker = new Worker(new URL('./engine-worker.mjs', import.meta.url), {
    workerData: { dataDir, buildDir, engineOptions },
  });
  const ready = new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`engine exited (${code}) while opening`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (message.type === 'ready') resolve(worker);
      else reject(new Error(message.message));
    });
  });
  return ready;
}

/**
 * Starts an engine in a worker thread on the data folder `dataDir` (options: see JsonEngine::open); resolves
 * once open. `maxQueued` bounds the requests waiting for it; beyond that `handle` answers 503.
 */
export async function startEngine({ dataDir, buildDir, engineOptions = {}, maxQueued = 1000, log = () => {} }) {
  const spec = { dataDir, buildDir, engineOptions };
  const queue = new FairQueue(maxQueued);
  queue.markBackground('webhooks');
  const inWorker = new Map(); // message id → entry
  let worker = await spawnWorker(spec);
  let nextId = 1;
  let closing = false;
  let restarts = 0;
  let refused = 0; // calls answered 503 (queue full, engine died with them, shutdown)
  const maxInWorker = engineOptions.replicate ? 1 : MAX_IN_WORKER;
  // A replicating engine's write that waits for the change log: nothing else goes in until the
  // host settles it (`settle`).
  let holding = false;

  function dispatch() {
    while (worker && !holding && inWorker.size < maxInWorker) {
      const entry = queue.shift();
      if (!entry) return;
      const id = nextId++;
      inWorker.set(id, entry);
      // `waiting`: requests still queued here, so the worker lets them in before its next slice
      // of background work.
      worker.postMessage({ id, kind: entry.kind, payload: entry.payload, fault: entry.fault, waiting: queue.size });
    }
  }

  function attach(current) {
    current.on('message', ({ id, result }) => {
      const entry = inWorker.get(id);
      if (!entry) return;
      inWorker.delete(id);
      if (entry.endsHold) holding = false;
      if (result?.held === true) holding = true;
      entry.settle(result);
      dispatch();
    });
    current.on('error', (error) => log(`engine error: ${error.message}`));
    current.on('exit', (code) => {
      if (closing) return;
      worker = undefined;
      log(`engine stopped (exit ${code}); ${inWorker.size} in-flight request(s) answered 503; restarting`);
      for (const entry of inWorker.values()) entry.fail('The engine restarted while handling this request; retry it');
      inWorker.clear();
      holding = false; // the held transaction died with the engine (SQLite's journal undoes it)
      restart(0);
    });
  }

  async function restart(attempt) {
    const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (closing) return;
    try {
      worker = await spawnWorker(spec);
      restarts += 1;
      attach(worker);
      log('engine restarted');
      dispatch();
    } catch (error) {
      log(`engine restart failed: ${error.message}`);
      restart(attempt + 1);
    }
  }

  attach(worker);

  // Queues one call; rejects with EngineUnavailable when the engine cannot take it.
  function call(kind, payload, { lane = 'host', laneCapacity, fault } = {}) {
    return new Promise((resolve, reject) => {
      const fail = (message) => {
        refused += 1;
        reject(new EngineUnavailable(message));
      };
      if (closing) {
        fail('The server is shutting down');
        return;
      }
      const entry = { kind, payload, fault, settle: resolve, fail };
      if (!queue.push(lane, entry, laneCapacity)) {
        fail('The server is busy; retry shortly');
        return;
      }
      dispatch();
    });
  }

  return {
    /**
     * Engine::handle: {method, path, query, headers, body} → {status, headers, body}, waiting
     * in `lane`'s turn (`laneCapacity`: how many may wait in it). `fault: 'abort'` (tests only) makes the engine die on this request.
     * Every call rejects with EngineUnavailable when the engine cannot answer it.
     */
    handle: (request, { lane = 'default', laneCapacity, fault } = {}) =>
      call('handle', request, { lane, laneCapacity, fault }),
    /** Engine::validate, same shapes. */
    validate: (request, { lane = 'default' } = {}) => call('validate', request, { lane }),
    /** Engine::admin: {command, ...} → {status, headers, body}. */
    admin: (command) => call('admin', command),
    /** The next piece of a streamed reply (`reply.stream`): {chunk, done, failure?}. */
    readStream: (stream, { lane = 'default' } = {}) =>
      call('readStream', stream, { lane }).catch((error) => {
        if (error instanceof EngineUnavailable) return { done: true, failure: error.message };
        throw error;
      }),
    /** One step of an online backup (JsonEngine::backup_step), in the queue like any request. */
    backupStep: (directory) => call('backupStep', directory),
    /** Abandons a streamed reply. */
    closeStream: (stream) => call('closeStream', stream).catch(() => null),
    /** Engine::deliver (webhook delivery ops), in a background lane: requests keep most turns. */
    deliver: (command) => call('deliver', command, { lane: 'webhooks' }),
    /** Requests waiting for this engine now (background work not counted). */
    requestsWaiting: () => queue.foreground,
    /** Whether the engine's thread is up (not between a crash and its restart). */
    running: () => worker !== undefined,
    /** Calls this engine could not take or finish since it started (each answered 503). */
    refused: () => refused,
    /** Engine::replicate (a cluster node's op), in the host's turn. */
    replicate: (command) => call('replicate', command),
    /** One slice of background work (a replicating engine's jobs are driven from here). */
    work: () => call('work', null),
    /**
     * Ends the held write (reply.held) with a `settle` op: sent at once, ahead of the queue, which
     * resumes when it is answered.
     */
    settle(command) {
      return new Promise((resolve, reject) => {
        if (!worker || !holding) {
          reject(new EngineUnavailable('The engine holds no write to settle'));
          return;
        }
        const id = nextId++;
        inWorker.set(id, { settle: resolve, fail: (message) => reject(new EngineUnavailable(message)), endsHold: true });
        worker.postMessage({ id, kind: 'replicate', payload: { op: 'settle', ...command }, waiting: queue.size });
      });
    },
    /** How many times the engine has been restarted after dying. */
    restarts: () => restarts,
    /** Lets queued work finish, closes the database (a checkpoint) and stops the worker. */
    async close() {
      while (queue.size > 0 || inWorker.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      if (!worker) {
        closing = true;
        return;
      }
      const closed = new Promise((resolve) => {
        const id = nextId++;
        inWorker.set(id, { settle: resolve, fail: resolve });
        worker.postMessage({ id, kind: 'close' });
      });
      await closed;
      closing = true;
      await worker.terminate();
    },
  };
}
