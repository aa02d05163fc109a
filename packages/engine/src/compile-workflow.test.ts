import { AppError } from '@weft/kernel';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow';
import { createCoreNodeRegistry } from './nodes/core-nodes';
import { buildNode, buildW1Graph, linkNodes } from './workflow-fixtures';

const registry = createCoreNodeRegistry();

describe('compileWorkflow', () => {
  it('orders steps topologically with the trigger first, whatever the declaration order', () => {
    const graph = {
      nodes: [
        buildNode('reply', 'respond'),
        buildNode('check', 'condition', { expression: 'a > 1' }),
        buildNode('big', 'transform', { mapping: { size: '"big"' } }),
        buildNode('small', 'transform', { mapping: { size: '"small"' } }),
        buildNode('start', 'trigger.manual'),
      ],
      edges: [
        linkNodes('start', 'check'),
        linkNodes('check', 'big', 'true'),
        linkNodes('check', 'small', 'false'),
        linkNodes('big', 'reply'),
        linkNodes('small', 'reply'),
      ],
    };
    const compiled = compileWorkflow(graph, registry);
    expect(compiled.triggerNodeId).toBe('start');
    expect(compiled.steps.map((step) => step.node.id)).toEqual(['start', 'check', 'big', 'small', 'reply']);
    const check = compiled.steps[1]!;
    expect(check.outgoingByPort).toEqual({ true: [{ to: 'big', toPort: 'main' }], false: [{ to: 'small', toPort: 'main' }] });
    expect(compiled.steps[4]!.incoming).toEqual([
      { fromStep: 2, fromPort: 'main', toPort: 'main' },
      { fromStep: 3, fromPort: 'main', toPort: 'main' },
    ]);
    expect(compiled.steps.map((step) => step.isTrigger)).toEqual([true, false, false, false, false]);
  });

  it('says whether a step can suspend the run, so a host knows to run it durably', () => {
    expect(compileWorkflow(buildW1Graph(), registry).canSuspend).toBe(false);
    const waiting = {
      nodes: [buildNode('start', 'trigger.manual'), buildNode('approval', 'wait.webhook', { timeoutSeconds: 60 })],
      edges: [linkNodes('start', 'approval')],
    };
    expect(compileWorkflow(waiting, registry).canSuspend).toBe(true);
  });

  it('precompiles params and node expressions once', async () => {
    const compiled = compileWorkflow(buildW1Graph(), registry);
    const [hook, shape, reply] = compiled.steps;
    expect(hook!.params).toMatchObject({ isStatic: true, value: { path: 'w1', method: 'POST', mode: 'sync', auth: { type: 'none' } } });
    expect(reply!.params).toMatchObject({ isStatic: true, value: { status: 200 } });
    const prepared = shape!.prepared as { source: { source: string }; fields: [string, { source: string }][] };
    expect(prepared.source.source).toBe('body');
    expect(prepared.fields.map(([field, expression]) => [field, expression.source])).toEqual([
      ['sum', 'a + 1'],
      ['greeting', '"hi " & name'],
    ]);
  });

  it('throws ENGINE_GRAPH_INVALID with every problem as details', () => {
    const graph = { nodes: [buildNode('x', 'transform', { mapping: { a: 'a +' } })], edges: [linkNodes('x', 'y')] };
    let thrown: unknown;
    try {
      compileWorkflow(graph, registry);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('ENGINE_GRAPH_INVALID');
    expect((thrown as AppError).details).toEqual([
      expect.objectContaining({ code: 'invalid_expression', nodeId: 'x' }),
      expect.objectContaining({ code: 'missing_trigger' }),
      expect.objectContaining({ code: 'dangling_edge', nodeId: 'x' }),
    ]);
  });

  it('leaves the caller graph untouched', () => {
    const graph = buildW1Graph();
    const before = JSON.stringify(graph);
    compileWorkflow(graph, registry);
    expect(JSON.stringify(graph)).toBe(before);
    expect(Object.isFrozen(graph.nodes[2]!.params)).toBe(false);
  });
});
