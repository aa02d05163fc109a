import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import { createMemoryRunStore } from '../run-store';
import { buildNode, linkNodes, runAfterTrigger, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';
import { DelayParams } from './delay.node';

describe('delay', () => {
  it('waits through the injected sleep and passes its input on', async () => {
    const waits: number[] = [];
    const outcome = await runAfterTrigger(buildNode('pause', 'delay', { ms: '{{ seconds * 1000 }}' }), { seconds: 90 }, {
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    });
    expect(waits).toEqual([90_000]);
    expect(outcome.steps[1]).toMatchObject({ status: 'succeeded', output: { seconds: 90 } });
  });

  it('really pauses with the default sleep', async () => {
    const startedAt = Date.now();
    await runAfterTrigger(buildNode('pause', 'delay', { ms: 60 }), {});
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(55);
  });

  it('ends the pause when the run is cancelled', async () => {
    const controller = new AbortController();
    const compiled = compileWorkflow(
      { nodes: [buildNode('start', 'trigger.manual'), buildNode('pause', 'delay', { ms: 120_000 })], edges: [linkNodes('start', 'pause')] },
      createCoreNodeRegistry(),
    );
    setTimeout(() => controller.abort(), 30);
    const startedAt = Date.now();
    const outcome = await executeRun(compiled, { runId: 'd', triggerOutput: {}, store: createMemoryRunStore(), logger: silentLogger, signal: controller.signal });
    expect(outcome).toMatchObject({ status: 'cancelled', error: { nodeId: 'pause' } });
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('refuses more than 5 minutes', () => {
    expect(DelayParams.safeParse({ ms: 300_001 }).success).toBe(false);
    expect(DelayParams.safeParse({ ms: 300_000 }).success).toBe(true);
  });
});
