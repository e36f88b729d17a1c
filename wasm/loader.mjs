// Loads the wasm engine. Under Node the module reads its .wasm with fs (Emscripten 3.1.6's
// loader would try fetch() on a file path) and uses real files through NODERAWFS.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const nodeBuildDir = path.resolve(here, '../build/wasm/wasm');

/** Loads the Node build and returns its module (with `JsonEngine`). */
export async function loadNodeModule(buildDir = nodeBuildDir) {
  const require = createRequire(import.meta.url);
  const createLeadlineModule = require(path.join(buildDir, 'leadline-node.cjs'));
  const wasmBinary = await readFile(path.join(buildDir, 'leadline-node.wasm'));
  return createLeadlineModule({ wasmBinary });
}

const utf8 = new TextDecoder();

// A reply crosses as one string: a JSON head line, a newline, the body as is (JsonEngine).
function unframe(text) {
  const cut = text.indexOf('\n');
  const head = JSON.parse(text.slice(0, cut));
  head.body = text.slice(cut + 1);
  return head;
}

/**
 * Opens an engine on `dbPath` (`options`: see JsonEngine::open) and wraps it with plain-object
 * calls: a request {method, path, query, headers, body} in, a reply {status, headers, body,
 * stream?} out. Each crosses the boundary as a JSON head plus the body beside it.
 */
export async function openEngine(dbPath, buildDir = nodeBuildDir, options = {}) {
  const module = await loadNodeModule(buildDir);
  const engine = new module.JsonEngine();
  const failure = engine.open(dbPath, JSON.stringify(options));
  if (failure) {
    engine.delete();
    throw new Error(`cannot open database: ${failure}`);
  }
  const call = (method, { body = '', ...head }) => unframe(engine[method](JSON.stringify(head), body));
  return {
    handle: (request) => call('handle', request),
    validate: (request) => call('validate', request),
    admin: (command) => unframe(engine.admin(JSON.stringify(command))),
    /**
     * The next piece of a streamed reply: {chunk, done, failure?}, the chunk as bytes (an export
     * piece is written to a socket as it is: decoding it to a string and encoding it back cost
     * ~10% of a CSV export).
     */
    readStream: (stream) => {
      const view = engine.readStream(stream); // valid until the next call into the engine
      const cut = view.indexOf(10);
      const head = JSON.parse(utf8.decode(view.subarray(0, cut)));
      return { chunk: Buffer.from(view.subarray(cut + 1)), ...head };
    },
    closeStream: (stream) => engine.closeStream(stream),
    /** One slice of background work (CSV imports); true while more is waiting. */
    work: () => engine.work(),
    close: () => {
      engine.close();
      engine.delete();
    },
  };
}
