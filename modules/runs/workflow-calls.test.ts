import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestNode, createRunsHarness, linkTestNodes, type RunsHarness } from './test-fixtures/runs-harness';

/** Sub-workflows: one workflow calls another of its workspace through "Call workflow", with a checked contract. */
let h: RunsHarness;
let calleeId: string;
beforeAll(async () => {
  h = await createRunsHarness();
  calleeId = (
    await h.publishWorkflow(
      {
        nodes: [
          buildTestNode('called', 'trigger.subworkflow', {
            inputFields: [{ name: 'email', type: 'string' }],
            outputFields: [{ name: 'domain', type: 'string' }],
          }),
          buildTestNode('split', 'transform', { mapping: { domain: '$substringAfter(email, "@")' } }),
          buildTestNode('answer', 'respond', { status: 200 }),
        ],
        edges: [linkTestNodes('called', 'split'), linkTestNodes('split', 'answer')],
      },
      { savingPolicy: 'all' },
    )
  ).workflowId;
});
afterAll(async () => {
  await h.close();
});

function callerGraph(path: string, workflowId: string, input?: unknown) {
  return {
    nodes: [
      buildTestNode('hook', 'trigger.webhook', { path, method: 'POST', mode: 'sync' }),
      buildTestNode('call', 'workflow.call', { workflowId, ...(input === undefined ? {} : { input }) }),
      buildTestNode('reply', 'respond', { status: 200 }),
    ],
    edges: [linkTestNodes('hook', 'call'), linkTestNodes('call', 'reply')],
  };
}

const post = (path: string, payload: unknown) => h.app.inject({ method: 'POST', url: `/hooks/alpha/${path}`, payload: payload as Record<string, unknown> });

describe('calling a workflow from a workflow', () => {
  it('passes the input, returns the answer and records the called run as a subworkflow run', async () => {
    await h.publishWorkflow(callerGraph('lookup', calleeId, { email: '{{ $input.body.address }}' }));
    const res = await post('lookup', { address: 'ada@example.org' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ domain: 'example.org' });
    const runs = await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId: calleeId }, 10);
    expect(runs.map((run) => run.triggerKind)).toEqual(['subworkflow']);
  });

  it('refuses an input that breaks the called workflow’s fields, before it runs', async () => {
    const before = (await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId: calleeId }, 100)).length;
    const { workflowId } = await h.publishWorkflow(callerGraph('bad-input', calleeId, { mail: 'x' }), { savingPolicy: 'all' });
    const res = await post('bad-input', {});
    expect(res.statusCode).toBe(500);
    const [run] = await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId }, 1);
    expect(run!.error).toMatchObject({ nodeId: 'call', code: 'WORKFLOW_CALL_INPUT_INVALID' });
    expect((run!.error as { message: string }).message).toContain('"email" is required');
    expect((await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId: calleeId }, 100)).length).toBe(before);
  });

  it('cannot call a workflow of another workspace, nor one that is not made to be called', async () => {
    const { workflowId: betaCallee } = await h.publishWorkflow(
      { nodes: [buildTestNode('called', 'trigger.subworkflow'), buildTestNode('answer', 'respond', { status: 200 })], edges: [linkTestNodes('called', 'answer')] },
      {},
      h.beta,
    );
    const { workflowId: crossCaller } = await h.publishWorkflow(callerGraph('cross', betaCallee), { savingPolicy: 'all' });
    await post('cross', {});
    expect((await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId: crossCaller }, 1))[0]!.error).toMatchObject({ code: 'WORKFLOW_NOT_FOUND' });

    const { workflowId: plain } = await h.publishWorkflow(
      { nodes: [buildTestNode('start', 'trigger.manual'), buildTestNode('answer', 'respond', { status: 200 })], edges: [linkTestNodes('start', 'answer')] },
    );
    const { workflowId: plainCaller } = await h.publishWorkflow(callerGraph('plain', plain), { savingPolicy: 'all' });
    await post('plain', {});
    expect((await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId: plainCaller }, 1))[0]!.error).toMatchObject({ code: 'WORKFLOW_NOT_CALLABLE' });
  });

  it('stops a workflow that calls itself at the depth limit', async () => {
    const { workflowId } = await h.publishWorkflow(
      { nodes: [buildTestNode('called', 'trigger.subworkflow'), buildTestNode('again', 'transform', { mapping: { n: '1' } })], edges: [linkTestNodes('called', 'again')] },
      { savingPolicy: 'all' },
    );
    // Point it at itself now that its id is known.
    await h.workflows.api.updateWorkflow(h.alpha, h.actor, workflowId, {
      graph: {
        nodes: [buildTestNode('called', 'trigger.subworkflow'), buildTestNode('again', 'workflow.call', { workflowId })],
        edges: [linkTestNodes('called', 'again')],
      },
    });
    await h.workflows.api.publishWorkflow(h.alpha, h.actor, workflowId, 'recursive');
    await h.publishWorkflow(callerGraph('recurse', workflowId), { savingPolicy: 'all' });
    const res = await post('recurse', {});
    expect(res.statusCode).toBe(500);
    const deepest = await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId }, 100);
    expect(deepest.length).toBe(8);
    expect(JSON.stringify(deepest.map((run) => run.error))).toContain('WORKFLOW_CALL_TOO_DEEP');
  });
});
