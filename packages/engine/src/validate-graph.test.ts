import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createNodeRegistry, defineNode } from './define-node';
import { coreNodes } from './nodes/core-nodes';
import { validateGraph, type GraphProblem } from './validate-graph';
import { buildNode, buildW1Graph, linkNodes } from './workflow-fixtures';

const mailNode = defineNode({
  type: 'test.mail',
  version: 1,
  name: 'Mail',
  description: 'Sends mail',
  kind: 'action',
  params: z.object({ to: z.email(), count: z.number().int().min(1) }),
  ports: { inputs: ['main'], outputs: ['main'] },
  credentialType: 'smtp',
  hasSideEffects: true,
  run: () => null,
});
const loopNode = defineNode({
  type: 'test.loop',
  version: 1,
  name: 'Loop',
  description: 'Repeats its body',
  kind: 'flow',
  params: z.object({}),
  ports: { inputs: ['main', 'back'], outputs: ['body', 'done'] },
  run: ({ input }) => input,
});
const registry = createNodeRegistry([...coreNodes, mailNode, loopNode]);

function summarize(problems: GraphProblem[]): string[] {
  return problems.map((problem) => `${problem.code} ${problem.nodeId ?? '-'} ${problem.path}`).sort();
}

describe('validateGraph', () => {
  it('accepts W1', () => {
    expect(validateGraph(buildW1Graph(), registry)).toEqual([]);
  });

  it('lists every kind of problem in one graph, each with its node id and path', () => {
    const graph = {
      nodes: [
        buildNode('start', 'trigger.manual'),
        buildNode('hook', 'trigger.webhook', { path: 'in' }),
        buildNode('start', 'transform', { mapping: { a: 'a' } }),
        buildNode('ghost', 'test.nothing'),
        buildNode('mail', 'test.mail', { to: 'not-an-email' }),
        buildNode('mail2', 'test.mail', { to: 'a@b.example', count: '{{ $count( }}' }, { credentialId: 'cred-9' }),
        buildNode('shape', 'transform', { mapping: { good: 'a', bad: 'a +' } }),
        buildNode('reply', 'respond', { status: 700 }),
        buildNode('cycle-a', 'transform', { mapping: { x: 'x' } }),
        buildNode('cycle-b', 'transform', { mapping: { x: 'x' } }),
        { id: 'bad id!', type: 'respond', version: 0 },
      ],
      edges: [
        linkNodes('start', 'mail'),
        linkNodes('mail', 'nowhere'),
        linkNodes('mail', 'shape', 'maybe'),
        linkNodes('reply', 'hook'),
        linkNodes('shape', 'reply', 'main', 'side'),
        linkNodes('cycle-a', 'cycle-b'),
        linkNodes('cycle-b', 'cycle-a'),
        { from: 'start' },
      ],
    };
    const problems = validateGraph(graph, registry, {
      checkCredential: (node, type) => (node.credentialId === 'cred-9' ? `Credential cred-9 is not a ${type} credential` : null),
    });
    expect(summarize(problems)).toEqual(
      [
        'cycle cycle-a nodes[8]',
        'cycle cycle-b nodes[9]',
        'dangling_edge mail edges[1].to',
        'duplicate_node_id start nodes[2].id',
        'invalid_credential mail2 nodes[5].credentialId',
        'invalid_expression mail2 nodes[5].params.count',
        'invalid_expression shape nodes[6].params.mapping.bad',
        'invalid_param mail nodes[4].params.count',
        'invalid_param mail nodes[4].params.to',
        'invalid_param reply nodes[7].params.status',
        'invalid_shape - edges[7].fromPort',
        'invalid_shape - edges[7].to',
        'invalid_shape - edges[7].toPort',
        'invalid_shape bad id! nodes[10].id',
        'invalid_shape bad id! nodes[10].name',
        'invalid_shape bad id! nodes[10].params',
        'invalid_shape bad id! nodes[10].position',
        'invalid_shape bad id! nodes[10].version',
        'missing_credential mail nodes[4].credentialId',
        'multiple_triggers hook nodes[1]',
        'unknown_node_type ghost nodes[3].type',
        'unknown_port mail edges[2].fromPort',
        'unknown_port reply edges[4].toPort',
        'unknown_port hook edges[3].toPort',
      ].sort(),
    );
    const expression = problems.find((problem) => problem.path === 'nodes[6].params.mapping.bad');
    expect(expression?.message).toMatch(/mapping\.bad/);
  });

  it('reports a missing trigger and a graph that is not a graph', () => {
    expect(summarize(validateGraph({ nodes: [], edges: [] }, registry))).toEqual(['missing_trigger - nodes']);
    expect(summarize(validateGraph({ nodes: 'x' }, registry))).toEqual(['invalid_shape - edges', 'invalid_shape - nodes']);
    expect(summarize(validateGraph(null, registry))).toEqual(['invalid_shape - ']);
  });

  it('accepts {{ }} templates in any param, whatever its type', () => {
    const graph = {
      nodes: [
        buildNode('hook', 'trigger.webhook', { path: 'in', method: '{{ "POST" }}', auth: '{{ $auth }}' }),
        buildNode('reply', 'respond', { status: '{{ $input.code }}', headers: { 'x-id': 'id-{{ $trigger.id }}' } }),
      ],
      edges: [linkNodes('hook', 'reply')],
    };
    expect(validateGraph(graph, registry)).toEqual([]);
  });

  it('finds a self-loop and allows a loop node back-edge only when told it is one', () => {
    const graph = {
      nodes: [
        buildNode('start', 'trigger.manual'),
        buildNode('loop', 'test.loop'),
        buildNode('step', 'transform', { mapping: { x: 'x' } }),
        buildNode('self', 'transform', { mapping: { x: 'x' } }),
      ],
      edges: [
        linkNodes('start', 'loop'),
        linkNodes('loop', 'step', 'body'),
        linkNodes('step', 'loop', 'main', 'back'),
        linkNodes('self', 'self'),
      ],
    };
    expect(summarize(validateGraph(graph, registry))).toEqual([
      'cycle loop nodes[1]',
      'cycle self nodes[3]',
      'cycle step nodes[2]',
    ]);
    expect(summarize(validateGraph(graph, registry, { loopNodeTypes: ['test.loop'] }))).toEqual(['cycle self nodes[3]']);
  });
});
