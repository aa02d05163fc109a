import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import { createMemoryRunStore } from '../run-store';
import { buildNode, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';

describe('trigger.manual', () => {
  it('outputs the payload it was started with', async () => {
    const compiled = compileWorkflow({ nodes: [buildNode('start', 'trigger.manual')], edges: [] }, createCoreNodeRegistry());
    const payload = { who: 'ada', items: [1, 2] };
    const outcome = await executeRun(compiled, { runId: 'm', triggerOutput: payload, store: createMemoryRunStore(), logger: silentLogger });
    expect(outcome.steps).toMatchObject([{ nodeId: 'start', status: 'succeeded', port: 'main', output: payload }]);
  });
});
