import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileWorkflow } from './compile-workflow';
import { createNodeRegistry, defineNode } from './define-node';
import { executeRun, type ExecuteRunOptions } from './execute-run';
import type { WorkflowGraph, WorkflowNode } from './graph';
import { coreNodes } from './nodes/core-nodes';
import { createMemoryRunStore } from './run-store';
import { buildNode, linkNodes, silentLogger } from './workflow-fixtures';

const calls: { nodeId: string; attempt: number; key: string }[] = [];
const signals: AbortSignal[] = [];

/** Fails its first `failures` attempts, then succeeds. */
const flakyNode = defineNode({
  type: 'test.flaky',
  version: 1,
  name: 'Flaky',
  description: 'Fails a few times',
  kind: 'action',
  params: z.object({ failures: z.number().int().default(0) }),
  ports: { inputs: ['main'], outputs: ['main'] },
  run({ nodeId, attempt, idempotencyKey, params }) {
    calls.push({ nodeId, attempt, key: idempotencyKey });
    if (attempt <= params.failures) throw new Error(`attempt ${attempt} failed`);
    return { output: { attempt } };
  },
});

/** Never finishes on its own and ignores its signal, like a stuck HTTP call. */
const stuckNode = defineNode({
  type: 'test.stuck',
  version: 1,
  name: 'Stuck',
  description: 'Never returns',
  kind: 'action',
  params: z.object({}),
  ports: { inputs: ['main'], outputs: ['main'] },
  run({ nodeId, attempt, idempotencyKey, signal }) {
    calls.push({ nodeId, attempt, key: idempotencyKey });
    signals.push(signal);
    return new Promise(() => {});
  },
});
const registry = createNodeRegistry([...coreNodes, flakyNode, stuckNode]);

function buildChain(middle: WorkflowNode): WorkflowGraph {
  return {
    nodes: [buildNode('start', 'trigger.manual'), middle, buildNode('after', 'test.flaky')],
    edges: [linkNodes('start', middle.id), linkNodes(middle.id, 'after')],
  };
}

function runGraph(graph: WorkflowGraph, overrides: Partial<ExecuteRunOptions> = {}) {
  calls.length = 0;
  signals.length = 0;
  return executeRun(compileWorkflow(graph, registry), {
    runId: 'run-9',
    triggerOutput: {},
    store: createMemoryRunStore(),
    logger: silentLogger,
    ...overrides,
  });
}

describe('retries', () => {
  it('succeeds on the 3rd attempt, records attempts=3 and waits with capped, jittered backoff', async () => {
    const delays: number[] = [];
    const retry = { attempts: 3, backoffMs: 100, maxBackoffMs: 150 };
    const outcome = await runGraph(buildChain(buildNode('flaky', 'test.flaky', { failures: 2 }, { retry })), {
      sleep: (ms) => (delays.push(ms), Promise.resolve()),
      random: () => 0.999,
    });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[1]).toMatchObject({ nodeId: 'flaky', status: 'succeeded', attempts: 3, output: { attempt: 3 } });
    // Full jitter below min(cap, base·2^(n-1)): 100 then 200 capped at 150.
    expect(delays).toEqual([99, 149]);
    expect(calls.filter((call) => call.nodeId === 'flaky')).toEqual([1, 2, 3].map((attempt) => ({ nodeId: 'flaky', attempt, key: 'run-9:flaky' })));
  });

  it('fails after the last attempt with the last error', async () => {
    const retry = { attempts: 2, backoffMs: 1, maxBackoffMs: 1 };
    const outcome = await runGraph(buildChain(buildNode('flaky', 'test.flaky', { failures: 5 }, { retry })), { sleep: () => Promise.resolve() });
    expect(outcome).toMatchObject({ status: 'failed', error: { nodeId: 'flaky', message: 'attempt 2 failed' } });
    expect(outcome.steps[1]).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('retries a step that exceeds its own timeout, then fails it with ENGINE_STEP_TIMED_OUT', async () => {
    const retry = { attempts: 2, backoffMs: 0, maxBackoffMs: 0 };
    const outcome = await runGraph(buildChain(buildNode('stuck', 'test.stuck', {}, { retry, timeoutMs: 20 })));
    expect(outcome).toMatchObject({ status: 'failed', error: { nodeId: 'stuck', code: 'ENGINE_STEP_TIMED_OUT' } });
    expect(outcome.steps[1]).toMatchObject({ attempts: 2 });
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
  });
});

describe('cancellation', () => {
  it('stops before the next step once the signal is aborted', async () => {
    const controller = new AbortController();
    const memory = createMemoryRunStore();
    const store = {
      loadFinishedSteps: memory.loadFinishedSteps,
      async saveStep(runId: string, step: Parameters<typeof memory.saveStep>[1]) {
        await memory.saveStep(runId, step);
        if (step.nodeId === 'first') controller.abort();
      },
    };
    const graph = buildChain(buildNode('first', 'test.flaky'));
    const outcome = await runGraph(graph, { signal: controller.signal, store });
    expect(outcome).toMatchObject({ status: 'cancelled', error: { nodeId: 'after' } });
    expect(outcome.steps.map((step) => step.nodeId)).toEqual(['start', 'first']);
    expect(calls.map((call) => call.nodeId)).toEqual(['first']);
  });

  it('abandons the step in flight and aborts its signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const outcome = await runGraph(buildChain(buildNode('stuck', 'test.stuck')), { signal: controller.signal });
    expect(outcome).toMatchObject({ status: 'cancelled', error: { nodeId: 'stuck', code: 'ENGINE_RUN_CANCELLED' } });
    expect(outcome.steps[1]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(signals[0]!.aborted).toBe(true);
    expect(calls.map((call) => call.nodeId)).toEqual(['stuck']);
  });

  it('does not retry once cancelled during the backoff', async () => {
    const controller = new AbortController();
    const retry = { attempts: 5, backoffMs: 10, maxBackoffMs: 10 };
    const outcome = await runGraph(buildChain(buildNode('flaky', 'test.flaky', { failures: 9 }, { retry })), {
      signal: controller.signal,
      sleep: () => (controller.abort(), Promise.reject(new Error('aborted'))),
    });
    expect(outcome).toMatchObject({ status: 'cancelled', error: { nodeId: 'flaky' } });
    expect(calls).toHaveLength(1);
  });
});

describe('run deadline', () => {
  it('times out a run whose step outlives the deadline, even if the node ignores its signal', async () => {
    const startedAt = Date.now();
    const outcome = await runGraph(buildChain(buildNode('stuck', 'test.stuck')), { deadline: startedAt + 30 });
    expect(outcome).toMatchObject({ status: 'timed_out', error: { nodeId: 'stuck', code: 'ENGINE_RUN_TIMED_OUT' } });
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(calls.map((call) => call.nodeId)).toEqual(['stuck']);
  });

  it('starts no step after the deadline', async () => {
    const outcome = await runGraph(buildChain(buildNode('first', 'test.flaky')), { deadline: Date.now() - 1 });
    expect(outcome).toMatchObject({ status: 'timed_out', steps: [], error: { nodeId: 'start' } });
    expect(calls).toEqual([]);
  });

  it('gives up retrying when the next backoff would pass the deadline', async () => {
    const retry = { attempts: 5, backoffMs: 60_000, maxBackoffMs: 60_000 };
    const outcome = await runGraph(buildChain(buildNode('flaky', 'test.flaky', { failures: 9 }, { retry })), {
      deadline: Date.now() + 5_000,
      random: () => 0.5,
    });
    expect(outcome).toMatchObject({ status: 'timed_out', error: { nodeId: 'flaky' } });
    expect(calls).toHaveLength(1);
  });
});
