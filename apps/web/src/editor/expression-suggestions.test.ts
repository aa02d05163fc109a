import { describe, expect, it } from 'vitest';
import type { RunView } from '../api/runs.api';
import { applySuggestion, findExpressionToken, listFieldPaths, suggestCompletions, type ExpressionScope } from './expression-suggestions';
import { deriveNodeRunStates } from './run-states';

const scope: ExpressionScope = {
  upstream: [{ id: 'webhook', name: 'Incoming', sample: { body: { name: 'Ada', 'odd key': 1 }, method: 'POST' } }],
  input: { body: { name: 'Ada' } },
  trigger: undefined,
};

describe('expression autocomplete', () => {
  it('lists identifier field paths, parents first, skipping keys JSONata needs backticks for', () => {
    expect(listFieldPaths(scope.upstream[0]!.sample)).toEqual(['body', 'body.name', 'method']);
    expect(listFieldPaths([1, 2])).toEqual([]);
  });

  it('finds the word at the caret inside an open template only', () => {
    expect(findExpressionToken('Hi {{ $nodes.we', 15, 'template')).toEqual({ start: 6, word: '$nodes.we' });
    expect(findExpressionToken('Hi {{ $input }} $no', 19, 'template')).toBeNull();
    expect(findExpressionToken('"Hello, " & bo', 14, 'jsonata')).toEqual({ start: 12, word: 'bo' });
    expect(findExpressionToken('"Hello, bo', 10, 'jsonata')).toBeNull();
  });

  it('suggests upstream nodes and their fields, shallow first', () => {
    expect(suggestCompletions(scope, 'template', '$nodes.w').map((item) => item.value)).toEqual(['$nodes.webhook', '$nodes.webhook.body', '$nodes.webhook.method', '$nodes.webhook.body.name']);
    expect(suggestCompletions(scope, 'jsonata', 'bo').map((item) => item.value)).toEqual(['body', 'body.name']);
    expect(suggestCompletions(scope, 'template', '').map((item) => item.value).slice(0, 2)).toEqual(['$input', '$trigger']);
  });

  it('replaces the word and closes an open template', () => {
    expect(applySuggestion('Hi {{ $nodes.we', { start: 6, word: '$nodes.we' }, '$nodes.webhook', 'template')).toEqual({ text: 'Hi {{ $nodes.webhook }}', caret: 20 });
    expect(applySuggestion('x & bo + 1', { start: 4, word: 'bo' }, 'body.name', 'jsonata')).toEqual({ text: 'x & body.name + 1', caret: 13 });
  });
});

describe('node states of a run', () => {
  const graph = {
    nodes: [
      { id: 'a', type: 'trigger.manual', version: 1, name: '', params: {}, position: { x: 0, y: 0 } },
      { id: 'b', type: 'transform', version: 1, name: '', params: {}, position: { x: 0, y: 0 } },
      { id: 'c', type: 'transform', version: 1, name: '', params: {}, position: { x: 0, y: 0 } },
    ],
    edges: [
      { from: 'a', fromPort: 'main', to: 'b', toPort: 'main' },
      { from: 'b', fromPort: 'main', to: 'c', toPort: 'main' },
    ],
  };
  const step = (nodeId: string, ms: number) => ({ nodeId, status: 'succeeded', port: 'main', output: {}, outputTruncated: false, error: null, attempts: 1, startedAt: '2025-01-01T00:00:00.000Z', finishedAt: new Date(Date.parse('2025-01-01T00:00:00.000Z') + ms).toISOString() });

  it('marks finished steps with their duration and the next node as running', () => {
    const run = { status: 'running', steps: [step('a', 3)] } as unknown as RunView;
    const states = deriveNodeRunStates(run, graph);
    expect(states.get('a')).toEqual({ status: 'succeeded', durationMs: 3 });
    expect(states.get('b')).toEqual({ status: 'running', durationMs: null });
    expect(states.has('c')).toBe(false);
  });

  it('leaves nodes that never ran without a state once the run is over', () => {
    const run = { status: 'failed', steps: [step('a', 1), { ...step('b', 2), status: 'failed' }] } as unknown as RunView;
    const states = deriveNodeRunStates(run, graph);
    expect(states.get('b')?.status).toBe('failed');
    expect(states.has('c')).toBe(false);
  });
});
