import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import { createMemoryRunStore } from '../run-store';
import { buildNode, linkNodes, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';
import { findFieldProblems, FieldSpecs } from './subworkflow-fields';
import { SubworkflowTriggerParams } from './subworkflow-trigger.node';
import type { WorkflowCallService } from './workflow-call.node';

const registry = createCoreNodeRegistry();
const CALLEE = '0192f6c1-7a5e-7c3b-9d2e-1f4a5b6c7d8e';

function run(params: Record<string, unknown>, workflows?: WorkflowCallService) {
  const graph = {
    nodes: [buildNode('start', 'trigger.manual'), buildNode('call', 'workflow.call', params)],
    edges: [linkNodes('start', 'call')],
  };
  return executeRun(compileWorkflow(graph, registry), {
    runId: 'r',
    triggerOutput: { email: 'ada@example.org' },
    store: createMemoryRunStore(),
    logger: silentLogger,
    ...(workflows ? { services: { workflows } } : {}),
  });
}

describe('workflow.call', () => {
  it('hands the resolved input to the host and outputs the answer', async () => {
    const calls: unknown[] = [];
    const workflows: WorkflowCallService = { call: async (request) => (calls.push(request), { domain: 'example.org' }) };
    const outcome = await run({ workflowId: CALLEE, input: { address: '{{ $input.email }}' } }, workflows);
    expect(outcome.steps.at(-1)!.output).toEqual({ domain: 'example.org' });
    expect(calls).toEqual([expect.objectContaining({ workflowId: CALLEE, input: { address: 'ada@example.org' } })]);
  });

  it('passes its own input when no input is given, and fails clearly without the host service', async () => {
    const seen: unknown[] = [];
    await run({ workflowId: CALLEE }, { call: async ({ input }) => (seen.push(input), null) });
    expect(seen).toEqual([{ email: 'ada@example.org' }]);
    const outcome = await run({ workflowId: CALLEE });
    expect(outcome.error).toMatchObject({ nodeId: 'call', code: 'ENGINE_SERVICE_UNAVAILABLE' });
  });

  it('needs a workflow id', () => {
    expect(() => compileWorkflow({ nodes: [buildNode('start', 'trigger.manual'), buildNode('call', 'workflow.call', { workflowId: 'nope' })], edges: [linkNodes('start', 'call')] }, registry)).toThrow(/problem/);
  });
});

describe('sub-workflow fields', () => {
  const fields = FieldSpecs.parse([{ name: 'email', type: 'string' }, { name: 'tags', type: 'array', required: false }]);

  it('lists every missing or mistyped field and accepts extra ones', () => {
    expect(findFieldProblems(fields, { email: 'a@b.c', extra: 1 })).toEqual([]);
    expect(findFieldProblems(fields, { tags: 'x' })).toEqual(['"email" is required', '"tags" must be an array']);
    expect(findFieldProblems(fields, 'text')).toEqual(['must be an object']);
    expect(findFieldProblems([], 'anything')).toEqual([]);
  });

  it('refuses field names that are not identifiers', () => {
    expect(SubworkflowTriggerParams.safeParse({ inputFields: [{ name: '1st' }] }).success).toBe(false);
    expect(SubworkflowTriggerParams.parse({})).toEqual({ inputFields: [], outputFields: [] });
  });
});
