// Every destructive action goes through here: the core checks the request in the page, the
// server previews it (dryRun: the real request, rolled back), the user confirms what they
// saw, the real request carries the previewed count (expectedCount) so a world that changed
// in between is refused instead of surprising anyone, and the reply's receipt becomes Undo.
import { callApi, sendChecked } from './api-client.mjs';
import { byId, el, formatTime, plural } from './dom.mjs';
import { showToast } from './toast.mjs';

const dialog = byId('preview-dialog');
const title = byId('preview-title');
const body = byId('preview-body');
const confirmButton = byId('preview-confirm');
const forceLabel = byId('preview-force-label');
const forceBox = byId('preview-force');
const exportLink = byId('preview-export');

function withControls(query, controls) {
  const search = new URLSearchParams(query);
  for (const [name, value] of Object.entries(controls)) search.set(name, String(value));
  return search.toString();
}

function sampleTable(sample) {
  // An edit's sample is {before, after} pairs, which its own summary shows.
  if (!sample?.length || sample[0].before) return null;
  return el('table', { class: 'grid compact', id: 'preview-sample' },
    el('caption', {}, `Sample (${plural(sample.length, 'lead')})`),
    el('thead', {}, el('tr', {}, ['Name', 'Email', 'Phone', 'External id', 'Created'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, sample.map((lead) => el('tr', {},
      el('td', {}, lead.name ?? ''), el('td', {}, lead.email ?? ''), el('td', {}, lead.phoneNumber ?? ''),
      el('td', {}, lead.externalId ?? ''), el('td', {}, formatTime(lead.createdAt))))));
}

function protectedReport(details) {
  return el('div', { class: 'warning', id: 'preview-protected' },
    el('p', {}, el('strong', {}, details.message)),
    details.campaigns?.length ? el('p', {}, 'Active campaigns: ', details.campaigns.join(', ')) : null);
}

/**
 * Runs a destructive request with preview, confirmation, count guard and undo.
 * `action`: {title, confirmLabel, request(force) → {method, path, query?, body?}, summary(data) → Node,
 * expectedCount?(data) → number, doneMessage?(data) → text (else the reply's message), force?: {when(error) → bool, label}, exportFirst?: () → Promise
 * (resolves to the bytes exported), onDone?(data)}: when a refusal matches `force.when`, the
 * dialog offers to preview again with force.
 * Resolves when the dialog closes: to the real reply's data, or null if nothing ran.
 */
export function runSafely(action) {
  return new Promise((resolve) => {
    let previewData = null;
    let finished = false;
    title.textContent = action.title;
    confirmButton.textContent = action.confirmLabel ?? 'Confirm';
    forceBox.checked = false;
    forceLabel.hidden = true;
    byId('preview-force-text').textContent = action.force?.label ?? '';
    exportLink.hidden = !action.exportFirst;
    exportLink.onclick = async (event) => {
      event.preventDefault();
      exportLink.textContent = 'Exporting…';
      try {
        const bytes = await action.exportFirst();
        exportLink.textContent = `Exported (${plural(bytes, 'byte')}) — export again`;
      } catch (failure) {
        exportLink.textContent = `Export failed: ${failure.message}`;
      }
    };
    exportLink.textContent = 'Export CSV first';
    exportLink.href = '#';

    const finish = (result) => {
      if (finished) return;
      finished = true;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(result);
    };
    dialog.onclose = () => finish(null);
    byId('preview-cancel').onclick = () => finish(null);

    const preview = async () => {
      previewData = null;
      confirmButton.disabled = true;
      body.replaceChildren(el('p', { role: 'status' }, 'Previewing…'));
      const request = action.request(forceBox.checked);
      const reply = await sendChecked({ ...request, query: withControls(request.query ?? '', { dryRun: true }) });
      if (!reply.ok) {
        forceLabel.hidden = !(forceBox.checked || action.force?.when(reply.error));
        body.replaceChildren(reply.error.affectedLeads !== undefined ? protectedReport(reply.error)
          : el('p', { class: 'error', role: 'alert' }, reply.error.message));
        return;
      }
      previewData = reply.body.data;
      const protectedInfo = previewData.preview?.protected;
      body.replaceChildren(el('div', {},
        el('div', { id: 'preview-summary' }, action.summary(previewData)),
        protectedInfo?.affectedLeads ? el('p', { class: 'warning' },
          `${plural(protectedInfo.affectedLeads, 'lead')} in active campaigns (${protectedInfo.campaigns.join(', ')}) will be removed from them.`) : null,
        sampleTable(previewData.preview?.sample),
        el('p', { class: 'muted' }, 'Nothing has changed yet.')));
      confirmButton.disabled = false;
      confirmButton.focus();
    };
    forceBox.onchange = preview;

    confirmButton.onclick = async () => {
      if (!previewData) return;
      confirmButton.disabled = true;
      const request = action.request(forceBox.checked);
      const controls = action.expectedCount ? { expectedCount: action.expectedCount(previewData) } : {};
      const reply = await callApi(request.method, request.path, {
        body: request.body,
        query: withControls(request.query ?? '', controls),
      });
      if (!reply.ok) {
        body.replaceChildren(el('p', { class: 'error', role: 'alert' }, reply.error.message));
        return;
      }
      const data = reply.body.data;
      finish(data);
      await action.onDone?.(data);
      showToast(action.doneMessage?.(data) ?? reply.body.message ?? `${action.title}: done`, data.receiptId ? {
        undo: async () => {
          const restored = await callApi('POST', `/receipts/${data.receiptId}/restore`);
          await action.onDone?.(null);
          return restored.ok ? describeRestore(restored.body.data) : restored.error.message;
        },
      } : {});
    };

    dialog.showModal();
    preview();
  });
}

// "leadMemberships", 2 → "2 lead memberships"; 1 → "1 lead membership".
function countOf(kind, n) {
  const words = kind.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
  return `${n} ${n === 1 ? words.replace(/s$/, '') : words}`;
}

/** "Restored 3 leads, 2 lead memberships" plus conflicts, for the toast after Undo. */
export function describeRestore(data) {
  const first = ['campaigns', 'leads'];
  const parts = Object.entries(data.restored ?? {}).filter(([, n]) => n > 0)
    .sort(([a], [b]) => (first.includes(b) ? 1 : 0) - (first.includes(a) ? 1 : 0))
    .map(([kind, n]) => countOf(kind, n));
  let text = `Restored ${parts.length ? parts.join(', ') : 'nothing'}`;
  if (data.conflicts?.length) text += `; ${plural(data.conflicts.length, 'conflict')}: ${data.conflicts.map((c) => c.message).join('; ')}`;
  return text;
}
