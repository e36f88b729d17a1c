// Loads the wasm engine. Under Node the module reads its .wasm with fs (Emscripten 3.1.6's
// loader would try fetch() on a file path) and uses real files through NODERAWFS.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { unframe, unframeBytes } from './frame.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const nodeBuildDir = path.resolve(here, '../build/wasm/wasm');

/** Loads the Node build and returns its module (with `JsonEngine`). */
export async function loadNodeModule(buildDir = nodeBuildDir) {
  const require = createRequire(import.meta.url);
  const createLeadlineModule = require(path.join(buildDir, 'leadline-node.cjs'));
  const wasmBinary = await readFile(path.join(buildDir, 'leadline-node.wasm'));
  return createLeadlineModule({ wasmBinary });
}


/**
 * Opens an engine on the data folder `dataDir` (`options`: see JsonEngine::open) and wraps it
 * with plain-object calls: a request {method, path, query, headers, body} in, a reply {status,
 * headers, body, stream?, written?, forward?} out. Each crosses the boundary as a JSON head plus
 * the body beside it.
 */
export async function openEngine(dataDir, buildDir = nodeBuildDir, options = {}) {
  const module = await loadNodeModule(buildDir);
  const engine = new module.JsonEngine();
  const failure = engine.open(dataDir, JSON.stringify(options));
  if (failure) {
    engine.delete();
    throw new Error(`cannot open the data folder: ${failure}`);
  }
  const call = (method, { body = '', ...head }) => unframe(engine[method](JSON.stringify(head), body));
  return {
    handle: (request) => call('handle', request),
    validate: (request) => call('validate', request),
    admin: (command) => unframe(engine.admin(JSON.stringify(command))),
    /** Engine::replicate: a cluster node's replication op (settle, apply, own, …) → reply. */
    replicate: (command) => unframe(engine.replicate(JSON.stringify(command))),
    /** Engine::deliver: a webhook delivery op (due, report, check-address) → reply. */
    deliver: (command) => unframe(engine.deliver(JSON.stringify(command))),
    /**
     * The next piece of a streamed reply: {chunk, done, failure?}, the chunk as bytes (an export
     * piece is written to a socket as it is: decoding it to a string and encoding it back cost
     * ~10% of a CSV export).
     */
    readStream: (stream) => {
      const { bytes, ...head } = unframeBytes(engine.readStream(stream));
      return { chunk: Buffer.from(bytes), ...head }; // a copy: the view dies with the next call
    },
    closeStream: (stream) => engine.closeStream(stream),
    /** One step of an online backup into `directory`: {done, copied, written, failure?}. */
    backupStep: (directory) => JSON.parse(engine.backupStep(directory)),
    /** One slice of background work (imports, large deletes, purges): {more, written, wakeInMs?}. */
    work: () => JSON.parse(engine.work()),
    close: () => {
      engine.close();
      engine.delete();
    },
  };
}
