// The create / edit lead dialog. While the user types, the core checks the request that Save
// would send and its messages appear beside the fields — the server's own words.
import { callApi } from './api-client.mjs';
import { validateRequest } from './core-validation.mjs';
import { byId, commaList, el, openDialog } from './dom.mjs';
import { showToast } from './toast.mjs';

const dialog = byId('lead-dialog');
const form = byId('lead-form');
const summary = byId('lead-form-error');
const TEXT_FIELDS = ['email', 'phoneNumber', 'externalId', 'firstName', 'lastName', 'companyName', 'jobTitle', 'country', 'status', 'emailVerificationStatus'];

let editing = null; // the lead being edited, or null for a new one
let onSaved = () => {};

function formValues() {
  const values = {};
  for (const name of TEXT_FIELDS) values[name] = form.elements[name].value.trim();
  values.tags = commaList(form.elements.tags.value);
  return values;
}

// A new lead sends what was filled in; an edit sends what changed (a cleared field becomes null).
function requestFromForm() {
  const values = formValues();
  const body = {};
  if (!editing) {
    for (const name of TEXT_FIELDS) if (values[name]) body[name] = values[name];
    if (values.tags.length) body.tags = values.tags;
    return { method: 'POST', path: '/api/v1/leads', body };
  }
  for (const name of TEXT_FIELDS) {
    const before = editing[name] ?? '';
    if (values[name] !== before) body[name] = values[name] === '' ? null : values[name];
  }
  if (values.tags.join(',') !== (editing.tags ?? []).join(',')) body.tags = values.tags;
  return { method: 'PATCH', path: `/api/v1/leads/${editing.id}`, body };
}

function clearFieldErrors() {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}

function showProblems(error) {
  clearFieldErrors();
  summary.textContent = error ? error.message : '';
  if (!error) return;
  const problems = error.errors ?? [{ field: error.field, message: error.message }];
  for (const [index, problem] of problems.entries()) {
    const input = form.elements[problem.field?.split(/[.[]/)[0]];
    if (!input || input.getAttribute('aria-invalid')) continue;
    const id = `lead-field-error-${index}`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.closest('label').append(el('span', { class: 'field-error', id }, problem.message));
  }
}

let checkTimer = null;
let checkSerial = 0;
/** Validates the current form in the core; resolves to the error or null. */
async function check() {
  const serial = ++checkSerial;
  const { method, path, body } = requestFromForm();
  const error = await validateRequest({ method, path, body });
  if (serial === checkSerial) showProblems(error);
  return error;
}
form.addEventListener('input', () => {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 120);
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  // A live check still waiting to run would answer after the server and erase its refusal.
  clearTimeout(checkTimer);
  if (await check()) return;
  const { method, path, body } = requestFromForm();
  const reply = await callApi(method, path, { body });
  if (!reply.ok) {
    showProblems(reply.error);
    return;
  }
  const data = reply.body.data;
  const skipped = data.results?.find((result) => result.status !== 'created');
  if (skipped) {
    summary.textContent = skipped.message ?? `Not created: ${skipped.status}`;
    return;
  }
  dialog.close();
  showToast(editing ? 'Lead saved' : 'Lead created');
  await onSaved();
});

/** Opens the dialog for a new lead (`lead` null) or to edit `lead`; `saved` runs after a save. */
export function openLeadForm(lead, saved) {
  editing = lead;
  onSaved = saved;
  clearTimeout(checkTimer); // a check typed into the last form must not mark this one
  form.reset();
  clearFieldErrors();
  summary.textContent = '';
  byId('lead-dialog-title').textContent = lead ? `Edit ${lead.email ?? lead.externalId ?? lead.id}` : 'New lead';
  if (lead) {
    for (const name of TEXT_FIELDS) form.elements[name].value = lead[name] ?? '';
    form.elements.tags.value = (lead.tags ?? []).join(', ');
  }
  openDialog(dialog);
  form.elements.email.focus();
}
