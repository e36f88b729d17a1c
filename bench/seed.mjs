// Builds the bench workspace once, through the native core (the same requests a client would
// send): leads in POSTs of 5,000, the campaigns, their memberships by tag filter.
import { expectSuccess } from './expect-success.mjs';
import { openNativeEngine } from './native-floor.mjs';
import { SEED_CAMPAIGNS, request, seedLeadRequests } from './workloads.mjs';

/** Seeds the data folder `dbPath` (a new one) with `leadCount` leads; returns {key, campaigns: {key → id}}. */
export async function seedDatabase(dbPath, leadCount, progress = () => {}) {
  const engine = openNativeEngine(dbPath);
  const boot = await engine.admin({ command: 'bootstrap' });
  const key = boot.body.data.workspaceKey;
  let done = 0;
  for (const spec of seedLeadRequests(key, leadCount)) {
    expectSuccess(await engine.request(spec), 'POST /leads');
    done += JSON.parse(spec.body).leads.length;
    if (done % 100000 === 0 || done === leadCount) progress(`seeded ${done.toLocaleString('en')} leads`);
  }
  const campaigns = {};
  for (const campaign of SEED_CAMPAIGNS) {
    const created = expectSuccess(
      await engine.request(request(key, 'POST', '/campaigns', { body: { name: campaign.name } }), { echo: true }),
      'POST /campaigns',
    );
    const id = created.body.data.id ?? created.body.data.campaign?.id;
    campaigns[campaign.key] = id;
    if (campaign.status !== 'draft') {
      expectSuccess(await engine.request(request(key, 'PATCH', `/campaigns/${id}/status`, { body: { status: campaign.status } })), 'status');
    }
    if (campaign.members !== null) {
      const filters = { tags: [campaign.members] };
      expectSuccess(await engine.request(request(key, 'POST', `/campaigns/${id}/leads`, { body: { filters } })), 'add members');
      progress(`campaign "${campaign.name}": members added`);
    }
  }
  await engine.close();
  return { key, campaigns };
}
