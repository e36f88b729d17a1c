// The main thread's handle on the engine worker: each call is one message and one reply.
import { Worker } from 'node:worker_threads';

/** Starts the engine in a worker thread on `dbPath` (options: see JsonEngine::open); resolves once open. */
export async function startEngine({ dbPath, buildDir, engineOptions = {} }) {
  const worker = new Worker(new URL('./engine-worker.mjs', import.meta.url), {
    workerData: { dbPath, buildDir, engineOptions },
  });
  const pending = new Map();
  let nextId = 1;

  await new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message) => {
      if (message.type === 'ready') resolve();
      else reject(new Error(message.message));
    });
  });

  worker.on('message', ({ id, result }) => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    entry.resolve(result);
  });
  worker.on('error', (error) => {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  });

  const call = (kind, payload) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, kind, payload });
    });

  return {
    /** Engine::handle: {method, path, query, headers, body} → {status, headers, body}. */
    handle: (request) => call('handle', request),
    /** Engine::validate, same shapes. */
    validate: (request) => call('validate', request),
    /** Engine::admin: {command, ...} → {status, headers, body}. */
    admin: (command) => call('admin', command),
    /** The next piece of a streamed reply (`reply.stream`): {chunk, done, failure?}. */
    readStream: (stream) => call('readStream', stream),
    /** Abandons a streamed reply. */
    closeStream: (stream) => call('closeStream', stream),
    /** Closes the database (waiting for queued requests) and stops the worker. */
    async close() {
      await call('close');
      await worker.terminate();
    },
  };
}
