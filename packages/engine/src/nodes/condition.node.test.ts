import { describe, expect, it } from 'vitest';
import { buildNode, runAfterTrigger } from '../workflow-fixtures';

describe('condition', () => {
  it('fires "true" or "false" with the input unchanged', async () => {
    const node = buildNode('check', 'condition', { expression: 'total > 100 and $trigger.country = "FR"' });
    const yes = await runAfterTrigger(node, { total: 150, country: 'FR' });
    expect(yes.steps[1]).toMatchObject({ port: 'true', output: { total: 150, country: 'FR' } });
    const no = await runAfterTrigger(node, { total: 150, country: 'DE' });
    expect(no.steps[1]).toMatchObject({ port: 'false' });
  });

  it('uses JSONata truthiness: empty arrays, strings and missing values are false', async () => {
    const cases: [unknown, string][] = [
      [{ tags: [] }, 'false'],
      [{ tags: ['a'] }, 'true'],
      [{ tags: '' }, 'false'],
      [{}, 'false'],
    ];
    for (const [input, port] of cases) {
      const outcome = await runAfterTrigger(buildNode('check', 'condition', { expression: 'tags' }), input);
      expect(outcome.steps[1]!.port, JSON.stringify(input)).toBe(port);
    }
  });

  it('rejects an invalid expression when the workflow is compiled', async () => {
    await expect(runAfterTrigger(buildNode('check', 'condition', { expression: 'a >' }), {})).rejects.toMatchObject({
      code: 'ENGINE_GRAPH_INVALID',
      details: [expect.objectContaining({ code: 'invalid_expression', nodeId: 'check', path: 'nodes[1].params.expression' })],
    });
  });
});
