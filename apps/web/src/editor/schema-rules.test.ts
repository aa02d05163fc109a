import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../api/node-types.api';
import { buildInitialParams } from './new-node';
import { findDiscriminator, findRuleBroken, isStringMap, labelFromKey } from './schema-rules';

/** Shaped like zod's toJSONSchema output for the engine's webhook trigger. */
const webhookParams: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._~-]+(\\/[A-Za-z0-9._~-]+)*$' },
    method: { default: 'POST', type: 'string', enum: ['GET', 'POST'] },
    auth: {
      default: { type: 'none' },
      oneOf: [
        { type: 'object', properties: { type: { type: 'string', const: 'none' } }, required: ['type'] },
        { type: 'object', properties: { type: { type: 'string', const: 'hmac-sha256' }, header: { type: 'string' } }, required: ['type', 'header'] },
      ],
    },
    mapping: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
  },
  required: ['path', 'mapping'],
};

describe('schema rules', () => {
  it('finds the property that tells the variants of a oneOf apart', () => {
    const found = findDiscriminator(webhookParams.properties!.auth!);
    expect(found?.key).toBe('type');
    expect(found?.options.map((option) => option.value)).toEqual(['none', 'hmac-sha256']);
    expect(findDiscriminator(webhookParams.properties!.path!)).toBeNull();
  });

  it('says which rule a value breaks, in words, and lets {{ }} templates through', () => {
    const path = webhookParams.properties!.path!;
    expect(findRuleBroken(path, undefined, true)).toBe('Required.');
    expect(findRuleBroken(path, 'not a path', true)).toBe('This value does not have the expected format.');
    expect(findRuleBroken(path, 'orders/new', true)).toBeNull();
    expect(findRuleBroken(path, '{{ $trigger.body.path }}', true)).toBeNull();
    expect(findRuleBroken({ type: 'integer', minimum: 100, maximum: 599 }, 99, false)).toBe('At least 100.');
    expect(findRuleBroken({ type: 'integer' }, 1.5, false)).toBe('A whole number.');
    expect(findRuleBroken(webhookParams.properties!.method!, undefined, true)).toBeNull();
  });

  it('starts a node with its required defaults, an empty map, and a fresh webhook path', () => {
    const params = buildInitialParams(webhookParams);
    expect(params.mapping).toEqual({});
    expect(params.path).toMatch(/^hook-[a-z0-9]{1,4}$/);
    expect(params).not.toHaveProperty('method');
  });

  it('recognises objects of strings and labels keys for people', () => {
    expect(isStringMap(webhookParams.properties!.mapping!)).toBe(true);
    expect(isStringMap(webhookParams.properties!.auth!)).toBe(false);
    expect(labelFromKey('timeoutMs')).toBe('Timeout ms');
    expect(labelFromKey('from_port')).toBe('From port');
  });
});
