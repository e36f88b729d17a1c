// The main flows of every vendor-compatible endpoint, driven through a client generated from the
// OpenAPI document (openapi-typescript types + openapi-fetch). It compiles only while the
// document describes these calls and replies as this code uses them; tests/host/
// generated-client.test.mjs runs it against a real server.
import createClient from 'openapi-fetch';
import type { paths } from '../../build/client/schema.js';

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`generated client flow: ${message}`);
}

type Client = ReturnType<typeof createClient<paths>>;

async function createLeads(api: Client, emails: string[], campaignId?: string): Promise<string[]> {
  const { data, error } = await api.POST('/leads', { body: { leads: emails.map((email) => ({ email, externalId: `ext-${email}` })) } });
  expect(!error && data !== undefined, `POST /leads: ${JSON.stringify(error)}`);
  const created = data.data;
  expect('results' in created, 'a batch create replies with results');
  const ids = (created.results ?? []).map((result) => result.id ?? '');
  if (campaignId) {
    const added = await api.POST('/campaigns/{id}/leads', {
      params: { path: { id: campaignId } },
      body: { leads: ids.map((leadId) => ({ leadId })) },
    });
    expect(added.data?.data.added === ids.length, 'explicit add');
  }
  return ids;
}

async function createCampaign(api: Client, name: string): Promise<string> {
  const { data } = await api.POST('/campaigns', { body: { name } });
  expect(data !== undefined, 'POST /campaigns');
  return data.data.id ?? '';
}

/** Runs every flow against `baseUrl` with `key`; throws on the first unexpected reply. */
export async function runCompatFlows(baseUrl: string, key: string): Promise<string[]> {
  const headers = { 'X-Api-Key': key };
  const api = createClient<paths>({ baseUrl: `${baseUrl}/api/v1`, headers });
  // SendKit's clients call /v1 with the key in both headers.
  const sendkit = createClient<paths>({ baseUrl: `${baseUrl}/v1`, headers: { ...headers, Authorization: `Bearer ${key}` } });
  const ran: string[] = [];

  // SendKit: DELETE /v1/leads by ids (one foreign id among them), then by filter with excludeIds.
  {
    const ids = await createLeads(api, ['sk-a@example.com', 'sk-b@example.com', 'sk-c@example.com']);
    const { data } = await sendkit.DELETE('/leads', { body: { leadIds: [ids[0] ?? '', '665d4e5f6a7b8c9d0e1f2a3b'] } });
    expect(data !== undefined && 'deletedCount' in data.data, 'SendKit delete by ids answers inline');
    expect(data.data.deletedCount === 1, 'SendKit delete by ids');
    expect(JSON.stringify(data.data.notFoundIds) === JSON.stringify(['665d4e5f6a7b8c9d0e1f2a3b']), 'foreign id not found');
    const preview = await sendkit.DELETE('/leads', {
      body: { deleteAll: true, filters: { search: 'sk-' }, excludeIds: [ids[1] ?? ''], dryRun: true },
    });
    expect(preview.data !== undefined && 'dryRun' in preview.data.data, 'SendKit delete-all preview answers inline');
    expect(preview.data.data.dryRun === true && preview.data.data.deletedCount === 1, 'SendKit delete-all preview');
    ran.push('SendKit DELETE /v1/leads');
  }

  // SendKit: add leads to a campaign in its three modes, then the active-campaign protection.
  {
    const campaign = await createCampaign(api, 'Generated client');
    const ids = await createLeads(api, ['mode-a@example.com', 'mode-b@example.com', 'mode-c@example.com']);
    const explicit = await sendkit.POST('/campaigns/{id}/leads', {
      params: { path: { id: campaign } },
      body: { leads: [{ leadId: ids[0] ?? '' }, { email: 'mode-new@example.com' }] },
    });
    expect(explicit.data?.data.added === 2 && explicit.data.data.created === 1, 'explicit mode');
    const filtered = await sendkit.POST('/campaigns/{id}/leads', {
      params: { path: { id: campaign } },
      body: { filters: { search: 'mode-b' } },
    });
    expect(filtered.data?.data.added === 1 && filtered.data.data.matched === 1, 'filter mode');
    const everyone = await sendkit.POST('/campaigns/{id}/leads', {
      params: { path: { id: campaign } },
      body: { selectAll: true, excludeIds: [ids[2] ?? ''], dryRun: true },
    });
    expect(everyone.data?.data.dryRun === true, 'selectAll preview');
    const started = await api.PATCH('/campaigns/{id}/status', { params: { path: { id: campaign } }, body: { status: 'START' } });
    expect(started.data?.data.status === 'active', 'START');
    const refused = await sendkit.DELETE('/leads', { body: { leadIds: [ids[0] ?? ''] } });
    expect(refused.response.status === 400 && refused.error?.error.code === 'VALIDATION_ERROR', 'protected lead');
    const forced = await sendkit.DELETE('/leads', { body: { leadIds: [ids[0] ?? ''], force: true } });
    expect(forced.data !== undefined && 'deletedCount' in forced.data.data && forced.data.data.deletedCount === 1, 'forced delete');
    ran.push('SendKit POST /v1/campaigns/{id}/leads');
  }

  // One lead by id: the documented reply, and 404 with details for an unknown id.
  {
    const [id] = await createLeads(api, ['one@example.com']);
    const { data } = await api.DELETE('/leads/{id}', { params: { path: { id: id ?? '' } } });
    expect(data?.message === 'Lead deleted successfully' && data.data.id === id, 'DELETE /leads/{id}');
    const missing = await api.DELETE('/leads/{id}', { params: { path: { id: id ?? '' } } });
    expect(missing.response.status === 404 && missing.error?.error.code === 'LEAD_NOT_FOUND', 'deleted twice is 404');
    ran.push('DELETE /api/v1/leads/{leadId}');
  }

  // Lupitor: bulk delete by externalId inside a campaign, through both paths.
  {
    const campaign = await createCampaign(api, 'Lupitor');
    await createLeads(api, ['lp-a@example.com', 'lp-b@example.com'], campaign);
    const first = await api.POST('/leads/bulk-delete', {
      body: { campaignId: campaign, leads: [{ externalId: 'ext-lp-a@example.com' }, { externalId: 'nope' }] },
    });
    expect(first.data?.data.deleted === 1 && first.data.data.notFound === 1, 'bulk delete');
    const alias = await api.POST('/records/bulk-delete', { body: { campaignId: campaign, leads: [{ externalId: 'ext-lp-b@example.com' }] } });
    expect(alias.data?.data.deleted === 1, 'records alias');
    ran.push("Lupitor's bulk delete");
  }

  // Smartlead: stop first, then delete the campaign with everything it owns (key in the query).
  {
    const campaign = await createCampaign(api, 'Smartlead');
    await createLeads(api, ['sl-a@example.com'], campaign);
    // The key as Smartlead's clients send it: ?api_key= (a security scheme, not a parameter).
    const smartlead = createClient<paths>({ baseUrl: `${baseUrl}/api/v1` });
    smartlead.use({
      onRequest({ request }) {
        const url = new URL(request.url);
        url.searchParams.set('api_key', key);
        return new Request(url, request);
      },
    });
    const stopped = await smartlead.PATCH('/campaigns/{id}/status', { params: { path: { id: campaign } }, body: { status: 'STOPPED' } });
    expect(stopped.data?.data.status === 'stopped', 'STOPPED');
    const deleted = await smartlead.DELETE('/campaigns/{id}', { params: { path: { id: campaign } } });
    expect(deleted.data?.message === 'Campaign deleted successfully' && deleted.data.data.deleted?.leadMemberships === 1, 'campaign delete');
    ran.push("Smartlead's campaign delete");
  }
  return ran;
}
