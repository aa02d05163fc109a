import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import { createMemoryRunStore } from '../run-store';
import { buildNode, linkNodes, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';

const registry = createCoreNodeRegistry();
const graph = {
  nodes: [buildNode('start', 'trigger.manual'), buildNode('later', 'wait.until', { until: '{{ remindAt }}' })],
  edges: [linkNodes('start', 'later')],
};

function runWait(remindAt: unknown, store = createMemoryRunStore(), resume = false) {
  return executeRun(compileWorkflow(graph, registry), {
    runId: 'wu',
    triggerOutput: { remindAt },
    store,
    logger: silentLogger,
    canSuspend: true,
    ...(resume ? { resumeInput: { nodeId: 'later', cause: 'time' as const } } : {}),
  });
}

describe('wait.until', () => {
  it('suspends until a future date given as ISO text or epoch milliseconds', async () => {
    const at = new Date(Date.now() + 3_600_000);
    for (const remindAt of [at.toISOString(), at.getTime()]) {
      const outcome = await runWait(remindAt);
      expect(outcome).toMatchObject({ status: 'waiting', wait: { nodeId: 'later', resumeAt: at } });
      expect(outcome.wait!.callbackToken).toBeUndefined();
    }
  });

  it('goes on at once, with its input, when the date has passed', async () => {
    const outcome = await runWait('2001-01-01T00:00:00Z');
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[1]).toMatchObject({ status: 'succeeded', output: { remindAt: '2001-01-01T00:00:00Z' } });
  });

  it('waits again when the host wakes it too early, and goes on once the time has come', async () => {
    const store = createMemoryRunStore();
    const soon = new Date(Date.now() + 1500).toISOString();
    await runWait(soon, store);
    const early = await runWait(soon, store, true);
    expect(early).toMatchObject({ status: 'waiting', wait: { nodeId: 'later' } });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const onTime = await runWait(soon, store, true);
    expect(onTime.status).toBe('succeeded');
  });

  it('fails on a date that is not one, or more than a year ahead', async () => {
    const invalid = await runWait('next tuesday-ish');
    expect(invalid).toMatchObject({ status: 'failed', error: { nodeId: 'later', code: 'ENGINE_PARAMS_INVALID' } });
    const far = await runWait(Date.now() + 400 * 86_400_000);
    expect(far).toMatchObject({ status: 'failed', error: { code: 'ENGINE_PARAMS_INVALID', message: expect.stringContaining('more than a year') } });
  });
});
