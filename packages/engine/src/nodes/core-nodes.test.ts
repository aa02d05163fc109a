import { describe, expect, it } from 'vitest';
import { createCoreNodeRegistry } from './core-nodes';

describe('createCoreNodeRegistry', () => {
  it('holds the built-in nodes and describes each one for the editor', () => {
    const described = createCoreNodeRegistry().describe();
    expect(described.map((node) => `${node.type}@${node.version}:${node.kind}`)).toEqual([
      'trigger.manual@1:trigger',
      'trigger.webhook@1:trigger',
      'transform@1:action',
      'condition@1:flow',
      'respond@1:action',
    ]);
    const webhook = described.find((node) => node.type === 'trigger.webhook')!;
    expect(webhook.params).toMatchObject({ type: 'object', required: ['path'], properties: { method: { default: 'POST' } } });
    expect(described.find((node) => node.type === 'condition')!.ports.outputs).toEqual(['true', 'false']);
  });
});
