import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileWorkflow } from './compile-workflow';
import { createNodeRegistry, defineNode } from './define-node';
import { executeRun, type ExecuteRunOptions } from './execute-run';
import { WorkflowGraph } from './graph';
import { coreNodes } from './nodes/core-nodes';
import { createMemoryRunStore, type RunStore } from './run-store';
import { W1_PAYLOAD, buildNode, buildW1Graph, linkNodes, silentLogger } from './workflow-fixtures';

const seen: { nodeId: string; input: unknown; params: unknown; key: string; nodes: string[] }[] = [];
const events: string[] = [];
const spyNode = defineNode({
  type: 'test.spy',
  version: 1,
  name: 'Spy',
  description: 'Records what it receives',
  kind: 'action',
  params: z.object({ emit: z.unknown().optional(), port: z.string().optional() }),
  ports: { inputs: ['main'], outputs: ['main', 'alt'] },
  hasSideEffects: true,
  credentialType: 'test.key',
  async run({ nodeId, input, params, idempotencyKey, nodes, credentials, services }) {
    seen.push({ nodeId, input, params, key: idempotencyKey, nodes: Object.keys(nodes) });
    events.push(`ran ${nodeId}`);
    const secret = await credentials.get();
    const output = params.emit ?? { input, secret, service: services.greeting };
    return params.port === undefined ? output : { output, port: params.port };
  },
});
const registry = createNodeRegistry([...coreNodes, spyNode]);

function buildSpyNode(id: string, params: Record<string, unknown> = {}) {
  return buildNode(id, 'test.spy', params, { credentialId: 'cred-1' });
}

function runGraph(graph: WorkflowGraph, overrides: Partial<ExecuteRunOptions> = {}) {
  return executeRun(compileWorkflow(graph, registry), {
    runId: 'run-1',
    triggerOutput: { a: 41 },
    store: createMemoryRunStore(),
    logger: silentLogger,
    credentials: (node) => Promise.resolve({ token: `secret-of-${node.credentialId}` }),
    services: { greeting: 'hello' },
    ...overrides,
  });
}

describe('executeRun', () => {
  it('runs W1 end to end: transform output and response', async () => {
    const store = createMemoryRunStore();
    const outcome = await executeRun(compileWorkflow(buildW1Graph(), registry), {
      runId: 'w1',
      triggerOutput: W1_PAYLOAD,
      store,
      logger: silentLogger,
    });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps.map((step) => [step.nodeId, step.status, step.attempts])).toEqual([
      ['hook', 'succeeded', 1],
      ['shape', 'succeeded', 1],
      ['reply', 'succeeded', 1],
    ]);
    expect(outcome.steps[1]!.output).toEqual({ sum: 42, greeting: 'hi bob' });
    expect(outcome.response).toEqual({ status: 200, body: { sum: 42, greeting: 'hi bob' }, headers: {} });
    expect(store.listSteps('w1')).toEqual(outcome.steps);
  });

  it('gives nodes their input, resolved params, finished outputs, a stable key, credentials and services', async () => {
    seen.length = 0;
    const graph = {
      nodes: [buildNode('start', 'trigger.manual'), buildSpyNode('one'), buildSpyNode('two', { emit: '{{ $nodes.one.input.a + input.a }}' })],
      edges: [linkNodes('start', 'one'), linkNodes('one', 'two')],
    };
    const outcome = await runGraph(graph);
    expect(outcome.status).toBe('succeeded');
    expect(seen).toEqual([
      { nodeId: 'one', input: { a: 41 }, params: {}, key: 'run-1:one', nodes: ['start'] },
      {
        nodeId: 'two',
        input: { input: { a: 41 }, secret: { token: 'secret-of-cred-1' }, service: 'hello' },
        params: { emit: 82 },
        key: 'run-1:two',
        nodes: ['start', 'one'],
      },
    ]);
  });

  it('takes the branch the condition chose and skips the other side', async () => {
    const graph = {
      nodes: [
        buildNode('start', 'trigger.manual'),
        buildNode('check', 'condition', { expression: 'a > 40' }),
        buildNode('yes', 'transform', { mapping: { branch: '"yes"' } }),
        buildNode('no', 'transform', { mapping: { branch: '"no"' } }),
        buildNode('after-no', 'transform', { mapping: { x: '1' } }),
        buildNode('reply', 'respond'),
      ],
      edges: [
        linkNodes('start', 'check'),
        linkNodes('check', 'yes', 'true'),
        linkNodes('check', 'no', 'false'),
        linkNodes('no', 'after-no'),
        linkNodes('yes', 'reply'),
        linkNodes('after-no', 'reply'),
      ],
    };
    const listStatuses = (outcome: Awaited<ReturnType<typeof runGraph>>) =>
      Object.fromEntries(outcome.steps.map((step) => [step.nodeId, step.status]));

    const high = await runGraph(graph);
    expect(listStatuses(high)).toEqual({ start: 'succeeded', check: 'succeeded', yes: 'succeeded', no: 'skipped', 'after-no': 'skipped', reply: 'succeeded' });
    expect(high.steps[1]).toMatchObject({ port: 'true', output: { a: 41 } });
    expect(high.response).toMatchObject({ body: { branch: 'yes' } });

    const low = await runGraph(graph, { triggerOutput: { a: 1 } });
    expect(listStatuses(low)).toEqual({ start: 'succeeded', check: 'succeeded', yes: 'skipped', no: 'succeeded', 'after-no': 'succeeded', reply: 'succeeded' });
    expect(low.response).toMatchObject({ body: { x: 1 } });
  });

  it('caps a stored output but hands the whole output downstream', async () => {
    const big = 'é'.repeat(3000);
    const graph = {
      nodes: [buildNode('start', 'trigger.manual'), buildSpyNode('big', { emit: { text: big } }), buildNode('measure', 'transform', { mapping: { length: '$length(text)' } })],
      edges: [linkNodes('start', 'big'), linkNodes('big', 'measure')],
    };
    const outcome = await runGraph(graph, { maxOutputBytes: 4000 });
    const stored = outcome.steps[1]!;
    const bytes = Buffer.byteLength(JSON.stringify({ text: big }));
    expect(stored).toMatchObject({ outputTruncated: true, output: { truncated: true, bytes } });
    const preview = (stored.output as { preview: string }).preview;
    expect(Buffer.byteLength(preview)).toBeLessThanOrEqual(1024);
    expect(Buffer.byteLength(preview)).toBeGreaterThan(1020);
    expect(JSON.stringify({ text: big }).startsWith(preview)).toBe(true);
    expect(outcome.steps[2]).toMatchObject({ output: { length: 3000 } });
    expect(outcome.steps[2]!.outputTruncated).toBeUndefined();
  });

  it('fails the run with the node id, message and stack of a node error', async () => {
    const graph = {
      nodes: [buildNode('start', 'trigger.manual'), buildNode('boom', 'transform', { mapping: { x: '$error("kaput")' } }), buildSpyNode('never')],
      edges: [linkNodes('start', 'boom'), linkNodes('boom', 'never')],
    };
    seen.length = 0;
    const outcome = await runGraph(graph);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ nodeId: 'boom', code: 'ENGINE_EXPRESSION_FAILED', message: expect.stringContaining('kaput') });
    expect(outcome.error?.stack).toContain('AppError');
    expect(outcome.steps.map((step) => step.status)).toEqual(['succeeded', 'failed']);
    expect(seen).toEqual([]);
  });

  it('records where a param expression failed: node id and param', async () => {
    const store = createMemoryRunStore();
    const graph = {
      nodes: [buildNode('start', 'trigger.manual'), buildNode('reply', 'respond', { body: { total: '{{ a + "x" }}' } })],
      edges: [linkNodes('start', 'reply')],
    };
    const outcome = await runGraph(graph, { store });
    expect(outcome.error).toMatchObject({ nodeId: 'reply', code: 'ENGINE_EXPRESSION_FAILED', message: expect.stringContaining('body.total') });
    expect(store.listSteps('run-1')[1]).toMatchObject({
      nodeId: 'reply',
      status: 'failed',
      attempts: 0,
      error: { details: { nodeId: 'reply', param: 'body.total', expression: ' a + "x" ' } },
      input: { a: 41 },
    });
  });

  it('keeps a capped copy of the input a failed step received, and none on succeeded steps', async () => {
    const store = createMemoryRunStore();
    const graph = {
      nodes: [buildNode('start', 'trigger.manual'), buildNode('boom', 'transform', { mapping: { x: '$error("kaput")' } })],
      edges: [linkNodes('start', 'boom')],
    };
    await runGraph(graph, { store, triggerOutput: { blob: 'x'.repeat(70_000) } });
    const [started, failed] = store.listSteps('run-1');
    expect(started!.input).toBeUndefined();
    expect(failed).toMatchObject({ status: 'failed', input: { truncated: true, bytes: 70_011 } });
    const fresh = createMemoryRunStore();
    await runGraph(graph, { store: fresh, triggerOutput: { small: true } });
    expect(fresh.listSteps('run-1')[1]!.input).toEqual({ small: true });
  });

  it('fails a step that chooses a port it does not declare', async () => {
    const graph = { nodes: [buildNode('start', 'trigger.manual'), buildSpyNode('odd', { emit: 1, port: 'sideways' })], edges: [linkNodes('start', 'odd')] };
    const outcome = await runGraph(graph);
    expect(outcome).toMatchObject({ status: 'failed', error: { nodeId: 'odd', code: 'ENGINE_PORT_UNKNOWN' } });
  });

  it('passes the input through a disabled node', async () => {
    seen.length = 0;
    const graph = {
      nodes: [buildNode('start', 'trigger.manual'), { ...buildSpyNode('off'), disabled: true }, buildNode('reply', 'respond')],
      edges: [linkNodes('start', 'off'), linkNodes('off', 'reply')],
    };
    const outcome = await runGraph(graph);
    expect(seen).toEqual([]);
    expect(outcome.steps[1]).toMatchObject({ status: 'skipped', port: 'main', attempts: 0 });
    expect(outcome.response).toMatchObject({ body: { a: 41 } });
  });

  it('saves each step before the next one starts (a pure trigger with the step after it) and reports the response before its own checkpoint', async () => {
    events.length = 0;
    const memory = createMemoryRunStore();
    const store: RunStore = {
      loadFinishedSteps: (runId) => memory.loadFinishedSteps(runId),
      saveStep: async (runId, step) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`saved ${step.nodeId}`);
        return memory.saveStep(runId, step);
      },
    };
    const graph = {
      nodes: [buildNode('start', 'trigger.manual'), buildSpyNode('one'), buildNode('reply', 'respond', { status: 201 }), buildSpyNode('two')],
      edges: [linkNodes('start', 'one'), linkNodes('one', 'reply'), linkNodes('reply', 'two')],
    };
    const onResponse = (response: unknown) => events.push(`response ${(response as { status: number }).status}`);
    const outcome = await runGraph(graph, { store, onResponse });
    expect(outcome.status).toBe('succeeded');
    // The manual trigger's output is the run's input: its record rides along with the first real checkpoint.
    expect(events).toEqual(['ran one', 'saved start', 'saved one', 'response 201', 'saved reply', 'ran two', 'saved two']);
  });

  it('with deferFinalCheckpoint, hands the last step (and a pure trigger riding with it) back unsaved', async () => {
    const saved: string[] = [];
    const memory = createMemoryRunStore();
    const store: RunStore = { loadFinishedSteps: (runId) => memory.loadFinishedSteps(runId), saveStep: async (runId, step) => (saved.push(step.nodeId), memory.saveStep(runId, step)) };
    const chain = { nodes: [buildNode('start', 'trigger.manual'), buildSpyNode('one'), buildSpyNode('two')], edges: [linkNodes('start', 'one'), linkNodes('one', 'two')] };
    const outcome = await runGraph(chain, { store, deferFinalCheckpoint: true });
    expect(outcome.status).toBe('succeeded');
    expect(saved).toEqual(['start', 'one']);
    expect(outcome.unsavedSteps!.map((step) => step.nodeId)).toEqual(['two']);

    saved.length = 0;
    const single = { nodes: [buildNode('start', 'trigger.manual'), buildSpyNode('only', { port: 'nope' })], edges: [linkNodes('start', 'only')] };
    const failed = await runGraph(single, { store, deferFinalCheckpoint: true, runId: 'run-2' });
    expect(failed.status).toBe('failed');
    expect(saved).toEqual([]);
    expect(failed.unsavedSteps!.map((step) => [step.nodeId, step.status])).toEqual([['start', 'succeeded'], ['only', 'failed']]);
  });
});

describe('a run of nodes that answer synchronously', () => {
  it('runs every step within the call when the store answers synchronously too (no promise or timer per step)', async () => {
    const saved: string[] = [];
    const store: RunStore = { loadFinishedSteps: () => [], saveStep: (_runId, step) => void saved.push(`${step.nodeId}:${step.status}`) };
    const pending = executeRun(compileWorkflow(buildW1Graph(), registry), {
      runId: 'run-sync',
      triggerOutput: W1_PAYLOAD,
      store,
      logger: silentLogger,
      deadline: Date.now() + 30_000,
    });
    // Nothing has been awaited yet: had any step waited on a promise, its record would not be here.
    expect(saved).toEqual(['hook:succeeded', 'shape:succeeded', 'reply:succeeded']);
    const outcome = await pending;
    expect(outcome).toMatchObject({ status: 'succeeded', response: { status: 200, body: { sum: 42, greeting: 'hi bob' } } });
  });

  it('falls back to waiting when a mapping needs full JSONata, with the same result', async () => {
    const graph = buildW1Graph();
    graph.nodes[1] = buildNode('shape', 'transform', { source: 'body', mapping: { sum: 'a + 1', loud: '$uppercase(name)' } });
    const saved: string[] = [];
    const store: RunStore = { loadFinishedSteps: () => [], saveStep: (_runId, step) => void saved.push(step.nodeId) };
    const pending = executeRun(compileWorkflow(graph, registry), { runId: 'run-later', triggerOutput: W1_PAYLOAD, store, logger: silentLogger });
    // The transform now waits on JSONata; the trigger's record rides with its checkpoint.
    expect(saved).toEqual([]);
    const outcome = await pending;
    expect(saved).toEqual(['hook', 'shape', 'reply']);
    expect(outcome.response).toMatchObject({ body: { sum: 42, loud: 'BOB' } });
  });
});
