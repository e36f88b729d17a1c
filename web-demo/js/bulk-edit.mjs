// Editing many leads at once (PATCH /leads): the selected leads, or every lead the filters match.
// The dialog only gathers what to change; the core checks it, the server previews it (a sample
// before → after), and the edit goes through runSafely with its count guard and Undo.
import { byId, commaList, el, openDialog, plural } from './dom.mjs';
import { runSafely } from './safe-action.mjs';

const dialog = byId('bulk-edit-dialog');
const form = byId('bulk-edit-form');
let pending = null;

// The changes the form names; fields left empty are not sent (the server says if nothing is).
function changesFromForm() {
  const set = {};
  for (const name of ['status', 'companyName', 'jobTitle']) {
    const value = form.elements[name].value.trim();
    if (value) set[name] = value;
  }
  const addTags = commaList(form.elements.addTags.value);
  const removeTags = commaList(form.elements.removeTags.value);
  return { ...(Object.keys(set).length ? { set } : {}), ...(addTags.length ? { addTags } : {}), ...(removeTags.length ? { removeTags } : {}) };
}

const shownFields = [['status', 'Status'], ['companyName', 'Company'], ['jobTitle', 'Job title'], ['tags', 'Tags']];
const show = (value) => (Array.isArray(value) ? value.join(', ') : value ?? '');

function beforeAfter(sample) {
  if (!sample?.length) return null;
  return el('table', { class: 'grid compact', id: 'edit-sample' },
    el('caption', {}, `Sample (${plural(sample.length, 'lead')}), before → after`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Lead'), ...shownFields.map(([, label]) => el('th', { scope: 'col' }, label)))),
    el('tbody', {}, sample.map(({ before, after }) => el('tr', {},
      el('td', {}, before.email ?? before.phoneNumber ?? before.externalId ?? before.id),
      ...shownFields.map(([field]) => {
        const was = show(before[field]);
        const now = show(after?.[field]);
        return el('td', {}, was === now ? was : `${was || '—'} → ${now || '—'}`);
      })))));
}

/**
 * Opens the edit dialog for `target` ({leadIds} or {filters?, excludeIds?}), described by `label`;
 * `onDone` runs after the edit (and after its Undo).
 */
export function openBulkEdit(target, label, onDone) {
  pending = { target, label, onDone };
  byId('bulk-edit-target').textContent = label;
  form.reset();
  openDialog(dialog);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!pending) return;
  const { target, label, onDone } = pending;
  const changes = changesFromForm();
  dialog.close();
  runSafely({
    title: `Edit ${label}`,
    confirmLabel: 'Apply edit',
    request: () => ({ method: 'PATCH', path: '/api/v1/leads', body: { ...target, ...changes } }),
    summary: (data) => el('div', {},
      el('p', {}, `${plural(data.matchedCount, 'lead')} match; ${plural(data.updatedCount, 'lead')} will change.`),
      beforeAfter(data.preview?.sample)),
    expectedCount: (data) => data.matchedCount,
    doneMessage: (data) => (data.job ? `Edit queued: ${plural(data.matchedCount, 'lead')} will be edited in the background`
      : `Edited ${plural(data.updatedCount, 'lead')}`),
    onDone,
  });
});
