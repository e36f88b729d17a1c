// The workspace's webhook endpoints: add one (its events offered from the core's vocabulary, the
// request checked in the page by the same code the server runs), see its signing secret once,
// send a test, turn it off and on, delete it, and read its delivery log with a retry for each
// delivered or failed delivery.
import { callApi, sendChecked } from './api-client.mjs';
import { byId, el, formatTime, plural } from './dom.mjs';
import { showToast } from './toast.mjs';
import { vocabulary } from './vocabulary.mjs';

const addForm = byId('webhook-add-form');
const addError = byId('webhook-add-error');
const eventsBox = byId('webhook-events');
const secretNote = byId('webhook-secret');
const tableBody = byId('webhooks-table').querySelector('tbody');
const deliveriesSection = byId('webhook-deliveries');
const deliveriesTitle = byId('webhook-deliveries-title');
const deliveriesBody = byId('deliveries-table').querySelector('tbody');

let shownEndpoint = null;

function offerEvents() {
  if (eventsBox.querySelector('input')) return;
  for (const name of vocabulary().webhookEvents) {
    eventsBox.append(el('label', {}, el('input', { type: 'checkbox', name: 'events', value: name }), ` ${name}`));
  }
}

addForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  addError.textContent = '';
  const events = [...addForm.querySelectorAll('input[name=events]:checked')].map((box) => box.value);
  const description = addForm.elements.description.value.trim();
  const body = { url: addForm.elements.url.value.trim(), events, ...(description ? { description } : {}) };
  const reply = await sendChecked({ method: 'POST', path: '/api/v1/webhooks', body });
  if (!reply.ok) {
    addError.textContent = reply.error.message;
    return;
  }
  const { webhook, secret } = reply.body.data;
  secretNote.hidden = false;
  secretNote.replaceChildren('Signing secret for ', el('strong', {}, webhook.url), ' (shown only now — store it): ',
    el('code', { id: 'webhook-secret-value' }, secret));
  addForm.reset();
  await load();
});

async function act(promise, done) {
  const reply = await promise;
  showToast(reply.ok ? done(reply.body.data) : reply.error.message);
  await load();
  if (shownEndpoint) await loadDeliveries(shownEndpoint);
}

function endpointRow(endpoint) {
  const state = endpoint.enabled ? 'enabled' : `disabled: ${endpoint.disabledReason ?? ''}`;
  return el('tr', { dataset: { webhookId: endpoint.id } },
    el('th', { scope: 'row' }, endpoint.url, endpoint.description ? el('div', { class: 'muted' }, endpoint.description) : null),
    el('td', {}, endpoint.events.join(', ')),
    el('td', {}, state),
    el('td', {}, endpoint.lastSuccessAt ? formatTime(endpoint.lastSuccessAt) : 'never'),
    el('td', { class: 'row' },
      el('button', { type: 'button', onclick: () => act(callApi('POST', `/webhooks/${endpoint.id}/test`), () => 'Test event queued') }, 'Send test'),
      el('button', { type: 'button', onclick: () => loadDeliveries(endpoint) }, 'Deliveries'),
      el('button', {
        type: 'button',
        onclick: () => act(callApi('PATCH', `/webhooks/${endpoint.id}`, { body: { enabled: !endpoint.enabled } }),
          (data) => `${data.url} ${data.enabled ? 'enabled' : 'disabled'}`),
      }, endpoint.enabled ? 'Disable' : 'Enable'),
      el('button', {
        type: 'button',
        onclick: () => {
          if (shownEndpoint?.id === endpoint.id) {
            shownEndpoint = null;
            deliveriesSection.hidden = true;
          }
          return act(callApi('DELETE', `/webhooks/${endpoint.id}`), () => `Deleted ${endpoint.url}`);
        },
      }, 'Delete')));
}

function deliveryRow(endpoint, delivery) {
  const [last] = delivery.attemptLog;
  const reply = !last ? '' : last.statusCode !== null ? `${last.statusCode} in ${last.durationMs} ms` : last.error ?? '';
  const retry = delivery.state === 'pending' ? el('span', { class: 'muted' }, 'waiting')
    : el('button', {
      type: 'button',
      'aria-label': `Retry ${delivery.eventType}`,
      onclick: () => act(callApi('POST', `/webhooks/${endpoint.id}/deliveries/${delivery.id}/retry`), () => 'Delivery queued'),
    }, 'Retry');
  return el('tr', { dataset: { deliveryId: delivery.id, state: delivery.state } },
    el('th', { scope: 'row' }, delivery.eventType), el('td', {}, delivery.state),
    el('td', {}, String(delivery.attempts)), el('td', {}, reply),
    el('td', {}, delivery.nextAttemptAt ? formatTime(delivery.nextAttemptAt) : ''), el('td', {}, retry));
}

async function loadDeliveries(endpoint) {
  shownEndpoint = endpoint;
  deliveriesSection.hidden = false;
  const reply = await callApi('GET', `/webhooks/${endpoint.id}/deliveries`, { query: 'limit=50' });
  if (!reply.ok) {
    deliveriesBody.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'error' }, reply.error.message)));
    return;
  }
  const { deliveries } = reply.body.data;
  deliveriesTitle.textContent = `Deliveries to ${endpoint.url} (${plural(deliveries.length, 'latest delivery', 'latest deliveries')})`;
  deliveriesBody.replaceChildren(...deliveries.map((delivery) => deliveryRow(endpoint, delivery)));
}

async function load() {
  offerEvents();
  const reply = await callApi('GET', '/webhooks');
  if (!reply.ok) {
    tableBody.replaceChildren(el('tr', {}, el('td', { colspan: 5, class: 'error' }, reply.error.message)));
    return;
  }
  tableBody.replaceChildren(...reply.body.data.webhooks.map(endpointRow));
}

byId('deliveries-refresh').onclick = () => shownEndpoint && loadDeliveries(shownEndpoint);

export const webhooksView = { show: () => load() };
