// Campaigns: create, list (with a membership chart each), change status, see members, add
// leads, export, and delete with an impact report first.
import { callApi, downloadCsv, sendChecked, toQuery } from './api-client.mjs';
import { openAddToCampaignFor } from './add-to-campaign.mjs';
import { refreshCampaignChoices } from './campaign-choices.mjs';
import { byId, el, formatTime, openDialog, plural, showError } from './dom.mjs';
import { membershipChart } from './membership-chart.mjs';
import { runSafely } from './safe-action.mjs';
import { showToast } from './toast.mjs';
import { vocabulary } from './vocabulary.mjs';

const tableBody = byId('campaigns-table').querySelector('tbody');
const createForm = byId('campaign-create');
const createError = byId('campaign-create-error');
// The statuses the core serves, "back to draft" last: it is the rare move.
const statusChoices = () => [...vocabulary().campaignStatuses.filter((status) => status !== 'draft'), 'draft'];
let nextCursor = '';

const OWNED_NOUNS = {
  leadMemberships: 'lead membership', sequences: 'sequence step', webhooks: 'webhook',
  scheduledEmails: 'scheduled email', statistics: 'email statistics row', messages: 'conversation message',
};

// A status change moves memberships too (starting activates pending members, completing
// completes everyone in progress), so it is previewed like a delete.
function statusControl(campaign) {
  const select = el('select', { 'aria-label': `New status for ${campaign.name}` },
    statusChoices().filter((status) => status !== campaign.status).map((status) => el('option', { value: status }, status)));
  const apply = () => runSafely({
    title: `Change ${campaign.name} from ${campaign.status} to ${select.value}`,
    confirmLabel: 'Change status',
    request: () => ({ method: 'PATCH', path: `/api/v1/campaigns/${campaign.id}/status`, body: { status: select.value } }),
    summary: (data) => el('p', {}, el('strong', {}, `${plural(data.membershipsUpdated, 'membership')} will change`),
      ` (${data.previousStatus} → ${data.status}).`),
    expectedCount: (data) => data.membershipsUpdated,
    doneMessage: (data) => `${campaign.name}: ${data.previousStatus} → ${data.status} (${plural(data.membershipsUpdated, 'membership')} updated)`,
    onDone: refresh,
  });
  return el('span', { class: 'status-control' }, select,
    el('button', { type: 'button', onclick: apply, 'aria-label': `Change status of ${campaign.name}` }, 'Change status…'));
}

// An active campaign is refused unless forced (Smartlead's campaign delete says: stop it first).
const CAMPAIGN_FORCE = {
  when: (error) => error.details?.status === 'active',
  label: 'Delete it while it is active (force) instead of stopping it first',
};

function deleteCampaign(campaign) {
  return runSafely({
    title: `Delete campaign ${campaign.name}`,
    confirmLabel: 'Delete campaign',
    force: CAMPAIGN_FORCE,
    request: (force) => ({ method: 'DELETE', path: `/api/v1/campaigns/${campaign.id}`, query: force ? 'force=true' : '' }),
    summary: (data) => el('div', { id: 'campaign-impact' },
      el('p', {}, el('strong', {}, `${campaign.name} and everything it owns will be deleted. The leads themselves stay.`)),
      el('ul', {}, Object.entries(data.deleted).map(([kind, n]) => el('li', { dataset: { kind } }, plural(n, OWNED_NOUNS[kind] ?? kind))))),
    expectedCount: (data) => data.deleted.leadMemberships,
    exportFirst: () => downloadCsv(`/campaigns/${campaign.id}/leads-export`, '', `${campaign.name}-leads.csv`),
    onDone: async () => {
      await refreshCampaignChoices();
      await refresh();
    },
  });
}

function campaignRow(campaign) {
  return el('tr', { dataset: { campaignId: campaign.id } },
    el('th', { scope: 'row' }, campaign.name, el('div', { class: 'muted' }, `${plural(campaign.leadCounts.total, 'member')} · created ${formatTime(campaign.createdAt)}`)),
    el('td', { class: 'campaign-status' }, campaign.status),
    el('td', {}, membershipChart(campaign.leadCounts, campaign.name)),
    el('td', { class: 'actions' },
      statusControl(campaign),
      el('button', { type: 'button', 'aria-label': `Members of ${campaign.name}`, onclick: () => showMembers(campaign) }, 'Members'),
      el('button', { type: 'button', 'aria-label': `Add leads to ${campaign.name}`, onclick: () => openAddToCampaignFor(campaign.id, [], refresh) }, 'Add leads…'),
      el('button', { type: 'button', 'aria-label': `Export ${campaign.name} as CSV`, onclick: async () => {
        try {
          showToast(`Exported ${plural(await downloadCsv(`/campaigns/${campaign.id}/leads-export`, '', `${campaign.name}-leads.csv`), 'byte')}`);
        } catch (failure) {
          showToast(failure.message);
        }
      } }, 'Export CSV'),
      el('button', { type: 'button', class: 'danger', 'aria-label': `Delete campaign ${campaign.name}`, onclick: () => deleteCampaign(campaign) }, 'Delete…')));
}

let loadSerial = 0;
async function loadPage(cursor) {
  // Only the latest load may render: a late answer to an earlier one must not overwrite it.
  const serial = ++loadSerial;
  const includeArchived = byId('campaigns-include-archived').checked;
  const reply = await callApi('GET', '/campaigns', { query: toQuery({ limit: 50, cursor, includeArchived: includeArchived || '' }) });
  if (serial !== loadSerial) return;
  showError(createError, reply.error);
  if (!reply.ok) return;
  const rows = reply.body.data.campaigns.map(campaignRow);
  if (cursor) tableBody.append(...rows);
  else tableBody.replaceChildren(...rows);
  if (!cursor && !rows.length) tableBody.append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No campaigns yet.')));
  nextCursor = reply.body.data.hasMore ? reply.body.data.nextCursor : '';
  byId('campaigns-more').hidden = !nextCursor;
}

async function refresh() {
  await loadPage('');
}

byId('campaigns-more').onclick = () => loadPage(nextCursor);
byId('campaigns-include-archived').onchange = refresh;

createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const reply = await sendChecked({ method: 'POST', path: '/api/v1/campaigns', body: { name: createForm.elements.name.value } });
  showError(createError, reply.error);
  if (!reply.ok) return;
  createForm.reset();
  showToast(`Campaign ${reply.body.data.name} created`);
  await refreshCampaignChoices();
  await refresh();
});

// Members of one campaign, by membership status, a page at a time.
const membersDialog = byId('members-dialog');
const membersBody = byId('members-table').querySelector('tbody');
let membersCampaign = null;
let membersCursor = '';

async function loadMembers(cursor) {
  const reply = await callApi('GET', `/campaigns/${membersCampaign.id}/leads`, {
    query: toQuery({ status: byId('members-status').value, limit: 25, cursor }),
  });
  if (!reply.ok) {
    membersBody.replaceChildren(el('tr', {}, el('td', { colspan: 4, class: 'error' }, reply.error.message)));
    return;
  }
  const data = reply.body.data;
  const rows = data.leads.map((member) => el('tr', {},
    el('td', {}, member.lead?.name ?? member.leadId ?? ''), el('td', {}, member.lead?.email ?? ''),
    el('td', {}, member.status), el('td', {}, formatTime(member.addedAt))));
  if (cursor) membersBody.append(...rows);
  else membersBody.replaceChildren(...rows);
  membersCursor = data.hasMore ? data.nextCursor : '';
  byId('members-more').hidden = !membersCursor;
}

function showMembers(campaign) {
  membersCampaign = campaign;
  byId('members-title').textContent = `Members of ${campaign.name}`;
  byId('members-status').value = '';
  openDialog(membersDialog);
  return loadMembers('');
}
byId('members-status').onchange = () => loadMembers('');
byId('members-more').onclick = () => loadMembers(membersCursor);

export const campaignsView = { show: refresh };
