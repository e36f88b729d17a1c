// Every <select data-campaign-choice> offers the workspace's campaigns (name and status).
import { callApi, toQuery } from './api-client.mjs';
import { el } from './dom.mjs';

let campaigns = [];

/** The campaigns last loaded (every page, archived included). */
export function knownCampaigns() {
  return campaigns;
}

/** Reloads the campaign list into every campaign picker, keeping each picker's choice. */
export async function refreshCampaignChoices() {
  const loaded = [];
  let cursor = '';
  do {
    const reply = await callApi('GET', '/campaigns', { query: toQuery({ limit: 100, cursor, includeArchived: true }) });
    if (!reply.ok) break;
    loaded.push(...reply.body.data.campaigns);
    cursor = reply.body.data.hasMore ? reply.body.data.nextCursor : '';
  } while (cursor);
  campaigns = loaded;
  for (const select of document.querySelectorAll('select[data-campaign-choice]')) {
    const chosen = select.value;
    const placeholder = select.options[0];
    select.replaceChildren(placeholder, ...loaded.map((campaign) =>
      el('option', { value: campaign.id }, `${campaign.name} (${campaign.status})`)));
    select.value = loaded.some((campaign) => campaign.id === chosen) ? chosen : '';
  }
}
