import { describe, expect, it } from 'vitest';
import { createCoreNodeRegistry } from './core-nodes';

interface ParamsSchema {
  type: string;
  properties: Record<string, { description?: string }>;
  required?: string[];
}

describe('createCoreNodeRegistry', () => {
  const described = createCoreNodeRegistry().describe();
  const find = (type: string) => described.find((node) => node.type === type)!;

  it('holds the built-in nodes and describes each one for the editor', () => {
    expect(described.map((node) => `${node.type}@${node.version}:${node.kind}`)).toEqual([
      'trigger.manual@1:trigger',
      'trigger.webhook@1:trigger',
      'trigger.schedule@1:trigger',
      'trigger.event@1:trigger',
      'trigger.subworkflow@1:trigger',
      'trigger.discord-command@1:trigger',
      'trigger.discord-event@1:trigger',
      'transform@1:action',
      'condition@1:flow',
      'respond@1:action',
      'http.request@1:action',
      'switch@1:flow',
      'merge@1:flow',
      'loop.items@1:flow',
      'delay@1:flow',
      'wait.until@1:flow',
      'wait.webhook@1:flow',
      'code@1:action',
      'email.send@1:action',
      'workflow.call@1:action',
      'discord.message.send@1:action',
      'discord.message.edit@1:action',
      'discord.message.delete@1:action',
      'discord.interaction.reply@1:action',
      'discord.member.add-role@1:action',
      'discord.member.remove-role@1:action',
      'discord.member.kick@1:action',
      'discord.member.ban@1:action',
      'discord.member.timeout@1:action',
      'discord.thread.create@1:action',
      'discord.user.dm@1:action',
      'discord.variable.get@1:action',
      'discord.variable.set@1:action',
      'discord.variable.increment@1:action',
    ]);
    const webhook = find('trigger.webhook');
    expect(webhook.params).toMatchObject({ type: 'object', required: ['path'], properties: { method: { default: 'POST' } } });
    expect(find('condition').ports.outputs).toEqual(['true', 'false']);
  });

  it('gives every param of every node a description and a JSON Schema type', () => {
    for (const node of described) {
      const params = node.params as unknown as ParamsSchema;
      expect(params.type, node.type).toBe('object');
      for (const [name, property] of Object.entries(params.properties)) {
        expect(property.description, `${node.type}.${name}`).toMatch(/\w{3,}/);
      }
    }
  });

  it('describes ports, credentials and waits of the new nodes', () => {
    expect(find('switch').ports.outputs).toEqual(['case0', 'case1', 'case2', 'case3', 'case4', 'case5', 'case6', 'case7', 'case8', 'case9', 'default']);
    expect(find('merge').ports).toEqual({ inputs: ['a', 'b'], outputs: ['main'] });
    expect(find('wait.webhook')).toMatchObject({ canSuspend: true, ports: { outputs: ['main', 'timeout'] } });
    expect(find('wait.until').canSuspend).toBe(true);
    expect(find('delay').canSuspend).toBeUndefined();
    expect(find('http.request')).toMatchObject({
      hasSideEffects: true,
      credentialTypes: ['api-key', 'basic-auth', 'bearer-token', 'oauth2-client-credentials'],
      params: { required: ['url'], properties: { auth: { default: 'none' }, body: { default: { type: 'none' } } } },
    });
    expect(find('email.send')).toMatchObject({ credentialType: 'smtp', params: { required: ['to', 'subject', 'text'] } });
    expect(find('code').params).toMatchObject({ required: ['code'] });
  });
});
