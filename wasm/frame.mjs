// The reply framing of the wasm boundary, read the same way in Node and in the browser: a reply
// crosses as one string — a JSON head line, a newline, then the body as it is (JsonEngine).

/** `text` framed by JsonEngine → its head object with `body` (the rest, as text) added. */
export function unframe(text) {
  const cut = text.indexOf('\n');
  return { ...JSON.parse(text.slice(0, cut)), body: text.slice(cut + 1) };
}

const utf8 = new TextDecoder();

/**
 * A streamed piece framed the same way but handed over as bytes (a view of wasm memory, valid
 * until the next call into the engine) → its head object and `bytes`, the piece after the newline
 * (still a view: copy it before calling the engine again).
 */
export function unframeBytes(view) {
  const cut = view.indexOf(10);
  return { ...JSON.parse(utf8.decode(view.subarray(0, cut))), bytes: view.subarray(cut + 1) };
}
