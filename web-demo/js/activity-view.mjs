// Undo and activity: the restorable receipts of recent deletes, and the audit trail.
import { callApi, toQuery } from './api-client.mjs';
import { byId, el, formatTime } from './dom.mjs';
import { describeRestore, runSafely } from './safe-action.mjs';

const receiptsBody = byId('receipts-table').querySelector('tbody');
const auditBody = byId('audit-table').querySelector('tbody');

function counts(object) {
  return Object.entries(object ?? {}).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`).join(', ');
}

function restore(receipt) {
  return runSafely({
    title: `Undo ${receipt.endpoint}`,
    confirmLabel: 'Restore',
    request: () => ({ method: 'POST', path: `/api/v1/receipts/${receipt.id}/restore` }),
    summary: (data) => el('p', {}, el('strong', {}, describeRestore(data).replace('Restored', 'Will restore'))),
    doneMessage: describeRestore,
    onDone: load,
  });
}

async function load() {
  const [receipts, audit] = await Promise.all([
    callApi('GET', '/receipts', { query: toQuery({ limit: 25 }) }),
    callApi('GET', '/audit', { query: toQuery({ limit: 25 }) }),
  ]);
  receiptsBody.replaceChildren(...(receipts.ok ? receipts.body.data.receipts : []).map((receipt) => el('tr', { dataset: { receiptId: receipt.id } },
    el('td', {}, formatTime(receipt.createdAt)), el('td', {}, receipt.endpoint), el('td', {}, counts(receipt.summary)),
    el('td', {}, receipt.restoredAt ? `restored ${formatTime(receipt.restoredAt)}` : receipt.restorable ? `restorable until ${formatTime(receipt.expiresAt)}` : 'not restorable'),
    el('td', {}, receipt.restorable ? el('button', { type: 'button', 'aria-label': `Undo ${receipt.endpoint} of ${formatTime(receipt.createdAt)}`, onclick: () => restore(receipt) }, 'Undo…') : ''))));
  if (!receipts.ok) receiptsBody.append(el('tr', {}, el('td', { colspan: 5, class: 'error' }, receipts.error.message)));
  auditBody.replaceChildren(...(audit.ok ? audit.body.data.entries : []).map((entry) => el('tr', {},
    el('td', {}, formatTime(entry.at)), el('td', {}, entry.keyPrefix), el('td', {}, `${entry.method} ${entry.path}`),
    el('td', {}, entry.status), el('td', {}, counts(entry.counts)))));
  if (!audit.ok) auditBody.append(el('tr', {}, el('td', { colspan: 5, class: 'error' }, audit.error.message)));
}

byId('activity-refresh').onclick = load;

export const activityView = { show: load };
