import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileWorkflow } from './compile-workflow';
import { createNodeRegistry, defineNode } from './define-node';
import { executeRun, type ExecuteRunOptions } from './execute-run';
import { coreNodes } from './nodes/core-nodes';
import { createMemoryRunStore, type MemoryRunStore } from './run-store';
import { buildNode, linkNodes, silentLogger } from './workflow-fixtures';

/** Counts its runs, as an external system would see side effects. */
const effects: string[] = [];
const counterNode = defineNode({
  type: 'test.counter',
  version: 1,
  name: 'Counter',
  description: 'Counts its runs',
  kind: 'action',
  params: z.object({}),
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  run({ nodeId, input }) {
    effects.push(nodeId);
    return { output: { from: nodeId, input } };
  },
});
const registry = createNodeRegistry([...coreNodes, counterNode]);

/** start → before → approval (wait.webhook) → after → reply */
const graph = {
  nodes: [
    buildNode('start', 'trigger.manual'),
    buildNode('before', 'test.counter'),
    buildNode('approval', 'wait.webhook', { timeoutSeconds: 3600 }),
    buildNode('after', 'test.counter'),
    buildNode('reply', 'respond', { body: { decision: '{{ $nodes.approval.approved }}', order: '{{ $nodes.before.input.order }}' } }),
  ],
  edges: [linkNodes('start', 'before'), linkNodes('before', 'approval'), linkNodes('approval', 'after'), linkNodes('after', 'reply')],
};

function runOnce(store: MemoryRunStore, extra: Partial<ExecuteRunOptions> = {}) {
  // Compiled afresh on every call, as a new process would.
  return executeRun(compileWorkflow(graph, registry), { runId: 'r-wait', triggerOutput: { order: 7 }, store, logger: silentLogger, canSuspend: true, ...extra });
}

/** What a database would hand a restarted process: the saved rows, nothing shared in memory. */
async function copyStore(from: MemoryRunStore): Promise<MemoryRunStore> {
  const copy = createMemoryRunStore();
  for (const step of from.listSteps('r-wait')) await copy.saveStep('r-wait', structuredClone(step));
  return copy;
}

describe('durable waits', () => {
  it('suspends on wait.webhook and, after a restart, resumes with the callback body without re-running finished steps', async () => {
    effects.length = 0;
    const before = createMemoryRunStore();
    const waiting = await runOnce(before);
    expect(waiting.status).toBe('waiting');
    expect(waiting.wait).toEqual({ nodeId: 'approval', callbackToken: expect.stringMatching(/^[\w-]{43}$/), resumeAt: expect.any(Date) });
    expect(waiting.wait!.resumeAt!.getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(before.listSteps('r-wait').map((step) => `${step.nodeId}:${step.status}`)).toEqual(['start:succeeded', 'before:succeeded', 'approval:waiting']);
    expect(effects).toEqual(['before']);

    const after = await copyStore(before);
    const resumed = await runOnce(after, { resumeInput: { nodeId: 'approval', payload: { approved: 'yes' } } });
    expect(resumed.status).toBe('succeeded');
    expect(effects).toEqual(['before', 'after']);
    expect(resumed.steps.find((step) => step.nodeId === 'approval')).toMatchObject({ status: 'succeeded', port: 'main', output: { approved: 'yes' }, attempts: 2 });
    expect(resumed.response).toMatchObject({ body: { decision: 'yes', order: 7 } });
    // The wait's record keeps when the step first started.
    expect(resumed.steps[2]!.startedAt).toEqual(waiting.steps[2]!.startedAt);
  });

  it('never stores the callback token; the host gets it once', async () => {
    const store = createMemoryRunStore();
    const waiting = await runOnce(store);
    const token = waiting.wait!.callbackToken!;
    expect(JSON.stringify(store.listSteps('r-wait'))).not.toContain(token);
    expect(store.listSteps('r-wait')[2]!.wait).toEqual({ resumeAt: waiting.wait!.resumeAt, hasCallbackToken: true });
    const again = await runOnce(store);
    expect(again).toMatchObject({ status: 'waiting', wait: { nodeId: 'approval', resumeAt: waiting.wait!.resumeAt } });
    expect(again.wait!.callbackToken).toBeUndefined();
  });

  it('stays waiting when called again without resumeInput, issuing no new token and running nothing', async () => {
    effects.length = 0;
    const store = createMemoryRunStore();
    await runOnce(store);
    const copy = await copyStore(store);
    const waitingRecord = copy.listSteps('r-wait')[2];
    const again = await runOnce(copy);
    expect(again).toMatchObject({ status: 'waiting', wait: { nodeId: 'approval' } });
    expect(again.wait!.callbackToken).toBeUndefined();
    // The wait did not run again: its record is the one saved when it suspended.
    expect(copy.listSteps('r-wait')[2]).toBe(waitingRecord);
    expect(effects).toEqual(['before']);
  });

  it('ignores a callback delivered twice once the wait is over', async () => {
    effects.length = 0;
    const store = createMemoryRunStore();
    await runOnce(store);
    const resumeInput = { nodeId: 'approval', payload: { approved: 'yes' } };
    const first = await runOnce(store, { resumeInput });
    const second = await runOnce(store, { resumeInput: { ...resumeInput, payload: { approved: 'no' } } });
    expect(second).toEqual(first);
    expect(effects).toEqual(['before', 'after']);
  });

  it('refuses to resume a node that cannot wait or is not the one waiting', async () => {
    const store = createMemoryRunStore();
    await runOnce(store);
    await expect(runOnce(store, { resumeInput: { nodeId: 'after' } })).rejects.toMatchObject({ code: 'ENGINE_RESUME_INVALID' });
    await expect(runOnce(store, { resumeInput: { nodeId: 'ghost' } })).rejects.toMatchObject({ code: 'ENGINE_RESUME_INVALID' });
  });

  it('times out through the timer: fails by default, or goes on through "timeout"', async () => {
    const store = createMemoryRunStore();
    await runOnce(store);
    const failed = await runOnce(store, { resumeInput: { nodeId: 'approval', cause: 'time' } });
    expect(failed).toMatchObject({ status: 'failed', error: { nodeId: 'approval', code: 'ENGINE_WAIT_TIMED_OUT' } });
  });

  it('fails the step instead of waiting when the host has not opted in', async () => {
    effects.length = 0;
    const store = createMemoryRunStore();
    const outcome = await runOnce(store, { canSuspend: false });
    expect(outcome).toMatchObject({ status: 'failed', error: { nodeId: 'approval', code: 'ENGINE_WAIT_UNSUPPORTED' } });
    expect(store.listSteps('r-wait')[2]).toMatchObject({ status: 'failed', input: { from: 'before', input: { order: 7 } } });
    await expect(runOnce(store, { canSuspend: false, resumeInput: { nodeId: 'approval' } })).rejects.toMatchObject({ code: 'ENGINE_RESUME_INVALID' });
  });
});
