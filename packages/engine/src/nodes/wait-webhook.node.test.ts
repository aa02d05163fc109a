import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import { createMemoryRunStore } from '../run-store';
import { buildNode, linkNodes, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';
import { WaitWebhookParams } from './wait-webhook.node';

const registry = createCoreNodeRegistry();

function runWait(params: Record<string, unknown>, store = createMemoryRunStore(), resumeInput?: { nodeId: string; payload?: unknown; cause?: 'callback' | 'time' }) {
  const graph = {
    nodes: [buildNode('start', 'trigger.manual'), buildNode('hold', 'wait.webhook', params), buildNode('late', 'transform', { mapping: { late: 'true' } })],
    edges: [linkNodes('start', 'hold'), linkNodes('hold', 'late', 'timeout')],
  };
  return executeRun(compileWorkflow(graph, registry), {
    runId: 'ww',
    triggerOutput: { ticket: 3 },
    store,
    logger: silentLogger,
    canSuspend: true,
    ...(resumeInput ? { resumeInput } : {}),
  });
}

describe('wait.webhook', () => {
  it('suspends with a fresh unguessable token per run and resumeAt = now + timeout', async () => {
    const startedAt = Date.now();
    const [one, two] = await Promise.all([runWait({ timeoutSeconds: 60 }), runWait({ timeoutSeconds: 60 })]);
    expect(one.wait!.callbackToken).not.toEqual(two.wait!.callbackToken);
    expect(one.wait!.callbackToken!.length).toBeGreaterThanOrEqual(43);
    const resumeAt = one.wait!.resumeAt!.getTime();
    expect(resumeAt).toBeGreaterThanOrEqual(startedAt + 60_000);
    expect(resumeAt).toBeLessThan(Date.now() + 61_000);
  });

  it('outputs the callback payload on "main"', async () => {
    const store = createMemoryRunStore();
    await runWait({}, store);
    const outcome = await runWait({}, store, { nodeId: 'hold', payload: { ok: 1 } });
    expect(outcome.steps[1]).toMatchObject({ status: 'succeeded', port: 'main', output: { ok: 1 } });
    expect(outcome.steps[2]).toMatchObject({ nodeId: 'late', status: 'skipped' });
  });

  it('with onTimeout "continue" passes its input on through "timeout" when time runs out', async () => {
    const store = createMemoryRunStore();
    await runWait({ onTimeout: 'continue' }, store);
    const outcome = await runWait({ onTimeout: 'continue' }, store, { nodeId: 'hold', cause: 'time' });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[1]).toMatchObject({ port: 'timeout', output: { ticket: 3 } });
    expect(outcome.steps[2]).toMatchObject({ status: 'succeeded', output: { late: true } });
  });

  it('keeps the timeout between 1 second and 30 days', () => {
    expect(WaitWebhookParams.parse({})).toEqual({ timeoutSeconds: 86_400, onTimeout: 'fail' });
    expect(WaitWebhookParams.safeParse({ timeoutSeconds: 0 }).success).toBe(false);
    expect(WaitWebhookParams.safeParse({ timeoutSeconds: 31 * 86_400 }).success).toBe(false);
  });
});
