// Small DOM helpers: elements are built with text content only, never from HTML strings, so
// lead data (names, emails) can never inject markup.

/** Creates an element: el('td', {class: 'x'}, 'text', childNode…). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    else if (name === 'style') node.style.cssText = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const byId = (id) => document.getElementById(id);

/** A short local date and time for an ISO timestamp. */
export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return date.toISOString().replace('T', ' ').slice(0, 16);
}

/** "1 lead" / "3 leads"; `many` for nouns that do not just take an s ("entry", "entries"). */
export function plural(count, noun, many = `${noun}s`) {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : many}`;
}

/** Splits a comma-separated input into trimmed, non-empty items. */
export function commaList(text) {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

/** Shows an error object ({message}) or clears the output when null. */
export function showError(output, error) {
  output.textContent = error ? error.message : '';
}

/** Opens a <dialog> and wires its [data-close] buttons once. */
export function openDialog(dialog) {
  for (const button of dialog.querySelectorAll('[data-close]')) {
    button.onclick = () => dialog.close();
  }
  if (!dialog.open) dialog.showModal();
}
