// The lead filter form, read two ways: as GET /leads query parameters and as the `filters`
// object of a body (deleteAll, add-to-campaign). Comma-separated inputs are lists in a body;
// in a query string the server splits them itself.
import { byId, commaList } from './dom.mjs';

const form = byId('lead-filters');
const LIST_INPUTS = new Set(['country', 'tags', 'leadIds']);
const FILTER_INPUTS = ['search', 'status', 'emailVerificationStatus', 'country', 'tags', 'campaignId', 'createdAfter', 'createdBefore', 'leadIds'];

/** The filters as query parameters (only filled ones). */
export function filterQueryParams() {
  const params = {};
  for (const name of FILTER_INPUTS) {
    const value = form.elements[name].value.trim();
    if (value) params[name] = LIST_INPUTS.has(name) ? commaList(value).join(',') : value;
  }
  return params;
}

/** The filters as a body's `filters` object, or undefined when none is set. */
export function filterBody() {
  const filters = {};
  for (const [name, value] of Object.entries(filterQueryParams())) {
    filters[name] = LIST_INPUTS.has(name) ? commaList(value) : value;
  }
  return Object.keys(filters).length ? filters : undefined;
}

/** The chosen page size. */
export function pageSize() {
  return Number(form.elements.limit.value);
}
