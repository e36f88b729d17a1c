// Campaigns through the console: create, add leads in all three modes (SendKit's three modes) with a
// preview first, status controls and the membership chart, members, and the cascade delete
// (Smartlead's cascade delete) with its impact report, "export CSV first" and Undo.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { apiData } from '../host/helpers.mjs';
import { openConsole } from './browser.mjs';

let ui;
let leadIds;
before(async () => {
  ui = await openConsole();
  const created = await apiData(ui.server, 'POST', '/api/v1/leads', {
    leads: Array.from({ length: 12 }, (_, i) => ({ email: `member${i}@example.com`, firstName: `Member${i}`, tags: [i < 4 ? 'hot' : 'cold'] })),
  });
  leadIds = created.results.map((result) => result.id);
  await ui.signIn();
});
after(() => ui.close());

async function campaignByName(name) {
  return (await apiData(ui.server, 'GET', '/api/v1/campaigns?includeArchived=true&limit=100')).campaigns.find((c) => c.name === name);
}
async function memberIds(campaignId) {
  return (await apiData(ui.server, 'GET', `/api/v1/campaigns/${campaignId}/leads?limit=100`)).leads.map((m) => m.leadId).sort();
}
const row = (name) => ui.page.locator('#campaigns-table tbody tr').filter({ has: ui.page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });

async function selectLeads(emails) {
  const { page } = ui;
  await page.getByRole('tab', { name: 'Leads' }).click();
  for (const email of emails) await page.getByRole('checkbox', { name: `Select ${email}` }).check();
}

async function addThroughDialog(campaignId, mode, emailsText = '') {
  const { page } = ui;
  const dialog = page.locator('#add-dialog');
  await page.getByRole('button', { name: 'Add to campaign…' }).click();
  await dialog.getByLabel('Campaign', { exact: true }).selectOption(campaignId);
  await dialog.getByLabel(mode).check();
  if (emailsText) await dialog.getByLabel(/Emails to add/).fill(emailsText);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = await dialog.locator('#add-preview-summary').textContent();
  await dialog.getByRole('button', { name: 'Add to campaign' }).click();
  const result = await dialog.locator('#add-result-summary').textContent();
  await dialog.getByRole('button', { name: 'Close' }).click();
  return { preview, result };
}

test('a campaign is created from the form and listed as a draft with an empty chart', async () => {
  const { page } = ui;
  await page.getByRole('tab', { name: 'Campaigns' }).click();
  await page.getByLabel('New campaign name').fill('Q1 Outreach');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await row('Q1 Outreach').waitFor();
  assert.equal(await row('Q1 Outreach').locator('.campaign-status').textContent(), 'draft');
  assert.match(await row('Q1 Outreach').locator('figcaption').textContent(), /no members/);
  assert.ok(await campaignByName('Q1 Outreach'));
});

test('leads are added in all three modes, each previewed before it runs', async () => {
  const { page } = ui;
  const campaign = await campaignByName('Q1 Outreach');

  // 1. Explicit: two selected leads plus one unknown email (which creates a lead).
  await selectLeads(['member0@example.com', 'member1@example.com']);
  const explicit = await addThroughDialog(campaign.id, 'The selected leads, plus these emails', 'brand.new@example.com');
  assert.match(explicit.preview, /^3 leads would be added, 0 already in the campaign, 1 created from new emails/);
  assert.match(explicit.result, /^3 leads added/);
  const created = (await apiData(ui.server, 'GET', '/api/v1/leads?search=brand.new')).leads[0];
  assert.deepEqual(await memberIds(campaign.id), [leadIds[0], leadIds[1], created.id].sort());

  // 2. By the current filters: tag "hot" (member0-3; two are in already).
  await page.locator('#lead-filters').getByLabel('Tags, any of (comma-separated)').fill('hot');
  await page.locator('#lead-filters').getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('checkbox', { name: 'Select member4@example.com' }).waitFor({ state: 'detached' });
  const byFilter = await addThroughDialog(campaign.id, 'Every lead matching the current filters');
  assert.match(byFilter.preview, /^2 leads would be added, 2 already in the campaign, 4 matched/);
  assert.equal((await memberIds(campaign.id)).length, 5);
  await page.locator('#lead-filters').getByRole('button', { name: 'Clear' }).click();

  // 3. selectAll, except the selected lead (member11).
  await page.getByRole('checkbox', { name: 'Select member11@example.com' }).waitFor();
  await page.getByRole('checkbox', { name: 'Select member0@example.com' }).uncheck();
  await page.getByRole('checkbox', { name: 'Select member1@example.com' }).uncheck();
  await page.getByRole('checkbox', { name: 'Select member11@example.com' }).check();
  const everyone = await addThroughDialog(campaign.id, 'Every lead in the workspace except the selected ones');
  assert.match(everyone.preview, /^7 leads would be added, 5 already in the campaign, 12 matched/);
  const members = await memberIds(campaign.id);
  assert.equal(members.length, 12);
  assert.ok(!members.includes(leadIds[11]));
  await page.getByRole('checkbox', { name: 'Select member11@example.com' }).uncheck();
});

test('status controls move the campaign, the chart follows, and a refused move shows the server\'s reason', async () => {
  const { page, server } = ui;
  const campaign = await campaignByName('Q1 Outreach');
  await page.getByRole('tab', { name: 'Campaigns' }).click();
  // The tab reloads the list: the chart now counts the twelve pending members.
  await row('Q1 Outreach').locator('figcaption', { hasText: 'pending 12' }).waitFor();

  // Previewed first: starting the campaign activates its twelve pending members.
  await page.getByLabel('New status for Q1 Outreach').selectOption('active');
  await page.getByRole('button', { name: 'Change status of Q1 Outreach' }).click();
  const dialog = page.locator('#preview-dialog');
  await dialog.locator('#preview-summary', { hasText: '12 memberships will change (draft → active).' }).waitFor();
  assert.equal((await campaignByName('Q1 Outreach')).status, 'draft', 'the preview changed nothing');
  await dialog.getByRole('button', { name: 'Change status' }).click();
  await page.locator('#toast-text', { hasText: 'Q1 Outreach: draft → active (12 memberships updated)' }).waitFor();
  await row('Q1 Outreach').locator('.campaign-status', { hasText: 'active' }).waitFor();
  assert.equal(await row('Q1 Outreach').locator('.legend[data-status=active]').textContent(), 'active 12');
  assert.equal(await row('Q1 Outreach').locator('rect[data-status=active]').count(), 1);
  await ui.screenshot('campaigns');

  // active → draft is not a transition: the preview shows the server's 422 message and cannot be confirmed.
  await page.getByLabel('New status for Q1 Outreach').selectOption('draft');
  await page.getByRole('button', { name: 'Change status of Q1 Outreach' }).click();
  const refused = await server.request('PATCH', `/api/v1/campaigns/${campaign.id}/status`, { body: { status: 'draft' } });
  assert.equal(refused.status, 422);
  await dialog.getByRole('alert').filter({ hasText: refused.body.error.message }).waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Change status' }).isDisabled(), true);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await campaignByName('Q1 Outreach')).status, 'active');

  // Members, filtered by membership status.
  await page.getByRole('button', { name: 'Members of Q1 Outreach' }).click();
  const members = page.locator('#members-table tbody tr');
  await members.nth(11).waitFor();
  assert.equal(await members.count(), 12);
  await page.getByLabel('Membership status').selectOption('paused');
  await members.first().waitFor({ state: 'detached' });
  assert.equal(await members.count(), 0);
  await page.locator('#members-dialog').getByRole('button', { name: 'Close' }).click();
});

test('deleting a campaign shows its impact first, offers the CSV, and can be undone', async () => {
  const { page, server } = ui;
  const campaign = await campaignByName('Q1 Outreach');
  await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/sequences`, { subject: 'Hi', body: 'Hello there' });
  await apiData(server, 'POST', `/api/v1/campaigns/${campaign.id}/webhooks`, { url: 'https://example.com/hook', events: ['email.replied'] });
  await page.getByRole('tab', { name: 'Leads' }).click();
  await page.getByRole('tab', { name: 'Campaigns' }).click();

  await page.getByRole('button', { name: 'Delete campaign Q1 Outreach' }).click();
  const dialog = page.locator('#preview-dialog');
  // Active: refused until forced — the server's words.
  await dialog.getByText(/^Campaign is active\. Stop it first/).waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Delete campaign' }).isDisabled(), true);
  await dialog.getByLabel(/Delete it while it is active/).check();
  await dialog.locator('#campaign-impact').waitFor();
  const impact = Object.fromEntries(await dialog.locator('#campaign-impact li').evaluateAll((items) => items.map((li) => [li.dataset.kind, li.textContent])));
  assert.equal(impact.leadMemberships, '12 lead memberships');
  assert.equal(impact.sequences, '1 sequence step');
  assert.equal(impact.webhooks, '1 webhook');
  assert.equal(await dialog.locator('#preview-sample tbody tr').count(), 10);
  await ui.screenshot('campaign-delete-preview');

  // Export CSV first: the campaign's members as a CSV download.
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('link', { name: 'Export CSV first' }).click();
  const download = await downloading;
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(download.suggestedFilename(), 'Q1 Outreach-leads.csv');
  assert.equal(csv.trim().split('\r\n').length, 13);
  assert.match(csv, /member0@example\.com/);
  assert.ok(await campaignByName('Q1 Outreach'), 'exporting deleted nothing');

  await dialog.getByRole('button', { name: 'Delete campaign' }).click();
  await page.locator('#toast-text', { hasText: 'Campaign deleted successfully' }).waitFor();
  await row('Q1 Outreach').waitFor({ state: 'detached' });
  assert.equal(await campaignByName('Q1 Outreach'), undefined);
  assert.equal((await apiData(server, 'GET', '/api/v1/leads?limit=100')).leads.length, 13, 'the leads stay');

  // Undo brings the campaign back with its members and owned rows.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.locator('#toast-text', { hasText: /^Restored / }).waitFor();
  const restored = await campaignByName('Q1 Outreach');
  assert.equal(restored.id, campaign.id);
  assert.equal(restored.leadCounts.total, 12);
  await row('Q1 Outreach').waitFor();
});
