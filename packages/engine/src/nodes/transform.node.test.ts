import { describe, expect, it } from 'vitest';
import { buildNode, runAfterTrigger } from '../workflow-fixtures';

describe('transform', () => {
  it('computes W1 from a webhook payload through source "body"', async () => {
    const node = buildNode('shape', 'transform', { source: 'body', mapping: { sum: 'a + 1', greeting: '"hi " & name' } });
    const outcome = await runAfterTrigger(node, { body: { a: 41, name: 'bob' }, query: {}, headers: {}, method: 'POST' });
    expect(outcome.steps[1]!.output).toEqual({ sum: 42, greeting: 'hi bob' });
  });

  it('reads the input itself by default and can use $input, $trigger and $nodes', async () => {
    const node = buildNode('shape', 'transform', {
      mapping: {
        count: '$count(items)',
        first: 'items[0].name',
        fromTrigger: '$trigger.items[1].name',
        fromNodes: '$nodes.start.items[0].name',
        same: '$input = $',
        missing: 'nothing.here',
      },
    });
    const outcome = await runAfterTrigger(node, { items: [{ name: 'x' }, { name: 'y' }] });
    expect(outcome.steps[1]!.output).toEqual({ count: 2, first: 'x', fromTrigger: 'y', fromNodes: 'x', same: true });
  });

  it('fails the step with the field of a failing expression', async () => {
    const node = buildNode('shape', 'transform', { mapping: { total: 'a + "x"' } });
    const outcome = await runAfterTrigger(node, { a: 1 });
    expect(outcome).toMatchObject({ status: 'failed', error: { nodeId: 'shape', code: 'ENGINE_EXPRESSION_FAILED' } });
    expect(outcome.error!.message).toContain('mapping.total');
  });

  it('refuses a reserved field name', async () => {
    const node = buildNode('shape', 'transform', { mapping: JSON.parse('{"__proto__": "1"}') as Record<string, string> });
    await expect(runAfterTrigger(node, {})).rejects.toMatchObject({
      code: 'ENGINE_GRAPH_INVALID',
      details: [expect.objectContaining({ code: 'invalid_param', nodeId: 'shape', message: expect.stringContaining('__proto__') })],
    });
  });
});
