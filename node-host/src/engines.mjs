// The engines of one data folder: the catalog's engine on this thread and one workspace engine
// per worker thread. The catalog engine admits each request — it routes, authenticates, answers
// refusals and public routes itself — and names the worker that owns the request's workspace;
// that worker runs it. Which worker owns what is the core's answer (store::owning_worker),
// never worked out here.
import { openEngine } from '../../wasm/loader.mjs';
import { startEngine } from './engine-client.mjs';
import { syncWrittenDatabases } from './durable-files.mjs';
import { AdmissionCache } from './admissions.mjs';

/**
 * Opens the catalog engine and starts `workers` workspace engines on `dataDir`. `maxQueued`
 * bounds each worker's queue. Resolves to an object with the calls app.mjs makes.
 */
export async function startEngines({ dataDir, buildDir, engineOptions = {}, workers = 1, maxQueued = 1000, log = () => {} }) {
  const catalog = await openEngine(dataDir, buildDir, { ...engineOptions, role: 'catalog', workerCount: workers });
  const pool = [];
  try {
    for (let index = 0; index < workers; index += 1) {
      pool.push(
        await startEngine({
          dataDir,
          buildDir,
          engineOptions: { ...engineOptions, role: 'workspaces', workerCount: workers, workerIndex: index },
          maxQueued,
          log,
        }),
      );
    }
  } catch (error) {
    await Promise.all(pool.map((engine) => engine.close()));
    catalog.close();
    throw error;
  }
  const synced = new Set();
  const admissions = new AdmissionCache();
  // The catalog engine writes only in administration (keys, workspaces): synced here.
  const catalogAdmin = (command) => {
    admissions.clear();
    const reply = catalog.admin(command);
    if (reply.committed) syncWrittenDatabases(reply.written ?? [], synced);
    return reply;
  };

  return {
    workers,
    /** The catalog's engine and the workspace engines' clients, for the cluster layer (cluster/). */
    catalog,
    pool,
    /** Makes the files a catalog reply committed to durable. */
    syncCatalog: (reply) => {
      if (reply.committed) syncWrittenDatabases(reply.written ?? [], synced);
    },
    /** The catalog's admission of `request` (AdmissionCache.admit). */
    admit: (request) => admissions.admit(catalog, request),
    /** Forgets every remembered admission (the catalog changed). */
    forgetAdmissions: () => admissions.clear(),
    /**
     * Engine::handle for the workspace's engine, after the catalog admitted the request.
     * `lane`, `laneCapacity`, `fault`: see engine-client.mjs. A streamed reply's `stream` is a
     * handle for readStream/closeStream here.
     */
    async handle(request, options = {}) {
      const admitted = admissions.admit(catalog, request);
      if (admitted.reply) return admitted.reply;
      const { worker, principal } = admitted.forward;
      const reply = await pool[worker].handle({ ...request, principal }, options);
      return reply.stream ? { ...reply, stream: { worker, id: reply.stream } } : reply;
    },
    /** Engine::validate: decoding only, answered here (it reads no stored data). */
    validate: async (request) => catalog.validate(request),
    /** Engine::admin: the catalog's engine, or the engine it names for a workspace's command. */
    async admin(command) {
      const reply = catalogAdmin(command);
      return reply.forward ? pool[reply.forward.worker].admin(command) : reply;
    },
    /**
     * An online backup of every database into `directory`: the catalog here, then each worker's
     * workspaces, a slice at a time through that worker's queue (requests are answered between
     * slices). Resolves to {databases}; rejects with the engine's reason.
     */
    async backup(directory) {
      let databases = 0;
      const run = async (step) => {
        for (;;) {
          const result = await step();
          if (result.failure) throw new Error(`backup failed: ${result.failure}`);
          syncWrittenDatabases(result.written, synced);
          if (result.done) return result.copied;
        }
      };
      databases += await run(async () => catalog.backupStep(directory));
      for (const engine of pool) databases += await run(() => engine.backupStep(directory));
      return { databases };
    },
    /** The workspace engines as the webhook sender calls them (webhook-sender.mjs). */
    webhookEngines: pool.map((engine) => ({ deliver: (command) => engine.deliver(command), busy: () => engine.requestsWaiting() > 0 })),
    /** The core's rule for an address a webhook receiver's name resolved to: {allowed, reason}. */
    checkAddress: (address) => JSON.parse(catalog.deliver({ op: 'check-address', address }).body).data,
    readStream: (stream, options) => pool[stream.worker].readStream(stream.id, options),
    closeStream: (stream) => pool[stream.worker].closeStream(stream.id),
    /**
     * Per workspace engine, for metrics: requests waiting now, calls answered 503 so far, and
     * its jobs by status (the core's job-counts). Resolves to [{worker, waiting, refused, jobs}].
     */
    async workerStats() {
      return Promise.all(
        pool.map(async (engine, worker) => {
          const reply = await engine.admin({ command: 'job-counts' }).catch(() => null);
          const jobs = reply?.status === 200 ? JSON.parse(reply.body).data.jobs : null;
          return { worker, waiting: engine.requestsWaiting(), refused: engine.refused(), jobs };
        }),
      );
    },
    /** Whether every workspace engine's thread is up. */
    running: () => pool.every((engine) => engine.running()),
    /** Restarts of dead workspace engines, over all workers. */
    restarts: () => pool.reduce((sum, engine) => sum + engine.restarts(), 0),
    /** Lets queued work finish, closes every database (checkpoints) and stops the workers. */
    async close() {
      await Promise.all(pool.map((engine) => engine.close()));
      catalog.close();
      syncWrittenDatabases([...synced], synced);
    },
  };
}
