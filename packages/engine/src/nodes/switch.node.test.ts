import { describe, expect, it } from 'vitest';
import { buildNode, runAfterTrigger } from '../workflow-fixtures';
import { SwitchParams } from './switch.node';

const rules = [
  { port: 'case0', expression: 'amount > 1000' },
  { port: 'case3', expression: 'country = "FR"' },
  { port: 'case1', expression: 'amount > 100' },
];

describe('switch', () => {
  it('takes the port of the first true rule, with the input unchanged', async () => {
    const cases: [unknown, string][] = [
      [{ amount: 5000, country: 'FR' }, 'case0'],
      [{ amount: 500, country: 'FR' }, 'case3'],
      [{ amount: 500, country: 'DE' }, 'case1'],
      [{ amount: 5, country: 'DE' }, 'default'],
    ];
    for (const [input, port] of cases) {
      const outcome = await runAfterTrigger(buildNode('route', 'switch', { rules }), input);
      expect(outcome.steps[1], JSON.stringify(input)).toMatchObject({ status: 'succeeded', port, output: input });
    }
  });

  it('takes the configured fallback port when no rule holds', async () => {
    const outcome = await runAfterTrigger(buildNode('route', 'switch', { rules, fallback: 'case9' }), { amount: 1 });
    expect(outcome.steps[1]!.port).toBe('case9');
  });

  it('refuses ports outside case0..case9 and more than ten rules', () => {
    expect(SwitchParams.safeParse({ rules: [{ port: 'case10', expression: 'true' }] }).success).toBe(false);
    const eleven = Array.from({ length: 11 }, () => ({ port: 'case0', expression: 'true' }));
    expect(SwitchParams.safeParse({ rules: eleven }).success).toBe(false);
  });

  it('reports an invalid rule expression at its path when the workflow is compiled', async () => {
    const node = buildNode('route', 'switch', { rules: [{ port: 'case0', expression: 'a >' }] });
    await expect(runAfterTrigger(node, {})).rejects.toMatchObject({
      code: 'ENGINE_GRAPH_INVALID',
      details: [expect.objectContaining({ code: 'invalid_expression', nodeId: 'route', path: 'nodes[1].params.rules[0].expression' })],
    });
  });
});
