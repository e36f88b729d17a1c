// Lupitor's bulk delete by identifier in the page: paste external ids or phone numbers, see each row checked by the core
// as the server will check it, preview, delete, undo.
import { validateRequest } from './core-validation.mjs';
import { byId, el, plural } from './dom.mjs';
import { runSafely } from './safe-action.mjs';

const form = byId('identifier-form');
const errorOutput = byId('identifier-error');
const rowsBody = byId('identifier-rows').querySelector('tbody');
const resultOutput = byId('identifier-result');
const PATH = '/api/v1/leads/bulk-delete';
// Stands in for a row already reported, so the core's next message is about the next bad row.
const CHECKED_ROW = { externalId: 'checked' };

function requestFromForm() {
  const kind = form.elements.kind.value;
  const lines = form.elements.lines.value.split('\n');
  // A trailing newline is not a row; any other line is, blank or not, so the row numbers match.
  if (lines.at(-1).trim() === '') lines.pop();
  return {
    method: 'POST',
    path: PATH,
    body: { campaignId: form.elements.campaignId.value, leads: lines.map((line) => ({ [kind]: line.trim() })) },
  };
}

// The row a problem is about, from the error's `field` ("leads[2]", "leads[0].email").
const ROW_FIELD = /^leads\[(\d+)\]/;

/**
 * Asks the core about the request until it has no more row problems: each answer names the
 * first bad row; that row is then replaced by a good one and asked again. Returns
 * {rowErrors: Map(index → message), requestError}.
 */
async function checkRows(request) {
  const rowErrors = new Map();
  const leads = [...request.body.leads];
  for (;;) {
    const error = await validateRequest({ ...request, body: { ...request.body, leads } });
    if (!error) return { rowErrors, requestError: null };
    const match = ROW_FIELD.exec(error.field ?? '');
    const index = match ? Number(match[1]) : -1;
    if (index < 0 || rowErrors.has(index)) return { rowErrors, requestError: error };
    rowErrors.set(index, error.message);
    leads[index] = CHECKED_ROW;
  }
}

let checkSerial = 0;
async function check() {
  const serial = ++checkSerial;
  const request = requestFromForm();
  const { rowErrors, requestError } = await checkRows(request);
  if (serial !== checkSerial) return null;
  errorOutput.textContent = requestError?.message ?? (rowErrors.size ? `${plural(rowErrors.size, 'row')} cannot be sent: ${[...rowErrors.values()][0]}` : '');
  rowsBody.replaceChildren(...request.body.leads.slice(0, 1000).map((entry, index) => {
    const message = rowErrors.get(index);
    return el('tr', { class: message ? 'invalid' : '' },
      el('td', {}, index + 1), el('td', {}, Object.values(entry)[0]),
      el('td', { class: message ? 'error' : 'ok' }, message ?? 'ok'));
  }));
  return requestError ?? (rowErrors.size ? true : null);
}

let timer = null;
form.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(check, 150);
});

function listOf(title, items) {
  return items.length ? el('details', { open: true }, el('summary', {}, `${title} (${items.length})`),
    el('ul', {}, items.slice(0, 50).map((item) => el('li', {}, item)), items.length > 50 ? el('li', {}, `…and ${items.length - 50} more`) : null)) : null;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (await check()) return;
  const request = requestFromForm();
  await runSafely({
    title: 'Delete leads by identifier',
    confirmLabel: 'Delete these leads',
    request: () => request,
    summary: (data) => el('div', {},
      el('p', {}, el('strong', {}, `${plural(data.deleted, 'identifier')} found and will be removed from the campaign`),
        `; ${data.notFound} not found`, data.keptInOtherCampaigns ? `; ${data.keptInOtherCampaigns} stay as leads (still in another campaign)` : '', '.'),
      listOf('Not found', data.notFoundIdentifiers)),
    expectedCount: (data) => data.deleted,
    onDone: (data) => {
      if (!data) return;
      resultOutput.replaceChildren(el('div', { id: 'identifier-outcome' },
        el('p', {}, `Deleted ${data.deleted}, not found ${data.notFound}, kept in other campaigns ${data.keptInOtherCampaigns}.`),
        listOf('Deleted', data.deletedIdentifiers), listOf('Not found', data.notFoundIdentifiers)));
    },
  });
});

export const identifierDeleteView = { show: check };
