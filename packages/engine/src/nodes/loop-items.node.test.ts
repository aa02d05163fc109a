import { describe, expect, it } from 'vitest';
import { buildNode, runAfterTrigger } from '../workflow-fixtures';

const orders = { body: { orders: [{ price: 10, qty: 2 }, { price: 5, qty: 'x' }, { price: 1, qty: 3 }] } };

describe('loop.items', () => {
  it('maps each item with $, $item and $index bound, keeping $trigger and $nodes', async () => {
    const node = buildNode('each', 'loop.items', {
      items: 'body.orders',
      mapping: '{ "n": $index, "price": price, "same": $item = $, "from": $count($trigger.body.orders) }',
    });
    const outcome = await runAfterTrigger(node, { body: { orders: [{ price: 10 }, { price: 5 }] } });
    expect(outcome.steps[1]!.output).toEqual({
      results: [
        { n: 0, price: 10, same: true, from: 2 },
        { n: 1, price: 5, same: true, from: 2 },
      ],
      errors: [],
    });
  });

  it('stops at the first failing item by default, naming the item', async () => {
    const outcome = await runAfterTrigger(buildNode('each', 'loop.items', { items: 'body.orders', mapping: 'price * qty' }), orders);
    expect(outcome).toMatchObject({ status: 'failed', error: { nodeId: 'each', code: 'ENGINE_LOOP_ITEM_FAILED', message: expect.stringContaining('Item 1 failed') } });
  });

  it('with onItemError "continue" yields null for a failing item and lists its error', async () => {
    const node = buildNode('each', 'loop.items', { items: 'body.orders', mapping: 'price * qty', onItemError: 'continue' });
    const outcome = await runAfterTrigger(node, orders);
    expect(outcome.status).toBe('succeeded');
    const output = outcome.steps[1]!.output as { results: unknown[]; errors: { index: number; message: string }[] };
    expect(output.results).toEqual([20, null, 3]);
    expect(output.errors).toEqual([{ index: 1, message: expect.stringContaining('mapping') }]);
  });

  it('hands the mapping batches of batchSize items', async () => {
    const node = buildNode('each', 'loop.items', { items: 'numbers', mapping: '{ "batch": $index, "sum": $sum($item) }', batchSize: 2 });
    const outcome = await runAfterTrigger(node, { numbers: [1, 2, 3, 4, 5] });
    expect((outcome.steps[1]!.output as { results: unknown[] }).results).toEqual([
      { batch: 0, sum: 3 },
      { batch: 1, sum: 7 },
      { batch: 2, sum: 5 },
    ]);
  });

  it('treats a single value as a list of one and a missing list as empty', async () => {
    const one = await runAfterTrigger(buildNode('each', 'loop.items', { items: 'thing' }), { thing: { a: 1 } });
    expect(one.steps[1]!.output).toEqual({ results: [{ a: 1 }], errors: [] });
    const none = await runAfterTrigger(buildNode('each', 'loop.items', { items: 'nothing' }), {});
    expect(none.steps[1]!.output).toEqual({ results: [], errors: [] });
  });

  it('handles thousands of items', async () => {
    const numbers = Array.from({ length: 5000 }, (_, index) => index);
    const outcome = await runAfterTrigger(buildNode('each', 'loop.items', { items: 'numbers', mapping: '$ * 2' }), { numbers });
    const results = (outcome.steps[1]!.output as { results: number[] }).results;
    expect(results).toHaveLength(5000);
    expect(results[4999]).toBe(9998);
  });
});
