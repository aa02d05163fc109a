import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { WORKFLOW_CHANGES_CHANNEL } from '@weft/workflows';
import { buildTestNode, createRunsHarness, linkTestNodes, waitFor, type RunsHarness } from './test-fixtures/runs-harness';

/** Runs that bots and parent workflows need answered now, read with cached run settings. */
let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness();
});
afterAll(async () => {
  await h.close();
});

const answeringGraph = {
  nodes: [buildTestNode('called', 'trigger.subworkflow'), buildTestNode('shape', 'transform', { mapping: { ok: 'true' } }), buildTestNode('answer', 'respond', { status: 200 })],
  edges: [linkTestNodes('called', 'shape'), linkTestNodes('shape', 'answer')],
};

const runNow = (workflowId: string) => h.runs.api.runWorkflowNow({ workspaceId: h.alpha.id, workflowId, triggerKind: 'subworkflow', input: {} });

describe('running a workflow now', () => {
  it('stops running a workflow archived in this process from the very next call', async () => {
    const { workflowId } = await h.publishWorkflow(answeringGraph);
    expect((await runNow(workflowId)).status).toBe('succeeded');
    await h.workflows.api.archiveWorkflow(h.alpha, h.actor, workflowId);
    await expect(runNow(workflowId)).rejects.toMatchObject({ code: 'WORKFLOW_ARCHIVED' });
  });

  it('forgets its cached settings when another process announces a change of the workflow', async () => {
    const { workflowId } = await h.publishWorkflow(answeringGraph);
    // On PostgreSQL the publish's own NOTIFY arrives a moment later and empties the cache: let it, then fill it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await runNow(workflowId)).status).toBe('succeeded');
    // Another process archives it: the row changes here without this process's service knowing…
    await h.database.db.execute(sql`UPDATE workflows SET archived_at = now() WHERE id = ${workflowId}`);
    expect((await runNow(workflowId)).status).toBe('succeeded'); // …so the cached settings still run it,
    await h.database.db.execute(sql`SELECT pg_notify(${WORKFLOW_CHANGES_CHANNEL}, ${workflowId})`); // until it says so.
    await waitFor(async () => ((await runNow(workflowId).catch((error: { code?: string }) => error.code)) === 'WORKFLOW_ARCHIVED' ? true : undefined), 5000, 'the archive to be seen');
  });
});
