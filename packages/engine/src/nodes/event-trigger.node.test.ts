import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import { createMemoryRunStore } from '../run-store';
import { validateGraph } from '../validate-graph';
import { buildNode, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';
import { EventTriggerParams } from './event-trigger.node';

const registry = createCoreNodeRegistry();
const graphWith = (params: Record<string, unknown>) => ({ nodes: [buildNode('on', 'trigger.event', params)], edges: [] });

describe('trigger.event', () => {
  it('accepts an exposed event with an optional filter', () => {
    expect(EventTriggerParams.parse({ event: 'workspaces.member.removed', filter: 'reason = "left"' })).toEqual({ event: 'workspaces.member.removed', filter: 'reason = "left"' });
    expect(validateGraph(graphWith({ event: 'accounts.user.signed-up' }), registry)).toEqual([]);
  });

  it('refuses an event that is not exposed, at its param', () => {
    expect(validateGraph(graphWith({ event: 'billing.invoice.paid' }), registry)).toEqual([
      expect.objectContaining({ code: 'invalid_param', nodeId: 'on', path: 'nodes[0].params.event' }),
    ]);
  });

  it('reports a filter that does not compile at the filter param', () => {
    expect(validateGraph(graphWith({ event: 'workflows.version.published', filter: 'version >' }), registry)).toEqual([
      expect.objectContaining({ code: 'invalid_expression', nodeId: 'on', path: 'nodes[0].params.filter' }),
    ]);
  });

  it('outputs the event it was started by', async () => {
    const event = { event: 'workspaces.member.removed', eventId: 'e1', payload: { workspaceId: 'w', userId: 'u', reason: 'left' } };
    const compiled = compileWorkflow(graphWith({ event: 'workspaces.member.removed' }), registry);
    const outcome = await executeRun(compiled, { runId: 'e', triggerOutput: event, store: createMemoryRunStore(), logger: silentLogger });
    expect(outcome.steps).toMatchObject([{ nodeId: 'on', status: 'succeeded', output: event }]);
  });
});
