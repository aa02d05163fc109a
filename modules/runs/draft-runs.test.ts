import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { countEffects } from './test-fixtures/counted-nodes';
import { asUser, buildCountedChain, buildTestNode, createRunsHarness, linkTestNodes, type RunsHarness, type TestWorkspace } from './test-fixtures/runs-harness';

/** Credentials that exist, per workspace: the credentials module's check as a stand-in. */
const KNOWN_CREDENTIALS = new Map<string, string>();

let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness({
    checkCredentials: async (_executor, workspaceId, references) =>
      new Map(references.filter((reference) => KNOWN_CREDENTIALS.get(reference.credentialId) !== workspaceId).map((reference) => [reference.nodeId, 'Credential not found in this workspace'])),
  });
});
afterAll(async () => {
  await h.close();
});

const draftRunUrl = (workspace: string, workflowId: string) => `/api/v1/workspaces/${workspace}/workflows/${workflowId}/draft-runs`;
const runUrl = (workspace: string, runId: string) => `/api/v1/workspaces/${workspace}/runs/${runId}`;

async function createDraft(graph: { nodes: unknown[]; edges: unknown[] }, settings: Record<string, unknown> = {}, workspace: TestWorkspace = h.alpha) {
  const { workflow } = await h.workflows.api.createWorkflow(workspace, h.actor, { name: 'Draft', graph: graph as never, settings });
  return workflow.id;
}

async function countRuns(): Promise<number> {
  return (await queryRows<{ n: number }>(h.database.db, sql`SELECT count(*)::int AS n FROM runs`))[0]!.n;
}

async function startDraftRun(workspace: string, workflowId: string, payload: unknown = {}, user = h.alice) {
  return h.app.inject({ method: 'POST', url: draftRunUrl(workspace, workflowId), ...asUser(user), payload: payload as Record<string, unknown> });
}

describe('draft runs', () => {
  it('runs the saved draft of a never-published workflow without publishing it, stored in full even with saving "none"', async () => {
    const workflowId = await createDraft(buildCountedChain(['c1', 'c2']), { savingPolicy: 'none' });
    const started = await startDraftRun('alpha', workflowId, { input: { order: 7 } });
    expect(started.statusCode).toBe(202);
    const { runId } = started.json() as { runId: string };
    expect(await h.runs.createRunner({ workerId: 'draft' }).runOnce()).toBe(1);

    const run = (await h.app.inject({ method: 'GET', url: runUrl('alpha', runId), ...asUser(h.alice) })).json();
    expect(run).toMatchObject({ status: 'succeeded', isDraft: true, versionId: null, versionNumber: null, triggerKind: 'manual', input: { order: 7 } });
    expect(run.steps.map((step: { nodeId: string }) => step.nodeId).sort()).toEqual(['c1', 'c2', 'reply', 'start']);
    expect(run.draftGraph.nodes.map((node: { id: string }) => node.id)).toEqual(['start', 'c1', 'c2', 'reply']);
    // Still nothing published, and the run list shows it as a draft run.
    expect((await h.workflows.api.catalog.findWorkflowRunSettings(h.alpha.id, workflowId))!.publishedVersionId).toBeNull();
    const list = (await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/alpha/runs?workflowId=${workflowId}`, ...asUser(h.alice) })).json();
    expect(list.items).toEqual([expect.objectContaining({ id: runId, isDraft: true, versionNumber: null })]);
    expect(list.items[0]).not.toHaveProperty('draftGraph');
    expect(h.audits.filter((entry) => entry.action === 'run.draft-started').map((entry) => entry.target?.id)).toContain(runId);
  });

  it('runs the draft as it was when started, not the published version nor a later edit', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1']));
    await h.workflows.api.updateWorkflow(h.alpha, h.actor, workflowId, { graph: buildCountedChain(['c1', 'extra']) as never });
    const { runId } = (await startDraftRun('alpha', workflowId)).json() as { runId: string };
    // Edited again before a runner picks the run up: the run keeps the draft it was started with.
    await h.workflows.api.updateWorkflow(h.alpha, h.actor, workflowId, { graph: buildCountedChain(['c1', 'extra', 'later']) as never });
    await h.runs.createRunner({ workerId: 'draft-snapshot' }).runOnce();
    expect(await countEffects(h.database.db, runId)).toEqual({ 'c1:start': 1, 'c1:done': 1, 'extra:start': 1, 'extra:done': 1 });
    const published = await h.workflows.api.catalog.findWorkflowRunSettings(h.alpha.id, workflowId);
    expect(published!.publishedVersion).toBe(1);

    // Retry and replay of a draft run run that same draft again.
    const retried = await h.runs.api.replayRun(h.alpha, h.actor, runId, 'extra');
    await h.runs.createRunner({ workerId: 'draft-replay' }).runOnce();
    const replay = (await h.app.inject({ method: 'GET', url: runUrl('alpha', retried.runId), ...asUser(h.alice) })).json();
    expect(replay).toMatchObject({ status: 'succeeded', isDraft: true, triggerKind: 'replay', sourceRunId: runId });
    expect(await countEffects(h.database.db, retried.runId)).toEqual({ 'extra:start': 1, 'extra:done': 1 });
  });

  it('gives a webhook trigger the request shape, or the pinned trigger payload as given', async () => {
    const workflowId = await createDraft(buildCountedChain(['c1'], { trigger: 'trigger.webhook', path: 'draft-hook' }));
    const asBody = (await startDraftRun('alpha', workflowId, { input: { name: 'Ada' } })).json().runId as string;
    const pinned = (await startDraftRun('alpha', workflowId, { input: { ignored: true }, trigger: { body: { name: 'Pin' }, query: { q: '1' }, headers: {}, method: 'PUT' } })).json().runId as string;
    const input = async (runId: string) => (await h.app.inject({ method: 'GET', url: runUrl('alpha', runId), ...asUser(h.alice) })).json().input;
    expect(await input(asBody)).toEqual({ body: { name: 'Ada' }, query: {}, headers: {}, method: 'POST' });
    expect(await input(pinned)).toEqual({ body: { name: 'Pin' }, query: { q: '1' }, headers: {}, method: 'PUT' });
    // A draft run registers no webhook address.
    expect(await h.workflows.api.catalog.listActiveWebhookTriggers(workflowId)).toEqual([]);
  });

  it('refuses a draft with problems with 422 listing them by node id, and writes nothing', async () => {
    const broken = {
      nodes: [buildTestNode('start', 'trigger.manual'), buildTestNode('odd', 'no.such.type'), buildTestNode('c1', 'test.counted', { holdMs: -5 })],
      edges: [linkTestNodes('start', 'odd'), linkTestNodes('start', 'c1')],
    };
    const workflowId = await createDraft(broken);
    const before = await countRuns();
    const refused = await startDraftRun('alpha', workflowId);
    expect([refused.statusCode, refused.json().error.code]).toEqual([422, 'WORKFLOW_INVALID']);
    const nodeIds = (refused.json().error.details as { nodeId?: string }[]).map((problem) => problem.nodeId);
    expect(nodeIds).toEqual(expect.arrayContaining(['odd', 'c1']));
    expect(await countRuns()).toBe(before);
  });

  it('checks credentials as publishing does: another workspace’s credential is refused', async () => {
    const graph = (credentialId: string) => ({
      nodes: [buildTestNode('start', 'trigger.manual'), { ...buildTestNode('call', 'http.request', { url: 'https://example.test', auth: 'bearer-token' }), credentialId }],
      edges: [linkTestNodes('start', 'call')],
    });
    KNOWN_CREDENTIALS.set('cred-of-beta', h.beta.id);
    KNOWN_CREDENTIALS.set('cred-of-alpha', h.alpha.id);
    const before = await countRuns();
    const foreign = await startDraftRun('alpha', await createDraft(graph('cred-of-beta')));
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([422, 'WORKFLOW_INVALID']);
    expect(foreign.json().error.details).toEqual([expect.objectContaining({ code: 'invalid_credential', nodeId: 'call', path: 'nodes[1].credentialId' })]);
    expect(await countRuns()).toBe(before);
    expect((await startDraftRun('alpha', await createDraft(graph('cred-of-alpha')))).statusCode).toBe(202);
  });

  it('refuses bad bodies, unknown and archived workflows', async () => {
    const workflowId = await createDraft(buildCountedChain(['c1']));
    const before = await countRuns();
    const extra = await startDraftRun('alpha', workflowId, { input: {}, publish: true });
    expect([extra.statusCode, extra.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await startDraftRun('alpha', '0195d2d0-0000-7000-8000-000000000000');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'WORKFLOW_NOT_FOUND']);
    await h.workflows.api.archiveWorkflow(h.alpha, h.actor, workflowId);
    const archived = await startDraftRun('alpha', workflowId);
    expect([archived.statusCode, archived.json().error.code]).toEqual([409, 'WORKFLOW_ARCHIVED']);
    expect(await countRuns()).toBe(before);
    // No body at all is an empty request.
    const bare = await h.app.inject({ method: 'POST', url: draftRunUrl('alpha', await createDraft(buildCountedChain(['c1']))), ...asUser(h.alice) });
    expect(bare.statusCode).toBe(202);
  });

  it('a member of workspace A cannot run a draft of workspace B, both ways, and nothing starts', async () => {
    const ofAlpha = await createDraft(buildCountedChain(['c1']));
    const ofBeta = await createDraft(buildCountedChain(['c1']), {}, h.beta);
    const before = await countRuns();
    for (const [user, ownSlug, otherSlug, otherWorkflow] of [
      [h.bob, 'beta', 'alpha', ofAlpha],
      [h.alice, 'alpha', 'beta', ofBeta],
    ] as const) {
      // Through its own workspace's URL the other workflow does not exist…
      const own = await startDraftRun(ownSlug, otherWorkflow, {}, user);
      expect([own.statusCode, own.json().error.code]).toEqual([404, 'WORKFLOW_NOT_FOUND']);
      // …and the other workspace itself is not found.
      expect((await startDraftRun(otherSlug, otherWorkflow, {}, user)).statusCode).toBe(404);
    }
    expect(await countRuns()).toBe(before);
    expect((await h.app.inject({ method: 'POST', url: draftRunUrl('alpha', ofAlpha), payload: {} })).statusCode).toBe(401);
  });
});
