// The API's vocabulary — every status, filter key and event name — as the core serves it at
// GET /api/v1/meta. The console offers exactly these values and holds no list of its own.

let loading = null;
let loaded = null;

/** Loads the vocabulary once (no key needed); resolves to it. */
export function loadVocabulary() {
  loading ??= fetch('/api/v1/meta')
    .then((reply) => {
      if (!reply.ok) throw new Error(`GET /api/v1/meta answered ${reply.status}`);
      return reply.json();
    })
    .then((body) => {
      loaded = body.data;
      return loaded;
    });
  return loading;
}

/** The loaded vocabulary (after loadVocabulary() resolved). */
export function vocabulary() {
  if (!loaded) throw new Error('the vocabulary is not loaded yet');
  return loaded;
}

/** Appends one <option> per value to every <select data-vocabulary="listName"> under `root`. */
export function fillVocabularySelects(root = document) {
  for (const select of root.querySelectorAll('select[data-vocabulary]')) {
    const values = vocabulary()[select.dataset.vocabulary];
    if (!Array.isArray(values)) throw new Error(`the vocabulary has no list ${select.dataset.vocabulary}`);
    for (const value of values) select.append(new Option(value, value));
  }
}
