// The status line at the bottom: what just happened, with Undo when the API offers one.
import { byId } from './dom.mjs';

const toast = byId('toast');
const text = byId('toast-text');
const undoButton = byId('toast-undo');
byId('toast-close').onclick = () => { toast.hidden = true; };

/** Shows `message`; with `undo` (async → message) an Undo button that runs it once. */
export function showToast(message, { undo } = {}) {
  text.textContent = message;
  toast.hidden = false;
  undoButton.hidden = !undo;
  undoButton.disabled = false;
  undoButton.onclick = undo ? async () => {
    undoButton.disabled = true;
    text.textContent = 'Undoing…';
    text.textContent = await undo();
    undoButton.hidden = true;
  } : null;
}
