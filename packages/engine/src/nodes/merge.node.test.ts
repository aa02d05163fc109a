import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import type { WorkflowNode } from '../graph';
import { createMemoryRunStore } from '../run-store';
import { buildNode, linkNodes, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';

/** start → check → (true) left, (false) right; start → other; left/right/other feed the merge. */
function runMerge(merge: WorkflowNode, triggerOutput: unknown, wiring: 'both-branches' | 'condition') {
  const nodes = [
    buildNode('start', 'trigger.manual'),
    buildNode('check', 'condition', { expression: 'go' }),
    buildNode('left', 'transform', { mapping: { side: '"left"', list: '[1, 2]' } }),
    buildNode('right', 'transform', { mapping: { side: '"right"', list: '[3]' } }),
    merge,
    buildNode('after', 'transform', { mapping: { got: '$' } }),
  ];
  const edges =
    wiring === 'condition'
      ? [linkNodes('start', 'check'), linkNodes('check', 'left', 'true'), linkNodes('check', 'right', 'false'), linkNodes('left', 'join', 'main', 'a'), linkNodes('right', 'join', 'main', 'b')]
      : [linkNodes('start', 'left'), linkNodes('start', 'right'), linkNodes('left', 'join', 'main', 'a'), linkNodes('right', 'join', 'main', 'b')];
  edges.push(linkNodes('join', 'after'));
  const compiled = compileWorkflow({ nodes, edges }, createCoreNodeRegistry());
  return executeRun(compiled, { runId: 'merge', triggerOutput, store: createMemoryRunStore(), logger: silentLogger });
}

function findStep(outcome: Awaited<ReturnType<typeof runMerge>>, nodeId: string) {
  return outcome.steps.find((step) => step.nodeId === nodeId)!;
}

describe('merge', () => {
  it('waits for both branches and receives { a, b } keyed by input port', async () => {
    const outcome = await runMerge(buildNode('join', 'merge'), {}, 'both-branches');
    expect(outcome.status).toBe('succeeded');
    expect(findStep(outcome, 'join')).toMatchObject({ status: 'succeeded', output: { a: { side: 'left', list: [1, 2] }, b: { side: 'right', list: [3] } } });
    // Runs once, after both, and hands its output on.
    expect(outcome.steps.filter((step) => step.nodeId === 'join')).toHaveLength(1);
    expect(findStep(outcome, 'after').output).toEqual({ got: { a: { side: 'left', list: [1, 2] }, b: { side: 'right', list: [3] } } });
  });

  it('combines by merging objects or appending lists', async () => {
    const merged = await runMerge(buildNode('join', 'merge', { combine: 'merge-objects' }), {}, 'both-branches');
    expect(findStep(merged, 'join').output).toEqual({ side: 'right', list: [3] });
    const appended = await runMerge(buildNode('join', 'merge', { combine: 'append' }), {}, 'both-branches');
    expect(findStep(appended, 'join').output).toEqual([{ side: 'left', list: [1, 2] }, { side: 'right', list: [3] }]);
  });

  it('in wait-all mode is skipped, with everything after it, when a branch did not fire', async () => {
    const outcome = await runMerge(buildNode('join', 'merge'), { go: true }, 'condition');
    expect(outcome.status).toBe('succeeded');
    expect([findStep(outcome, 'right').status, findStep(outcome, 'join').status, findStep(outcome, 'after').status]).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('in first mode runs when either branch fired and passes that output on', async () => {
    const merge = buildNode('join', 'merge', { mode: 'first' });
    const yes = await runMerge(merge, { go: true }, 'condition');
    expect(findStep(yes, 'join')).toMatchObject({ status: 'succeeded', output: { side: 'left' } });
    const no = await runMerge(merge, { go: false }, 'condition');
    expect(findStep(no, 'join')).toMatchObject({ status: 'succeeded', output: { side: 'right' } });
    expect(findStep(no, 'after').output).toEqual({ got: { side: 'right', list: [3] } });
  });

  it('fails clearly when asked to merge something that is not an object', async () => {
    const nodes = [buildNode('start', 'trigger.manual'), buildNode('join', 'merge', { combine: 'merge-objects' })];
    const edges = [linkNodes('start', 'join', 'main', 'a')];
    const outcome = await executeRun(compileWorkflow({ nodes, edges }, createCoreNodeRegistry()), {
      runId: 'merge-list',
      triggerOutput: [1, 2],
      store: createMemoryRunStore(),
      logger: silentLogger,
    });
    expect(outcome).toMatchObject({ status: 'failed', error: { nodeId: 'join', code: 'ENGINE_MERGE_INVALID' } });
  });
});
