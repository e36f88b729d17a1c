// Leads: filter, page, select, create, edit, add to a campaign, delete (by selection, by
// filter, one by one) — every delete previewed first.
import { downloadCsv, sendChecked, toQuery } from './api-client.mjs';
import { openAddToCampaign } from './add-to-campaign.mjs';
import { openBulkEdit } from './bulk-edit.mjs';
import { openMerge } from './merge-leads.mjs';
import { validateRequest } from './core-validation.mjs';
import { byId, el, formatTime, plural, showError } from './dom.mjs';
import { filterBody, filterQueryParams, pageSize } from './lead-filters.mjs';
import { openLeadForm } from './lead-form.mjs';
import { runSafely } from './safe-action.mjs';
import { showToast } from './toast.mjs';

const filtersForm = byId('lead-filters');
const filtersError = byId('lead-filters-error');
const table = byId('leads-table');
const tableBody = table.querySelector('tbody');
const selectPage = byId('leads-select-page');
const selection = new Map(); // id → lead, kept across pages
let cursors = ['']; // cursors[i] opens page i
let pageIndex = 0;
let hasMore = false;
let pageLeads = [];

function listQuery() {
  return toQuery({ ...filterQueryParams(), limit: pageSize(), cursor: cursors[pageIndex] });
}

function updateSelectionStatus() {
  byId('lead-selection').textContent = `${plural(selection.size, 'lead')} selected`;
  selectPage.checked = pageLeads.length > 0 && pageLeads.every((lead) => selection.has(lead.id));
}

function leadLabel(lead) {
  return lead.email ?? lead.externalId ?? lead.phoneNumber ?? lead.id;
}

function renderRows() {
  tableBody.replaceChildren(...pageLeads.map((lead) => el('tr', { dataset: { leadId: lead.id } },
    el('td', {}, el('input', {
      type: 'checkbox',
      'aria-label': `Select ${leadLabel(lead)}`,
      checked: selection.has(lead.id),
      onchange: (event) => {
        if (event.target.checked) selection.set(lead.id, lead);
        else selection.delete(lead.id);
        updateSelectionStatus();
      },
    })),
    el('td', {}, lead.name ?? ''), el('td', {}, lead.email ?? ''), el('td', {}, lead.phoneNumber ?? ''),
    el('td', {}, lead.externalId ?? ''), el('td', {}, lead.companyName ?? ''), el('td', {}, lead.status),
    el('td', {}, lead.tags.join(', ')), el('td', {}, lead.country ?? ''), el('td', {}, formatTime(lead.createdAt)),
    el('td', { class: 'actions' },
      el('button', { type: 'button', 'aria-label': `Edit ${leadLabel(lead)}`, onclick: () => openLeadForm(lead, load) }, 'Edit'),
      el('button', { type: 'button', 'aria-label': `Archive ${leadLabel(lead)}`, onclick: () => archive(lead) }, 'Archive'),
      el('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${leadLabel(lead)}`, onclick: () => deleteOne(lead) }, 'Delete…'),
      el('button', { type: 'button', class: 'danger', 'aria-label': `Erase ${leadLabel(lead)}`, onclick: () => eraseOne(lead) }, 'Erase…')))));
  if (!pageLeads.length) {
    tableBody.append(el('tr', {}, el('td', { colspan: 11, class: 'muted' }, 'No leads match.')));
  }
  byId('leads-page').textContent = `Page ${pageIndex + 1}${hasMore ? '' : ' (last)'}`;
  byId('leads-previous').disabled = pageIndex === 0;
  byId('leads-first').disabled = pageIndex === 0;
  byId('leads-next').disabled = !hasMore;
  updateSelectionStatus();
}

let loadSerial = 0;
/** Loads the current page with the current filters; the table is aria-busy meanwhile. */
async function load() {
  // Only the latest load may render: an earlier one answering late must not overwrite it.
  const serial = ++loadSerial;
  table.setAttribute('aria-busy', 'true');
  try {
    const query = listQuery();
    const reply = await sendChecked({ method: 'GET', path: '/api/v1/leads', query });
    if (serial !== loadSerial) return;
    showError(filtersError, reply.error);
    if (!reply.ok) return;
    pageLeads = reply.body.data.leads;
    hasMore = reply.body.data.hasMore;
    cursors[pageIndex + 1] = reply.body.data.nextCursor ?? '';
    renderRows();
  } finally {
    if (serial === loadSerial) table.setAttribute('aria-busy', 'false');
  }
}

function restart() {
  cursors = [''];
  pageIndex = 0;
  return load();
}

filtersForm.addEventListener('submit', (event) => {
  event.preventDefault();
  restart();
});
filtersForm.addEventListener('reset', () => setTimeout(restart));
// Live check of the filters as they are typed (the server's messages, from the core).
let filterTimer = null;
filtersForm.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(async () => {
    showError(filtersError, await validateRequest({ method: 'GET', path: '/api/v1/leads', query: listQuery() }));
  }, 150);
});

byId('leads-next').onclick = () => { pageIndex += 1; load(); };
byId('leads-previous').onclick = () => { pageIndex = Math.max(0, pageIndex - 1); load(); };
byId('leads-first').onclick = () => { pageIndex = 0; load(); };
selectPage.onchange = () => {
  for (const lead of pageLeads) {
    if (selectPage.checked) selection.set(lead.id, lead);
    else selection.delete(lead.id);
  }
  renderRows();
};

async function afterDelete() {
  selection.clear();
  await load();
}

// Leads in active campaigns are refused (SendKit's `DELETE /v1/leads`) unless forced; forcing keeps their
// memberships there as `removed` rows.
const LEAD_FORCE = {
  when: (error) => error.affectedLeads !== undefined,
  label: 'Delete anyway (force): these leads leave their active campaigns',
};

// What DELETE /leads previews, guards and reports, by ids or by filter alike.
const LEADS_DELETE = {
  force: LEAD_FORCE,
  summary: (data) => el('p', {}, el('strong', {}, `${plural(data.deletedCount, 'lead')} will be deleted.`),
    data.notFoundIds?.length ? ` ${plural(data.notFoundIds.length, 'id')} not found.` : ''),
  expectedCount: (data) => data.deletedCount,
  doneMessage: (data) => `Deleted ${plural(data.deletedCount, 'lead')}`,
  onDone: afterDelete,
};

/** Downloads, as CSV, the leads the filter form selects (plus `extra` query parameters). */
function exportLeads(fileName, extra = {}) {
  return downloadCsv('/leads/export', toQuery({ ...filterQueryParams(), ...extra, format: 'csv' }), fileName);
}

// The documented alternative to deleting a lead: archive (status lost, metadata.archived), reversible by editing.
async function archive(lead) {
  const reply = await sendChecked({ method: 'PUT', path: `/api/v1/leads/${lead.id}`, body: { status: 'lost', metadata: { archived: true } } });
  if (!reply.ok) {
    showToast(reply.error.message);
    return;
  }
  showToast(`${leadLabel(lead)} archived (status lost, metadata.archived)`);
  await load();
}

function deleteOne(lead) {
  return runSafely({
    title: `Delete ${leadLabel(lead)}`,
    confirmLabel: 'Delete lead',
    force: LEAD_FORCE,
    request: (force) => ({ method: 'DELETE', path: `/api/v1/leads/${lead.id}`, query: force ? 'force=true' : '' }),
    summary: () => el('p', {}, el('strong', {}, `${leadLabel(lead)} will be deleted permanently`), ' (Undo stays available for a while).'),
    expectedCount: () => 1,
    exportFirst: () => downloadCsv('/leads/export', toQuery({ leadIds: lead.id, format: 'csv' }), `lead-${lead.id}.csv`),
    onDone: afterDelete,
  });
}

// Erasure on request: the preview's counts are what the server will remove or redact; nothing
// about it can be undone, so there is no Undo, and the person stays suppressed as a hash.
function eraseOne(lead) {
  return runSafely({
    title: `Erase ${leadLabel(lead)} (right to erasure)`,
    confirmLabel: 'Erase permanently',
    request: () => ({ method: 'POST', path: `/api/v1/leads/${lead.id}/erase` }),
    summary: (data) => el('div', {},
      el('p', {}, el('strong', {}, `${leadLabel(lead)}'s personal data will be erased from everywhere Leadline keeps it. This cannot be undone.`)),
      el('ul', { id: 'erase-counts' },
        el('li', {}, `${plural(data.erasedLeads, 'lead row')} and ${plural(data.erased.tags, 'tag')}`),
        el('li', {}, `${plural(data.erased.receiptRows, 'copy', 'copies')} in undo receipts removed; ${plural(data.erased.auditEntries, 'audit entry', 'audit entries')} and ${plural(data.erased.idempotentReplies, 'stored reply', 'stored replies')} redacted`),
        el('li', {}, `${plural(data.erased.membershipsKeptAnonymous, 'campaign membership')} kept anonymous for the campaign's counts`),
        el('li', {}, `the email and phone number stay suppressed, kept only as a keyed hash`))),
    expectedCount: (data) => data.erasedLeads,
    doneMessage: (data) => `Erased ${plural(data.erasedLeads, 'lead')}; the person stays suppressed`,
    onDone: afterDelete,
  });
}

byId('lead-delete-selected').onclick = () => {
  if (!selection.size) {
    showToast('Select leads first (the checkboxes in the first column).');
    return;
  }
  const ids = [...selection.keys()];
  return runSafely({
    ...LEADS_DELETE,
    title: `Delete ${plural(ids.length, 'selected lead')}`,
    confirmLabel: 'Delete selected leads',
    request: (force) => ({ method: 'DELETE', path: '/api/v1/leads', body: { leadIds: ids, ...(force ? { force: true } : {}) } }),
    exportFirst: () => downloadCsv('/leads/export', toQuery({ leadIds: ids.join(','), format: 'csv' }), 'selected-leads.csv'),
  });
};

byId('lead-delete-matching').onclick = () => {
  const filters = filterBody();
  // SendKit's excludeIds: the selected leads are kept when the user asks for it.
  const excludeIds = byId('lead-keep-selected').checked ? [...selection.keys()] : [];
  const except = excludeIds.length ? ` except ${plural(excludeIds.length, 'selected lead')}` : '';
  return runSafely({
    ...LEADS_DELETE,
    title: `${filters ? 'Delete every lead matching the filters' : 'Delete EVERY lead in the workspace'}${except}`,
    confirmLabel: 'Delete matching leads',
    request: (force) => ({
      method: 'DELETE',
      path: '/api/v1/leads',
      body: { deleteAll: true, ...(filters ? { filters } : {}), ...(excludeIds.length ? { excludeIds } : {}), ...(force ? { force: true } : {}) },
    }),
    exportFirst: () => exportLeads('matching-leads.csv'),
  });
};

byId('lead-merge-selected').onclick = () => {
  if (selection.size < 2) {
    showToast('Select two or more leads to merge (the checkboxes in the first column).');
    return;
  }
  openMerge([...selection.values()], afterDelete);
};

byId('lead-edit-selected').onclick = () => {
  if (!selection.size) {
    showToast('Select leads first (the checkboxes in the first column).');
    return;
  }
  openBulkEdit({ leadIds: [...selection.keys()] }, plural(selection.size, 'selected lead'), load);
};

byId('lead-edit-matching').onclick = () => {
  const filters = filterBody();
  const excludeIds = byId('lead-keep-selected').checked ? [...selection.keys()] : [];
  const except = excludeIds.length ? ` except ${plural(excludeIds.length, 'selected lead')}` : '';
  openBulkEdit({ filters: filters ?? {}, ...(excludeIds.length ? { excludeIds } : {}) },
    `${filters ? 'every lead matching the filters' : 'EVERY lead in the workspace'}${except}`, load);
};

byId('lead-export').onclick = async (event) => {
  event.preventDefault();
  try {
    const bytes = await exportLeads('leads.csv');
    showToast(`Exported ${plural(bytes, 'byte')} of CSV`);
  } catch (failure) {
    showToast(failure.message);
  }
};

byId('lead-new').onclick = () => openLeadForm(null, restart);
byId('lead-add-to-campaign').onclick = () => openAddToCampaign([...selection.keys()], load);

export const leadsView = { show: load };
