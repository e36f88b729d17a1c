// Talks to the Leadline API with the signed-in key. The key lives in session storage: it
// survives a reload of this tab and is gone when the tab closes.
import { validateRequest } from './core-validation.mjs';

const KEY_ITEM = 'leadline.apiKey';
const WORKSPACE_ITEM = 'leadline.workspaceId';
export const API_BASE = '/api/v1';

export const session = {
  get key() { return sessionStorage.getItem(KEY_ITEM); },
  get workspaceId() { return sessionStorage.getItem(WORKSPACE_ITEM) || ''; },
  signIn(key, workspaceId) {
    sessionStorage.setItem(KEY_ITEM, key);
    if (workspaceId) sessionStorage.setItem(WORKSPACE_ITEM, workspaceId);
    else sessionStorage.removeItem(WORKSPACE_ITEM);
  },
  signOut() {
    sessionStorage.removeItem(KEY_ITEM);
    sessionStorage.removeItem(WORKSPACE_ITEM);
  },
};

function authHeaders() {
  const headers = { 'x-api-key': session.key ?? '' };
  if (session.workspaceId) headers['x-workspace-id'] = session.workspaceId;
  return headers;
}

/** Builds a query string from an object, leaving out empty values. */
export function toQuery(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  return search.toString();
}

/**
 * Sends one request. `path` is relative to /api/v1 ("/leads") or whole ("/api/v1/leads", as the
 * core's validate() takes it). Resolves to {status, ok, body,
 * error}: `body` is the parsed envelope, `error` its error object when the request failed.
 */
export async function callApi(method, path, { body, query = '' } = {}) {
  const headers = authHeaders();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = `${path.startsWith(`${API_BASE}/`) ? '' : API_BASE}${path}${query ? `?${query}` : ''}`;
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (failure) {
    return { status: 0, ok: false, body: null, error: { code: 'NETWORK', message: `The server could not be reached (${failure.message})` } };
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const error = response.ok ? null : (parsed?.error ?? { code: 'HTTP_' + response.status, message: text || response.statusText });
  return { status: response.status, ok: response.ok, body: parsed, error };
}

/**
 * Checks `request` ({method, path: "/api/v1/…", query?, body?}) with the core in the page, then
 * sends it. Same reply shape as callApi; a request the core refuses is not sent, and its reply
 * carries the core's error (the server's words).
 */
export async function sendChecked(request) {
  const invalid = await validateRequest(request);
  if (invalid) return { status: invalid.status, ok: false, body: null, error: invalid };
  return callApi(request.method, request.path, { body: request.body, query: request.query ?? '' });
}

/** Downloads a CSV export with the key in a header (a plain link cannot send one). */
export async function downloadCsv(path, query, fileName) {
  const response = await fetch(`${API_BASE}${path}?${query}`, { headers: authHeaders() });
  if (!response.ok) {
    const reply = await response.json().catch(() => null);
    throw new Error(reply?.error?.message ?? `Export failed (${response.status})`);
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return blob.size;
}
