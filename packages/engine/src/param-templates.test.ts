import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ExpressionBindings } from './expressions';
import { compileParams, parseTemplate, visitTemplateStrings } from './param-templates';

const bindings: ExpressionBindings = {
  input: { a: 41, name: 'bob', tags: ['x', 'y'] },
  nodes: { first: { id: 9 } },
  trigger: { method: 'POST' },
};

describe('parseTemplate', () => {
  it('splits literals and expressions, keeping braces inside expressions', () => {
    expect(parseTemplate('id={{ $nodes.first.id }}, obj={{ {"a": {"b": "}}"}} }}!', 'n', 'p')).toEqual([
      'id=',
      { expression: ' $nodes.first.id ', offset: 5 },
      ', obj=',
      { expression: ' {"a": {"b": "}}"}} ', offset: 32 },
      '!',
    ]);
  });

  it('returns null for a string without a template', () => {
    expect(parseTemplate('plain } text', 'n', 'p')).toBeNull();
  });

  it('rejects an unclosed template with its position', () => {
    expect(() => parseTemplate('ab {{ a + 1', 'n1', 'body')).toThrow(
      expect.objectContaining({ code: 'ENGINE_EXPRESSION_INVALID', details: expect.objectContaining({ nodeId: 'n1', param: 'body', position: 3 }) }),
    );
  });
});

describe('visitTemplateStrings', () => {
  it('reports every template with its dotted path', () => {
    const seen: string[] = [];
    visitTemplateStrings({ a: '{{x}}', b: ['no', { c: 'y {{z}}' }], d: 3 }, '', (_text, path) => seen.push(path));
    expect(seen).toEqual(['a', 'b[1].c']);
  });
});

describe('compileParams', () => {
  const schema = z.object({
    count: z.number().optional(),
    label: z.string().optional(),
    list: z.array(z.unknown()).optional(),
    nested: z.object({ flag: z.boolean() }).optional(),
    mode: z.enum(['a', 'b']).default('a'),
    expression: z.string().optional(),
  });

  it('evaluates a whole-string template to any JSON type', async () => {
    const params = compileParams(
      'n',
      { count: '{{ a + 1 }}', list: '{{ tags }}', nested: { flag: '{{ $trigger.method = "POST" }}' } },
      schema,
      [],
    );
    expect(params.isStatic).toBe(false);
    expect(await params.resolve(bindings)).toEqual({ count: 42, list: ['x', 'y'], nested: { flag: true }, mode: 'a' });
  });

  it('interpolates templates inside longer strings as text', async () => {
    const params = compileParams('n', { label: 'hi {{ name }} #{{ $nodes.first.id }} {{ tags }} {{ nothing }}.' }, schema, []);
    expect(await params.resolve(bindings)).toEqual({ label: 'hi bob #9 ["x","y"] .', mode: 'a' });
  });

  it('keeps static params as one parsed, frozen value with defaults applied', async () => {
    const raw = { count: 3, nested: { flag: false } };
    const params = compileParams('n', raw, schema, []);
    expect(params.isStatic).toBe(true);
    expect(params.value).toEqual({ count: 3, nested: { flag: false }, mode: 'a' });
    expect(await params.resolve(bindings)).toBe(params.value);
    expect(Object.isFrozen((params.value as { nested: object }).nested)).toBe(true);
    expect(Object.isFrozen(raw.nested)).toBe(false);
  });

  it('leaves raw keys as written', async () => {
    const params = compileParams('n', { expression: '{{ a }}', count: '{{ a }}' }, schema, ['expression']);
    expect(await params.resolve(bindings)).toEqual({ expression: '{{ a }}', count: 41, mode: 'a' });
  });

  it('fails with ENGINE_PARAMS_INVALID when a template yields the wrong type', async () => {
    const params = compileParams('n7', { count: '{{ name }}' }, schema, []);
    await expect(params.resolve(bindings)).rejects.toMatchObject({
      code: 'ENGINE_PARAMS_INVALID',
      details: { nodeId: 'n7', issues: [expect.objectContaining({ path: 'count' })] },
    });
  });

  it('carries the node id and param path of a failing expression', async () => {
    const params = compileParams('n8', { nested: { flag: '{{ $unknownFn() }}' } }, schema, []);
    await expect(params.resolve(bindings)).rejects.toMatchObject({
      code: 'ENGINE_EXPRESSION_FAILED',
      details: { nodeId: 'n8', param: 'nested.flag', expression: ' $unknownFn() ' },
    });
  });

  it('rejects a broken expression at compile time with its param path', () => {
    expect(() => compileParams('n9', { list: ['ok', '{{ a + }}'] }, schema, [])).toThrow(
      expect.objectContaining({ code: 'ENGINE_EXPRESSION_INVALID', details: expect.objectContaining({ nodeId: 'n9', param: 'list[1]' }) }),
    );
  });

  it('keeps a "__proto__" key as data instead of swapping the prototype', async () => {
    const raw = JSON.parse('{"list": [{"__proto__": "{{ name }}"}]}') as Record<string, unknown>;
    const resolved = (await compileParams('n', raw, schema, []).resolve(bindings)) as { list: object[] };
    expect(Object.getPrototypeOf(resolved.list[0])).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(resolved.list[0], '__proto__')?.value).toBe('bob');
  });
});
