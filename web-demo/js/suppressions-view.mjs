// The suppression list: add a list of addresses, domains or numbers (previewed by the server:
// which entries are invalid, which leads and memberships they hit), check one person, see the
// list and lift an entry. Every check is the core's: the request is validated in the page by the
// same code the server runs, and the preview is the real request rolled back.
import { callApi, sendChecked, toQuery } from './api-client.mjs';
import { byId, el, formatTime, plural } from './dom.mjs';
import { runSafely } from './safe-action.mjs';
import { showToast } from './toast.mjs';
import { vocabulary } from './vocabulary.mjs';

const addForm = byId('suppression-add-form');
const addError = byId('suppression-add-error');
const checkForm = byId('suppression-check-form');
const checkResult = byId('suppression-check-result');
const filterForm = byId('suppression-filter-form');
const tableBody = byId('suppressions-table').querySelector('tbody');
const moreButton = byId('suppressions-more');

function addRequest() {
  const kind = addForm.elements.kind.value;
  const reason = addForm.elements.reason.value.trim();
  const lines = addForm.elements.lines.value.split('\n').map((line) => line.trim()).filter(Boolean);
  const body = { entries: lines.map((line) => ({ [kind]: line, ...(reason ? { reason } : {}) })) };
  if (addForm.elements.unsubscribeMemberships.checked) body.unsubscribeMemberships = true;
  return { method: 'POST', path: '/api/v1/suppressions', body };
}

function invalidList(errors, lines) {
  if (!errors.length) return null;
  return el('details', { open: true, id: 'suppression-invalid' }, el('summary', {}, `${plural(errors.length, 'line')} cannot be added`),
    el('ul', {}, errors.slice(0, 50).map((error) => el('li', {}, `Line ${error.index + 1} (${lines[error.index] ?? ''}): ${error.message}`))));
}

function impactText(data, future) {
  const { leads, activeMemberships, unsubscribedMemberships } = data.impact;
  const verb = future ? 'will be' : 'were';
  return `Hits ${plural(leads, 'stored lead')}; ${plural(activeMemberships, 'active membership')}` +
    (unsubscribedMemberships ? ` ${verb} set to unsubscribed` : ' still receive email') + '.';
}

addForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  addError.textContent = '';
  const request = addRequest();
  if (!request.body.entries.length) {
    addError.textContent = 'Enter at least one line';
    return;
  }
  const lines = request.body.entries.map((entry) => Object.values(entry)[0]);
  const data = await runSafely({
    title: 'Add to the suppression list',
    confirmLabel: 'Add to the list',
    request: () => request,
    summary: (preview) => el('div', {},
      el('p', {}, el('strong', {}, `${plural(preview.added, 'entry', 'entries')} will be added`),
        `; ${preview.alreadySuppressed} already on the list; ${preview.invalid} invalid.`),
      el('p', { id: 'suppression-impact' }, impactText(preview, true)),
      invalidList(preview.errors, lines)),
    expectedCount: (preview) => preview.added,
    doneMessage: (done) => `Added ${plural(done.added, 'entry', 'entries')} to the suppression list. ${impactText(done, false)}`,
  });
  if (data) {
    addForm.elements.lines.value = '';
    await load();
  }
});

checkForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = checkForm.elements.value.value.trim();
  const field = value.includes('@') ? 'email' : 'phoneNumber';
  const reply = await sendChecked({ method: 'GET', path: '/api/v1/suppressions/check', query: toQuery({ [field]: value }) });
  if (!reply.ok) {
    checkResult.textContent = reply.error.message;
    return;
  }
  const { suppressed, entry } = reply.body.data;
  checkResult.textContent = !suppressed ? `${value} is not suppressed`
    : `${value} is suppressed by ${entry.value ?? 'an erased person\'s entry'} (${entry.kind}, ${entry.source})`;
});

function lift(entry) {
  return async () => {
    const reply = await callApi('DELETE', `/suppressions/${entry.id}`);
    showToast(reply.ok ? `Lifted ${entry.value}` : reply.error.message);
    await load();
  };
}

function entryRow(entry) {
  const locked = vocabulary().lockedSuppressionSources.includes(entry.source);
  const shown = entry.value ?? '(erased: kept as a hash)';
  return el('tr', { dataset: { suppressionId: entry.id } },
    el('th', { scope: 'row' }, shown), el('td', {}, entry.kind), el('td', {}, entry.source), el('td', {}, entry.reason ?? ''),
    el('td', {}, formatTime(entry.createdAt)),
    el('td', {}, locked ? el('span', { class: 'muted' }, 'cannot be lifted')
      : el('button', { type: 'button', 'aria-label': `Lift ${shown}`, onclick: lift(entry) }, 'Lift')));
}

let cursor = null;
async function load(more = false) {
  if (!more) cursor = null;
  const filters = Object.fromEntries(['kind', 'source', 'search'].map((name) => [name, filterForm.elements[name].value.trim()]));
  const reply = await sendChecked({ method: 'GET', path: '/api/v1/suppressions', query: toQuery({ ...filters, limit: 50, cursor }) });
  if (!reply.ok) {
    tableBody.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'error' }, reply.error.message)));
    return;
  }
  const { suppressions, nextCursor, hasMore } = reply.body.data;
  const rows = suppressions.map(entryRow);
  if (more) tableBody.append(...rows);
  else tableBody.replaceChildren(...rows);
  cursor = nextCursor;
  moreButton.hidden = !hasMore;
}

filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});
moreButton.onclick = () => load(true);

export const suppressionsView = { show: () => load() };
