// Merging the selected leads (POST /leads/merge): the dialog asks which lead stays and which fields
// to take from the others (the list is /meta's mergeFields); the server previews the merged lead,
// and the merge goes through runSafely with its count guard and Undo (the un-merge).
import { byId, el, openDialog, plural } from './dom.mjs';
import { runSafely } from './safe-action.mjs';
import { vocabulary } from './vocabulary.mjs';

const dialog = byId('merge-dialog');
const form = byId('merge-form');
let pending = null;

const label = (lead) => lead.email ?? lead.phoneNumber ?? lead.externalId ?? lead.id;
const show = (value) => (Array.isArray(value) ? value.join(', ') : value ?? '');

function mergedTable(lead) {
  const rows = [['Email', lead.email], ['Name', lead.name], ['Company', lead.companyName], ['Job title', lead.jobTitle],
    ['Phone', lead.phoneNumber], ['Status', lead.status], ['Tags', lead.tags]];
  return el('table', { class: 'grid compact', id: 'merge-result' }, el('caption', {}, 'The lead after the merge'),
    el('tbody', {}, rows.map(([name, value]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, show(value))))));
}

/** Opens the merge dialog for `leads` (two or more lead objects); `onDone` runs after the merge and its Undo. */
export function openMerge(leads, onDone) {
  pending = { leads, onDone };
  const legend = (id) => byId(id).querySelector('legend');
  byId('merge-primary').replaceChildren(legend('merge-primary'), ...leads.map((lead, i) => el('label', { class: 'inline' },
    el('input', { type: 'radio', name: 'primary', value: lead.id, checked: i === 0 }), ` ${label(lead)}`)));
  byId('merge-fields').replaceChildren(legend('merge-fields'), ...vocabulary().mergeFields.map((field) => el('label', { class: 'inline' },
    el('input', { type: 'checkbox', name: 'fields', value: field }), ` ${field}`)));
  openDialog(dialog);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!pending) return;
  const { leads, onDone } = pending;
  const primaryId = form.elements.primary.value ?? leads[0].id;
  const duplicateIds = leads.map((lead) => lead.id).filter((id) => id !== primaryId);
  const fields = [...form.querySelectorAll('input[name=fields]:checked')].map((box) => box.value);
  dialog.close();
  runSafely({
    title: `Merge ${plural(leads.length, 'lead')} into one`,
    confirmLabel: 'Merge leads',
    request: () => ({ method: 'POST', path: '/api/v1/leads/merge', body: { primaryId, duplicateIds, ...(fields.length ? { fields } : {}) } }),
    summary: (data) => el('div', {},
      el('p', {}, `${plural(data.merged.length, 'lead')} will be folded into ${label(data.lead)} and deleted (Undo un-merges).`),
      mergedTable(data.lead)),
    expectedCount: (data) => data.merged.length,
    doneMessage: (data) => `Merged ${plural(data.merged.length + 1, 'lead')} into ${label(data.lead)}`,
    onDone,
  });
});
