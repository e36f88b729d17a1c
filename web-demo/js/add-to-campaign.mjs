// The add-to-campaign dialog: SendKit's three add modes (explicit leads, filters, selectAll with
// exclusions), previewed with dryRun before anything is added.
import { callApi, sendChecked } from './api-client.mjs';
import { refreshCampaignChoices } from './campaign-choices.mjs';
import { byId, el, openDialog, plural } from './dom.mjs';
import { filterBody } from './lead-filters.mjs';
import { showToast } from './toast.mjs';

const dialog = byId('add-dialog');
const form = byId('add-form');
const errorOutput = byId('add-error');
const previewOutput = byId('add-preview');
const runButton = byId('add-run');
let selectedIds = [];
let onAdded = () => {};
let previewed = null; // the dry run's data for the request now in the form

function request() {
  const mode = form.elements.mode.value;
  const campaignId = form.elements.campaignId.value;
  let body;
  if (mode === 'leads') {
    const emails = form.elements.emails.value.split('\n').map((line) => line.trim()).filter(Boolean);
    body = { leads: [...selectedIds.map((leadId) => ({ leadId })), ...emails.map((email) => ({ email }))] };
  } else if (mode === 'filters') {
    body = { filters: filterBody() ?? {} };
  } else {
    body = { selectAll: true, ...(selectedIds.length ? { excludeIds: selectedIds } : {}) };
  }
  return { method: 'POST', path: `/api/v1/campaigns/${encodeURIComponent(campaignId || '-')}/leads`, body, campaignId };
}

function describe(data, dryRun) {
  const verb = dryRun ? 'would be added' : 'added';
  return el('div', { id: dryRun ? 'add-preview-summary' : 'add-result-summary' },
    el('p', {}, el('strong', {}, `${plural(data.added, 'lead')} ${verb}`),
      `, ${data.skipped} already in the campaign`,
      data.matched !== undefined ? `, ${data.matched} matched` : '',
      data.created ? `, ${data.created} created from new emails` : '', '.'),
    data.errors?.length ? el('ul', { class: 'error' }, data.errors.map((problem) =>
      el('li', {}, `Entry ${problem.index + 1}: ${problem.message}`))) : null);
}

form.addEventListener('input', () => {
  previewed = null;
  runButton.disabled = true;
  previewOutput.replaceChildren();
});

byId('add-preview-button').onclick = async () => {
  const { campaignId, method, path, body } = request();
  if (!campaignId) {
    errorOutput.textContent = 'Choose a campaign';
    return;
  }
  const reply = await sendChecked({ method, path, body: { ...body, dryRun: true } });
  errorOutput.textContent = reply.error?.message ?? '';
  if (!reply.ok) return;
  previewed = reply.body.data;
  previewOutput.replaceChildren(describe(previewed, true));
  runButton.disabled = false;
};

runButton.onclick = async () => {
  if (!previewed) return;
  const { method, path, body } = request();
  runButton.disabled = true;
  // The previewed count travels with the request: if the leads changed since, nothing is added.
  const reply = await callApi(method, path, { body: { ...body, expectedCount: previewed.added } });
  errorOutput.textContent = reply.error?.message ?? '';
  if (!reply.ok) return;
  previewed = null;
  previewOutput.replaceChildren(describe(reply.body.data, false));
  showToast(`Added ${plural(reply.body.data.added, 'lead')} to the campaign`);
  await refreshCampaignChoices();
  await onAdded();
};

/** Opens the dialog; `ids` are the selected leads, `added` runs after leads were added. */
export function openAddToCampaign(ids, added) {
  selectedIds = ids;
  onAdded = added;
  previewed = null;
  runButton.disabled = true;
  errorOutput.textContent = '';
  previewOutput.replaceChildren();
  form.elements.emails.value = '';
  openDialog(dialog);
}

/** Opens the dialog with `campaignId` chosen. */
export function openAddToCampaignFor(campaignId, ids, added) {
  openAddToCampaign(ids, added);
  form.elements.campaignId.value = campaignId;
}
