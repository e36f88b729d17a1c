// The same C++ core the server runs, compiled for the browser: the console asks it whether a
// request is valid before sending it, so the messages shown while typing are the server's own.
// Validation only: the page's build is the core's validation library (JsonValidator), with no
// engine, no store and no database.
import createLeadlineModule from '/wasm/leadline-web.mjs';
import { unframe } from '/wasm/frame.mjs';

let enginePromise = null;

async function openValidator() {
  const module = await createLeadlineModule();
  return new module.JsonValidator();
}

/** Starts loading the core (once); resolves when it can validate. */
export function loadCore() {
  enginePromise ??= openValidator();
  return enginePromise;
}


/**
 * Validates a request exactly as the server would (without auth or stored data).
 * Returns null when valid, else the error object of the server's envelope
 * ({code, message, field?, errors?}) and the status it would carry.
 */
export async function validateRequest({ method, path, query = '', body }) {
  const engine = await loadCore();
  const head = { method, path, query, headers: body === undefined ? {} : { 'content-type': 'application/json' } };
  const reply = unframe(engine.validate(JSON.stringify(head), body === undefined ? '' : JSON.stringify(body)));
  if (reply.status < 300) return null;
  return { status: reply.status, ...JSON.parse(reply.body).error };
}
