// CSV import: choosing a file previews it (a dry run of the import: the core says which column
// becomes which field and shows the first rows as it would store them); each column's field can be
// changed there. Then the file is checked whole (by the core in the page, then by the server) and
// imported as a background job whose progress is shown until it ends.
import { callApi, sendChecked } from './api-client.mjs';
import { byId, commaList, el, plural } from './dom.mjs';
import { showToast } from './toast.mjs';
import { vocabulary } from './vocabulary.mjs';

const form = byId('import-form');
const errorOutput = byId('import-error');
const progress = byId('import-progress');
const statusOutput = byId('import-status');
const resultOutput = byId('import-result');
const cancelButton = byId('import-cancel');
const POLL_MS = 250;
const mappingView = byId('import-mapping');
let jobId = null;
// {field: header} once the columns were previewed: what the import then sends as `mapping`.
let mapping = null;

async function requestFromForm() {
  const file = form.elements.file.files[0];
  const csv = file ? await file.text() : form.elements.csv.value;
  const tags = commaList(form.elements.tags.value);
  const body = { csv, onDuplicate: form.elements.onDuplicate.value, ...(tags.length ? { tags } : {}), ...(mapping ? { mapping } : {}) };
  return { method: 'POST', path: '/api/v1/leads/import', body };
}

function mappingFromSelects() {
  const chosen = {};
  for (const select of mappingView.querySelectorAll('#import-columns select')) {
    if (select.value) chosen[select.value] = select.dataset.header;
  }
  return chosen;
}

// Whether a previewed lead's field holds anything worth a column (not null, [] or {}).
function hasValue(value) {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value !== 'object' || Object.keys(value).length > 0;
}

function showMapping(data) {
  const fieldOf = Object.fromEntries(Object.entries(data.mappedColumns).map(([field, header]) => [header, field]));
  const headers = data.columns;
  const fields = Object.keys(vocabulary().importHeaders);
  byId('import-columns').tBodies[0].replaceChildren(...headers.map((header) => {
    const select = el('select', { 'aria-label': `Field for column ${header}`, 'data-header': header },
      el('option', { value: '' }, 'ignore'), ...fields.map((field) => el('option', { value: field }, field)));
    select.value = fieldOf[header] ?? '';
    select.onchange = () => {
      mapping = mappingFromSelects();
      preview();
    };
    return el('tr', {}, el('td', {}, header), el('td', {}, select));
  }));
  byId('import-total').textContent = `${plural(data.total, 'row')} in the file; the first ${data.preview.rows.length} as they will be stored:`;
  // The columns' fields in the file's order, then what the lead gets besides (defaults, import tags).
  const read = headers.map((header) => fieldOf[header]).filter(Boolean);
  const shown = [...read, ...fields.filter((field) => !read.includes(field) && data.preview.rows.some((row) => hasValue(row.lead?.[field])))];
  const table = byId('import-preview');
  table.tHead.replaceChildren(el('tr', {}, el('th', { scope: 'col' }, 'Row'), ...shown.map((field) => el('th', { scope: 'col' }, field))));
  table.tBodies[0].replaceChildren(...data.preview.rows.map((row) => el('tr', {}, el('td', {}, row.row),
    ...(row.error ? [el('td', { colspan: Math.max(1, shown.length) }, `not imported: ${row.error}`)]
      : shown.map((field) => el('td', {}, [row.lead[field]].flat().join(', ')))))));
  mapping = mappingFromSelects();
  mappingView.hidden = false;
}

async function preview() {
  const request = await requestFromForm();
  request.body.dryRun = true;
  const reply = await sendChecked(request);
  errorOutput.textContent = reply.error?.message ?? '';
  if (reply.ok) showMapping(reply.body.data);
}

function showJob(job) {
  progress.value = job.progress;
  statusOutput.textContent = `${job.status}: ${job.processed.toLocaleString('en-US')} of ${job.total.toLocaleString('en-US')} rows (${Math.round(job.progress * 100)}%)`;
  const result = job.result;
  resultOutput.replaceChildren(el('div', {}, el('p', { id: 'import-counts' },
    `${plural(result.created, 'lead')} created${result.updated ? `, ${result.updated} updated` : ''}, ${result.skipped} skipped as duplicates, ${result.failed} failed.`),
  result.mappedColumns ? el('p', { id: 'import-mapped' }, `Columns read: ${Object.entries(result.mappedColumns).map(([field, header]) => `${header} → ${field}`).join(', ')}`) : null,
  result.ignoredColumns?.length ? el('p', {}, `Ignored columns: ${result.ignoredColumns.join(', ')}`) : null,
  result.errors.length ? el('table', { class: 'grid compact', id: 'import-errors' },
    el('caption', {}, 'Rows not imported'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Row'), el('th', { scope: 'col' }, 'Line'), el('th', { scope: 'col' }, 'Problem'))),
    el('tbody', {}, result.errors.map((problem) => el('tr', {}, el('td', {}, problem.row), el('td', {}, problem.line), el('td', {}, problem.message))))) : null));
}

async function follow(id) {
  jobId = id;
  byId('import-job').hidden = false;
  cancelButton.disabled = false;
  for (;;) {
    const reply = await callApi('GET', `/jobs/${id}`);
    if (!reply.ok) {
      statusOutput.textContent = reply.error.message;
      return;
    }
    const job = reply.body.data;
    showJob(job);
    if (!['queued', 'running'].includes(job.status)) {
      cancelButton.disabled = true;
      showToast(`Import ${job.status}: ${plural(job.result.created, 'lead')} created`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const reply = await sendChecked(await requestFromForm());
  errorOutput.textContent = reply.error?.message ?? '';
  if (!reply.ok) return;
  await follow(reply.body.data.id);
});

// A new file or text: its own columns, previewed at once for a file.
form.elements.file.addEventListener('change', () => {
  mapping = null;
  mappingView.hidden = true;
  if (form.elements.file.files[0]) preview();
});
form.elements.csv.addEventListener('input', () => {
  mapping = null;
  mappingView.hidden = true;
});
byId('import-preview-button').onclick = () => {
  mapping = null;
  preview();
};

cancelButton.onclick = async () => {
  if (!jobId) return;
  const reply = await callApi('POST', `/jobs/${jobId}/cancel`);
  if (!reply.ok) statusOutput.textContent = reply.error.message;
};

export const importView = { show: () => {} };
