import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../api/workflows.api';
import { preparePaste } from './graph-clipboard';
import { createNodeId, readDraftGraph, stringifyStable, toFlowEdge, toFlowNode, toWorkflowGraph } from './graph-conversion';

const graph: WorkflowGraph = {
  nodes: [
    { id: 'webhook', type: 'trigger.webhook', version: 1, name: 'In', params: { path: 'a' }, position: { x: 0, y: 0 } },
    { id: 'transform', type: 'transform', version: 1, name: 'Map', params: { mapping: { b: 'a' } }, position: { x: 280.4, y: 0 }, disabled: true },
  ],
  edges: [{ from: 'webhook', fromPort: 'main', to: 'transform', toPort: 'main' }],
};

describe('graph conversion', () => {
  it('gives back the stored graph from the canvas, positions rounded', () => {
    const back = toWorkflowGraph(graph.nodes.map(toFlowNode), graph.edges.map(toFlowEdge));
    expect(back.edges).toEqual(graph.edges);
    expect(back.nodes[1]).toEqual({ ...graph.nodes[1], position: { x: 280, y: 0 } });
  });

  it('reads a draft with missing fields without throwing, and drops what is not a node or an edge', () => {
    const read = readDraftGraph({ nodes: [{ id: 'x', type: 'respond' }, { nope: true }, null], edges: [{ from: 'x', to: 'y' }, 'bad'] });
    expect(read.nodes).toEqual([{ id: 'x', type: 'respond', version: 1, name: '', params: {}, position: { x: 0, y: 0 } }]);
    expect(read.edges).toEqual([{ from: 'x', fromPort: 'main', to: 'y', toPort: 'main' }]);
    expect(readDraftGraph(null)).toEqual({ nodes: [], edges: [] });
  });

  it('names new nodes after their type, numbering when taken, within the engine’s id rule', () => {
    expect(createNodeId('trigger.webhook', new Set())).toBe('webhook');
    expect(createNodeId('transform', new Set(['transform', 'transform_2']))).toBe('transform_3');
    expect(createNodeId('x.some thing!', new Set())).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('writes the same bytes as the API export: sorted keys, two spaces, final newline', () => {
    expect(stringifyStable({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      2,\n      {\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('pastes with fresh ids and re-points the copied edges at the copies', () => {
    const pasted = preparePaste({ weftClipboard: 1, ...graph }, new Set(['webhook', 'transform']));
    expect(pasted.nodes.map((node) => node.id)).toEqual(['webhook_2', 'transform_2']);
    expect(pasted.edges).toEqual([{ from: 'webhook_2', fromPort: 'main', to: 'transform_2', toPort: 'main' }]);
    expect(pasted.nodes[0]!.position).toEqual({ x: 40, y: 40 });
  });
});
