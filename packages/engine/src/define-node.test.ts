import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createNodeRegistry, defineNode } from './define-node';

const echo = defineNode({
  type: 'test.echo',
  version: 1,
  name: 'Echo',
  description: 'Returns its input',
  kind: 'action',
  params: z.object({ label: z.string().default('x'), retries: z.number().int().optional() }),
  ports: { inputs: ['main'], outputs: ['main', 'other'] },
  credentialType: 'test.key',
  run: ({ input }) => input,
});

describe('defineNode', () => {
  it('fills the defaults and freezes the definition', () => {
    expect(echo).toMatchObject({ hasSideEffects: false, isResponse: false, rawParams: [] });
    expect(Object.isFrozen(echo)).toBe(true);
    expect(Object.isFrozen(echo.ports.outputs)).toBe(true);
  });

  it('rejects a trigger with input ports, a bad type name and duplicate ports', () => {
    const base = { version: 1, name: 'x', description: 'x', params: z.object({}), run: () => null };
    expect(() => defineNode({ ...base, type: 'a.trigger', kind: 'trigger', ports: { inputs: ['main'], outputs: ['main'] } })).toThrow(/no input/);
    expect(() => defineNode({ ...base, type: 'Bad Type', kind: 'action', ports: { inputs: [], outputs: [] } })).toThrow(/lowercase/);
    expect(() => defineNode({ ...base, type: 'a.b', kind: 'action', ports: { inputs: [], outputs: ['x', 'x'] } })).toThrow(/duplicate/);
    expect(() => defineNode({ ...base, type: 'a.b', version: 0, kind: 'action', ports: { inputs: [], outputs: [] } })).toThrow(/version/);
  });
});

describe('createNodeRegistry', () => {
  const echo2 = defineNode({ ...echo, version: 2 });
  const registry = createNodeRegistry([echo, echo2]);

  it('finds a definition by type and version', () => {
    expect(registry.get('test.echo', 1)).toBe(echo);
    expect(registry.get('test.echo', 2)).toBe(echo2);
    expect(registry.get('test.echo', 3)).toBeUndefined();
    expect(registry.list()).toEqual([echo, echo2]);
  });

  it('refuses the same type and version twice', () => {
    expect(() => createNodeRegistry([echo, echo])).toThrow(/twice/);
  });

  it('describes each node with its params as input JSON Schema', () => {
    const [description] = registry.describe();
    expect(description).toMatchObject({
      type: 'test.echo',
      version: 1,
      kind: 'action',
      credentialType: 'test.key',
      ports: { inputs: ['main'], outputs: ['main', 'other'] },
      params: {
        type: 'object',
        properties: { label: { type: 'string', default: 'x' }, retries: { type: 'integer' } },
      },
    });
    // Input view: a defaulted field is not required from the editor.
    expect((description!.params as { required?: string[] }).required ?? []).not.toContain('label');
    expect(registry.describe()).toBe(registry.describe());
  });
});
