import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileFastPath, UNRESOLVED } from './expression-fast-path';
import { compileExpression, type ExpressionBindings } from './expressions';

const bindings: ExpressionBindings = {
  input: { id: 7, tags: ['a'] },
  nodes: { lookup: { unitPrice: 2.5, name: 'widget' } },
  trigger: { body: { a: 41, name: 'bob' } },
};

const FOCI: unknown[] = [
  { a: 41, name: 'bob', qty: 3, flag: true, nested: { b: 2, s: 'x' }, list: [1, 2], zero: 0, big: 1e308, text: '5' },
  { a: 'forty', name: 7, qty: null, flag: 'yes' },
  {},
  [{ a: 1 }, { a: 2 }],
  'plain',
  null,
];

const EXPRESSIONS = [
  'a + 1', '"hi " & name', 'a.b * 2 - 3', 'nested.b * qty', 'nested.s & "!"', 'qty * $nodes.lookup.unitPrice',
  '$trigger.body.a + 1', '$input.id', '$nodes.lookup.name & " x"', 'a = 41', 'name != "bob"', 'a < 100', 'a >= 41',
  'flag and true', 'flag or false', '-a', 'a / zero', 'big * 10', 'a % 5', 'list', 'missing + 1', 'text + 1',
  '"a" < "b"', 'true', 'null', '42', '$', 'nested', 'a & "x"', 'flag = true',
];

async function viaJsonata(expression: string, focus: unknown): Promise<{ value?: unknown; error?: string }> {
  try {
    const value = await jsonata(expression).evaluate(focus, bindings);
    // JSONata sequences are arrays with extra flags; compare by their JSON.
    return { value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? 'error' };
  }
}

async function viaWeft(expression: string, focus: unknown): Promise<{ value?: unknown; error?: string }> {
  try {
    const value = await compileExpression(expression, { nodeId: 'n', param: 'p' }).evaluate(focus, bindings);
    return { value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) };
  } catch {
    return { error: 'error' };
  }
}

describe('the expression fast path', () => {
  it('answers exactly what JSONata answers, for every expression and input tried', async () => {
    for (const expression of EXPRESSIONS) {
      for (const focus of FOCI) {
        const expected = await viaJsonata(expression, focus);
        const actual = await viaWeft(expression, focus);
        expect(actual.error !== undefined, `${expression} on ${JSON.stringify(focus)}`).toBe(expected.error !== undefined);
        if (expected.error === undefined) expect(actual.value, `${expression} on ${JSON.stringify(focus)}`).toEqual(expected.value);
      }
    }
  });

  it('covers the mappings of W1 and leaves the rest of JSONata to JSONata', () => {
    const fast = (expression: string) => compileFastPath(jsonata(expression).ast() as Parameters<typeof compileFastPath>[0]);
    expect(fast('a + 1')!({ a: 41 }, bindings)).toBe(42);
    expect(fast('"hi " & name')!({ name: 'bob' }, bindings)).toBe('hi bob');
    expect(fast('"hi " & name')!({ name: 3 }, bindings)).toBe(UNRESOLVED);
    // A path over an array is compiled, but answered by JSONata (sequences):
    expect(fast('items.price')!({ items: [{ price: 1 }] }, bindings)).toBe(UNRESOLVED);
    for (const other of ['items[price > 3]', '$sum(items.price)', 'a ? b : c', '{"x": a}', '$string(a)']) {
      expect(fast(other), other).toBeNull();
    }
  });
});
