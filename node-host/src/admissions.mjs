// The catalog's admissions, remembered by the exact credential a request presents: the catalog
// changes only through administration (and, in a cluster, through the change log), and whoever
// changes it clears them, so a remembered answer is the one the catalog would give now and a
// revoked key is refused on the very next request. Only admissions are kept, never refusals.
const MAX_ADMISSIONS = 10000;

function credentialOf(request) {
  const { headers } = request;
  const queryKeys = new URLSearchParams(request.query).getAll('api_key');
  return JSON.stringify([headers['x-api-key'] ?? null, headers.authorization ?? null, queryKeys, headers['x-workspace-id'] ?? null]);
}

/** Admits `request` with `catalog` (its forward: worker, principal, workspace), remembering admissions. */
export class AdmissionCache {
  #admitted = new Map();

  /** The catalog's forward for `request`, or — when the catalog answers it itself — that reply as {reply}. */
  admit(catalog, request) {
    const credential = credentialOf(request);
    const remembered = this.#admitted.get(credential);
    if (remembered) return { forward: remembered };
    const reply = catalog.handle(request);
    if (!reply.forward) return { reply };
    if (this.#admitted.size >= MAX_ADMISSIONS) this.#admitted.clear();
    this.#admitted.set(credential, reply.forward);
    return { forward: reply.forward };
  }

  clear() {
    this.#admitted.clear();
  }
}
