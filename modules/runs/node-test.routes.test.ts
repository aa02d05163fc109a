import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { asUser, buildTestNode, createRunsHarness, linkTestNodes, type RunsHarness } from './test-fixtures/runs-harness';

/** "Test this node": one node of the draft runs with pinned data; nothing else runs and no run is stored. */
let h: RunsHarness;
let workflowId: string;
beforeAll(async () => {
  h = await createRunsHarness();
  const graph = {
    nodes: [
      buildTestNode('start', 'trigger.manual'),
      buildTestNode('lookup', 'test.counted', { holdMs: 0, shouldFail: false }),
      buildTestNode('price', 'transform', { mapping: { total: 'qty * $nodes.lookup.unitPrice', customer: '$trigger.customer' } }),
    ],
    edges: [linkTestNodes('start', 'lookup'), linkTestNodes('lookup', 'price')],
  };
  // A draft only: testing a node needs no published version.
  workflowId = (await h.workflows.api.createWorkflow(h.alpha, h.actor, { name: 'Pricing', graph })).workflow.id;
});
afterAll(async () => {
  await h.close();
});

const testUrl = (workspace: string, nodeId: string, id = workflowId) => `/api/v1/workspaces/${workspace}/workflows/${id}/nodes/${nodeId}/test`;

async function countRuns(): Promise<number> {
  return (await queryRows<{ n: number }>(h.database.db, sql`SELECT count(*)::int AS n FROM runs`))[0]!.n;
}

describe('testing one node', () => {
  it('runs the node with pinned input, pinned upstream outputs and trigger, and stores no run', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: testUrl('alpha', 'price'),
      ...asUser(h.alice),
      payload: { input: { qty: 3 }, nodes: { lookup: { unitPrice: 2.5 } }, trigger: { customer: 'ada' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'succeeded', output: { total: 7.5, customer: 'ada' }, port: 'main' });
    expect(res.json().durationMs).toBeGreaterThanOrEqual(0);
    expect(await countRuns()).toBe(0);
    // The upstream node was not run: its side effect table stays empty.
    expect(await queryRows(h.database.db, sql`SELECT 1 FROM test_step_effects`)).toHaveLength(0);
  });

  it('shows an expression error with the node and parameter it came from', async () => {
    const res = await h.app.inject({ method: 'POST', url: testUrl('alpha', 'price'), ...asUser(h.alice), payload: { input: { qty: 'three' }, nodes: { lookup: { unitPrice: 2 } } } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('failed');
    expect(JSON.stringify(res.json().error)).toMatch(/price/);
    expect(JSON.stringify(res.json().error)).toMatch(/mapping\.total/);
  });

  it('answers 404 for a node the draft does not have, another workspace, or a missing workflow; 400 for a bad body', async () => {
    const missingNode = await h.app.inject({ method: 'POST', url: testUrl('alpha', 'nope'), ...asUser(h.alice), payload: {} });
    expect([missingNode.statusCode, missingNode.json().error.code]).toEqual([404, 'WORKFLOW_NODE_NOT_FOUND']);
    expect((await h.app.inject({ method: 'POST', url: testUrl('alpha', 'price'), ...asUser(h.bob), payload: {} })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'POST', url: testUrl('beta', 'price'), ...asUser(h.bob), payload: {} })).statusCode).toBe(404);
    const unknownField = await h.app.inject({ method: 'POST', url: testUrl('alpha', 'price'), ...asUser(h.alice), payload: { inputs: {} } });
    expect(unknownField.statusCode).toBe(400);
  });
});
