import { z } from 'zod';
import { defineNode } from '../../define-node';
import { requireService, type BotDataService, type BotVariableAddress } from '../../node-services';
import { BotIdParam } from './discord-params';

const Address = {
  botId: BotIdParam,
  scope: z.enum(['global', 'guild', 'user', 'channel']).default('global').describe('global: one value for the bot; guild, user or channel: one value per server, member or channel'),
  scopeId: z.string().regex(/^\d{17,20}$/).optional().describe('The server, user or channel id for a scoped variable, e.g. {{ $trigger.user.id }}'),
  key: z.string().min(1).max(100).regex(/^[\w.:-]+$/).describe('Variable name: letters, digits, "_", ".", ":" and "-"'),
};

function addressOf(params: { botId: string; scope: BotVariableAddress['scope']; scopeId?: string | undefined; key: string }): BotVariableAddress {
  return { botId: params.botId, scope: params.scope, key: params.key, ...(params.scopeId === undefined ? {} : { scopeId: params.scopeId }) };
}

export const botVariableGetNode = defineNode({
  type: 'discord.variable.get',
  version: 1,
  name: 'Read bot variable',
  description: "Reads one of the bot's stored variables (null when it was never set).",
  kind: 'action',
  params: z.object(Address),
  ports: { inputs: ['main'], outputs: ['main'] },
  async run({ params, services }) {
    const value = await requireService<BotDataService>(services, 'botData', 'discord.variable.get').get(addressOf(params));
    return { output: { key: params.key, value } };
  },
});

export const botVariableSetNode = defineNode({
  type: 'discord.variable.set',
  version: 1,
  name: 'Store bot variable',
  description: 'Stores a text, number, list or object in one of the bot’s variables.',
  kind: 'action',
  params: z.object({ ...Address, value: z.unknown().describe('The value to store: text, number, list or object') }),
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services }) {
    const value = await requireService<BotDataService>(services, 'botData', 'discord.variable.set').set(addressOf(params), params.value ?? null);
    return { output: { key: params.key, value } };
  },
});

export const botVariableIncrementNode = defineNode({
  type: 'discord.variable.increment',
  version: 1,
  name: 'Count in bot variable',
  description: 'Adds to a number variable atomically (a missing one starts at 0), e.g. to count messages per member.',
  kind: 'action',
  params: z.object({ ...Address, by: z.number().finite().default(1).describe('How much to add (negative to subtract)') }),
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services }) {
    const value = await requireService<BotDataService>(services, 'botData', 'discord.variable.increment').increment(addressOf(params), params.by);
    return { output: { key: params.key, value } };
  },
});
