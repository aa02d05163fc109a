import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileWorkflow } from './compile-workflow';
import { createNodeRegistry, defineNode } from './define-node';
import { executeRun } from './execute-run';
import { coreNodes } from './nodes/core-nodes';
import { createMemoryRunStore, type RunStore } from './run-store';
import { buildNode, linkNodes, silentLogger } from './workflow-fixtures';

/** Side effects per node id and idempotency key, as an external system would see them. */
const effects: string[] = [];
let failNext = new Set<string>();

const counterNode = defineNode({
  type: 'test.counter',
  version: 1,
  name: 'Counter',
  description: 'Counts its runs',
  kind: 'action',
  params: z.object({}),
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  run({ nodeId, input, idempotencyKey }) {
    effects.push(`${nodeId} ${idempotencyKey}`);
    if (failNext.delete(nodeId)) throw new Error(`${nodeId} is down`);
    const seen = (input as { path?: string[] }).path ?? [];
    return { output: { path: [...seen, `${nodeId}#${effects.length}`] } };
  },
});
const registry = createNodeRegistry([...coreNodes, counterNode]);
const compiled = compileWorkflow(
  {
    nodes: [
      buildNode('start', 'trigger.manual'),
      buildNode('c1', 'test.counter'),
      buildNode('c2', 'test.counter'),
      buildNode('c3', 'test.counter'),
      buildNode('reply', 'respond'),
    ],
    edges: [linkNodes('start', 'c1'), linkNodes('c1', 'c2'), linkNodes('c2', 'c3'), linkNodes('c3', 'reply')],
  },
  registry,
);

function count(nodeId: string): number {
  return effects.filter((effect) => effect.startsWith(`${nodeId} `)).length;
}

describe('checkpoint and resume', () => {
  it('after a crash, resuming with the same store runs only the unfinished steps', async () => {
    effects.length = 0;
    const memory = createMemoryRunStore();
    let saves = 0;
    const crashingStore: RunStore = {
      loadFinishedSteps: memory.loadFinishedSteps,
      saveStep(runId, step) {
        // The process "dies" while checkpointing the 3rd step (c2).
        if (++saves === 3) return Promise.reject(new Error('connection lost'));
        return memory.saveStep(runId, step);
      },
    };
    const options = { runId: 'r1', triggerOutput: { path: [] }, logger: silentLogger };
    await expect(executeRun(compiled, { ...options, store: crashingStore })).rejects.toThrow('connection lost');
    expect(memory.listSteps('r1').map((step) => step.nodeId)).toEqual(['start', 'c1']);

    const outcome = await executeRun(compiled, { ...options, store: memory });
    expect(outcome.status).toBe('succeeded');
    // c1 finished before the crash: never again. c2 was in flight: run again, with the same key.
    expect([count('c1'), count('c2'), count('c3')]).toEqual([1, 2, 1]);
    expect(effects.filter((effect) => effect.startsWith('c2 '))).toEqual(['c2 r1:c2', 'c2 r1:c2']);
    // c2 resumed from c1's stored output, not from a fresh c1.
    expect(outcome.response).toMatchObject({ body: { path: ['c1#1', 'c2#3', 'c3#4'] } });
    expect(outcome.steps.map((step) => step.nodeId)).toEqual(['start', 'c1', 'c2', 'c3', 'reply']);
  });

  it('resumes a failed run from the failed step', async () => {
    effects.length = 0;
    failNext = new Set(['c3']);
    const store = createMemoryRunStore();
    const options = { runId: 'r2', triggerOutput: {}, logger: silentLogger, store };
    const failed = await executeRun(compiled, options);
    expect(failed).toMatchObject({ status: 'failed', error: { nodeId: 'c3', message: 'c3 is down' } });
    expect(store.listSteps('r2').map((step) => `${step.nodeId}:${step.status}`)).toEqual([
      'start:succeeded',
      'c1:succeeded',
      'c2:succeeded',
      'c3:failed',
    ]);

    const resumed = await executeRun(compiled, options);
    expect(resumed.status).toBe('succeeded');
    expect([count('c1'), count('c2'), count('c3')]).toEqual([1, 1, 2]);
    expect(store.listSteps('r2').map((step) => `${step.nodeId}:${step.status}`)).toEqual([
      'start:succeeded',
      'c1:succeeded',
      'c2:succeeded',
      'c3:succeeded',
      'reply:succeeded',
    ]);
  });

  it('does nothing again for a run that already finished, and still reports its response', async () => {
    effects.length = 0;
    const store = createMemoryRunStore();
    const options = { runId: 'r3', triggerOutput: {}, logger: silentLogger, store };
    const first = await executeRun(compiled, options);
    const again = await executeRun(compiled, options);
    expect(again).toEqual(first);
    expect(effects).toHaveLength(3);
  });
});
