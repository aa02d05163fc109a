import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { asUser, buildW1Graph, createWorkflowsHarness, type WorkflowsHarness } from './test-fixtures/workflows-harness';

let h: WorkflowsHarness;
beforeAll(async () => {
  h = await createWorkflowsHarness();
});
afterAll(async () => {
  await h.close();
});

const url = (workspace: string, rest = '') => `/api/v1/workspaces/${workspace}/workflows${rest}`;

async function countWorkflows(): Promise<number> {
  const rows = await queryRows<{ n: number }>(h.database.db, sql`SELECT count(*)::int AS n FROM workflows`);
  return rows[0]!.n;
}

async function createWorkflow(userId: string, workspace: string, body: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: url(workspace), ...asUser(userId), payload: body });
}

describe('workflow drafts', () => {
  it('creates a workflow, lists it, and saves a draft with problems while reporting them', async () => {
    const created = await createWorkflow(h.alice, 'alpha', { name: 'Greeter', graph: buildW1Graph('greet') });
    expect(created.statusCode).toBe(201);
    const workflow = created.json();
    expect(workflow).toMatchObject({ name: 'Greeter', workspaceId: h.alpha.id, createdBy: h.alice, problems: [], publishedVersion: null });
    expect(workflow.settings).toEqual({ savingPolicy: 'all', concurrencyLimit: null, timeoutMs: 300_000 });

    const broken = { nodes: [...buildW1Graph('greet').nodes], edges: [{ from: 'hook', fromPort: 'main', to: 'ghost', toPort: 'main' }] };
    const patched = await h.app.inject({ method: 'PATCH', url: url('alpha', `/${workflow.id}`), ...asUser(h.alice), payload: { graph: broken } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().problems).toContainEqual(expect.objectContaining({ code: 'dangling_edge', path: 'edges[0].to' }));
    const fetched = await h.app.inject({ method: 'GET', url: url('alpha', `/${workflow.id}`), ...asUser(h.alice) });
    expect(fetched.json().draftGraph).toEqual(broken);

    const list = await h.app.inject({ method: 'GET', url: url('alpha'), ...asUser(h.alice) });
    expect(list.json().items.map((item: { id: string }) => item.id)).toContain(workflow.id);
  });

  it('pages the list newest first with a cursor', async () => {
    for (const name of ['p1', 'p2', 'p3']) await createWorkflow(h.alice, 'alpha', { name });
    const first = await h.app.inject({ method: 'GET', url: url('alpha', '?limit=2'), ...asUser(h.alice) });
    const page = first.json();
    expect(page.items.map((item: { name: string }) => item.name)).toEqual(['p3', 'p2']);
    const second = await h.app.inject({ method: 'GET', url: url('alpha', `?limit=2&cursor=${page.nextCursor}`), ...asUser(h.alice) });
    expect(second.json().items[0].name).toBe('p1');
  });

  it('changes settings and audits the change', async () => {
    const workflow = (await createWorkflow(h.alice, 'alpha', { name: 'Settings' })).json();
    const patched = await h.app.inject({
      method: 'PATCH',
      url: url('alpha', `/${workflow.id}`),
      ...asUser(h.alice),
      payload: { settings: { savingPolicy: 'failed', concurrencyLimit: 2 } },
    });
    expect(patched.json().settings).toEqual({ savingPolicy: 'failed', concurrencyLimit: 2, timeoutMs: 300_000 });
    expect(h.audits.at(-1)).toMatchObject({ action: 'workflow.settings-changed', target: { id: workflow.id } });
  });

  it('archives: the workflow leaves the list and refuses changes', async () => {
    const workflow = (await createWorkflow(h.alice, 'alpha', { name: 'Old' })).json();
    const archived = await h.app.inject({ method: 'DELETE', url: url('alpha', `/${workflow.id}`), ...asUser(h.alice) });
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archivedAt).not.toBeNull();
    const list = await h.app.inject({ method: 'GET', url: url('alpha', '?limit=200'), ...asUser(h.alice) });
    expect(list.json().items.map((item: { id: string }) => item.id)).not.toContain(workflow.id);
    const patched = await h.app.inject({ method: 'PATCH', url: url('alpha', `/${workflow.id}`), ...asUser(h.alice), payload: { name: 'x' } });
    expect(patched.statusCode).toBe(409);
    expect(patched.json().error.code).toBe('WORKFLOW_ARCHIVED');
  });
});

describe('tenant isolation', () => {
  it('a member of workspace A cannot read or change a workflow of workspace B (404 both ways)', async () => {
    const ofAlpha = (await createWorkflow(h.alice, 'alpha', { name: 'Alpha only' })).json();
    const ofBeta = (await createWorkflow(h.bob, 'beta', { name: 'Beta only' })).json();
    // Through the other workspace's URL: the workspace itself is not found.
    expect((await h.app.inject({ method: 'GET', url: url('alpha', `/${ofAlpha.id}`), ...asUser(h.bob) })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: url('beta', `/${ofBeta.id}`), ...asUser(h.alice) })).statusCode).toBe(404);
    // Through their own workspace's URL with the other's id: the workflow is not found.
    const crossed = await h.app.inject({ method: 'GET', url: url('beta', `/${ofAlpha.id}`), ...asUser(h.bob) });
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().error.code).toBe('WORKFLOW_NOT_FOUND');
    const crossedBack = await h.app.inject({ method: 'PATCH', url: url('alpha', `/${ofBeta.id}`), ...asUser(h.alice), payload: { name: 'mine now' } });
    expect(crossedBack.statusCode).toBe(404);
    const publish = await h.app.inject({ method: 'POST', url: url('alpha', `/${ofBeta.id}/publish`), ...asUser(h.alice), payload: {} });
    expect(publish.statusCode).toBe(404);
    const list = await h.app.inject({ method: 'GET', url: url('beta', '?limit=200'), ...asUser(h.bob) });
    expect(list.json().items.map((item: { id: string }) => item.id)).not.toContain(ofAlpha.id);
  });

  it('a viewer may read but not write (403), and a token needs the workflows scope', async () => {
    const workflow = (await createWorkflow(h.alice, 'alpha', { name: 'Viewed' })).json();
    expect((await h.app.inject({ method: 'GET', url: url('alpha', `/${workflow.id}`), ...asUser(h.victor) })).statusCode).toBe(200);
    const write = await h.app.inject({ method: 'PATCH', url: url('alpha', `/${workflow.id}`), ...asUser(h.victor), payload: { name: 'x' } });
    expect(write.statusCode).toBe(403);
    const token = await h.app.inject({ method: 'POST', url: url('alpha'), ...asUser(h.alice, ['workflows:read']), payload: { name: 'x' } });
    expect(token.statusCode).toBe(403);
    expect(token.json().error.details).toEqual({ requiredScope: 'workflows:write' });
    expect((await h.app.inject({ method: 'GET', url: url('alpha'), headers: {} })).statusCode).toBe(401);
  });
});

describe('bad input', () => {
  it.each([
    ['no name', { graph: { nodes: [], edges: [] } }],
    ['empty name', { name: '   ' }],
    ['unknown field', { name: 'x', owner: 'me' }],
    ['graph of the wrong shape', { name: 'x', graph: { nodes: 'many' } }],
    ['negative concurrency', { name: 'x', settings: { concurrencyLimit: 0 } }],
    ['unknown saving policy', { name: 'x', settings: { savingPolicy: 'some' } }],
  ])('refuses a workflow with %s: 400 VALIDATION_FAILED and nothing written', async (_case, body) => {
    const before = await countWorkflows();
    const reply = await createWorkflow(h.alice, 'alpha', body);
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.code).toBe('VALIDATION_FAILED');
    expect(await countWorkflows()).toBe(before);
  });

  it('refuses a malformed id (400) and an empty patch (400)', async () => {
    expect((await h.app.inject({ method: 'GET', url: url('alpha', '/not-a-uuid'), ...asUser(h.alice) })).statusCode).toBe(400);
    const workflow = (await createWorkflow(h.alice, 'alpha', { name: 'Patchy' })).json();
    const empty = await h.app.inject({ method: 'PATCH', url: url('alpha', `/${workflow.id}`), ...asUser(h.alice), payload: {} });
    expect(empty.statusCode).toBe(400);
    const fetched = await h.app.inject({ method: 'GET', url: url('alpha', `/${workflow.id}`), ...asUser(h.alice) });
    expect(fetched.json().updatedAt).toBe(workflow.updatedAt);
  });
});

describe('data rights', () => {
  it('exports the workflows a person created, then erasure cuts them loose from the person and keeps them', async () => {
    const author = h.bob;
    const created = (await createWorkflow(author, 'beta', { name: 'Mine' })).json();
    const exported = await h.workflows.dataRights.exportSubject({ userId: author });
    expect(exported.workflows!.map((row) => (row as { id: string }).id)).toContain(created.id);
    await h.workflows.dataRights.eraseSubject({ userId: author });
    expect((await h.workflows.dataRights.exportSubject({ userId: author })).workflows).toEqual([]);
    const kept = await h.app.inject({ method: 'GET', url: url('beta', `/${created.id}`), ...asUser(author) });
    expect(kept.json()).toMatchObject({ name: 'Mine', createdBy: 'erased-subject' });
  });
});
