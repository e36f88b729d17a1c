// CSV import: the file is checked whole (by the core in the page, then by the server), then
// imported as a background job whose progress is shown until it ends.
import { callApi, sendChecked } from './api-client.mjs';
import { byId, commaList, el, plural } from './dom.mjs';
import { showToast } from './toast.mjs';

const form = byId('import-form');
const errorOutput = byId('import-error');
const progress = byId('import-progress');
const statusOutput = byId('import-status');
const resultOutput = byId('import-result');
const cancelButton = byId('import-cancel');
const POLL_MS = 250;
let jobId = null;

async function requestFromForm() {
  const file = form.elements.file.files[0];
  const csv = file ? await file.text() : form.elements.csv.value;
  const tags = commaList(form.elements.tags.value);
  return { method: 'POST', path: '/api/v1/leads/import', body: { csv, ...(tags.length ? { tags } : {}) } };
}

function showJob(job) {
  progress.value = job.progress;
  statusOutput.textContent = `${job.status}: ${job.processed.toLocaleString('en-US')} of ${job.total.toLocaleString('en-US')} rows (${Math.round(job.progress * 100)}%)`;
  const result = job.result;
  resultOutput.replaceChildren(el('div', {}, el('p', { id: 'import-counts' },
    `${plural(result.created, 'lead')} created, ${result.skipped} skipped as duplicates, ${result.failed} failed.`),
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

cancelButton.onclick = async () => {
  if (!jobId) return;
  const reply = await callApi('POST', `/jobs/${jobId}/cancel`);
  if (!reply.ok) statusOutput.textContent = reply.error.message;
};

export const importView = { show: () => {} };
