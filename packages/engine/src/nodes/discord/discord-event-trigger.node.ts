import { z } from 'zod';
import { defineNode } from '../../define-node';

/** The gateway events a bot's event flow can start on (see modules/bots for the input of each). */
export const DISCORD_EVENT_TYPES = [
  'member.join',
  'member.leave',
  'message.create',
  'reaction.add',
  'reaction.remove',
  'role.create',
  'role.update',
  'role.delete',
  'channel.create',
  'channel.update',
  'channel.delete',
  'guild.join',
  'guild.leave',
] as const;
export type DiscordEventType = (typeof DISCORD_EVENT_TYPES)[number];

export const DiscordEventTriggerParams = z.object({
  event: z.enum(DISCORD_EVENT_TYPES).describe('The Discord event that starts this workflow, e.g. member.join when someone joins a server'),
});

/**
 * Started by a gateway event of a bot whose event flow names this workflow.
 * The host passes one flat, documented input per event: always `event`,
 * `botId`, `applicationId`, `guildId`; then `user` and `member` (member.*),
 * `message` (message.create), `reaction` (reaction.*), `role` / `roleId`
 * (role.*), `channel` (channel.*), `guild` (guild.*).
 */
export const discordEventTriggerNode = defineNode({
  type: 'trigger.discord-event',
  version: 1,
  name: 'Discord event',
  description: 'Starts the workflow when something happens in a server the bot is in: a member joins, a message is posted, a reaction is added …',
  kind: 'trigger',
  params: DiscordEventTriggerParams,
  ports: { inputs: [], outputs: ['main'] },
  run: ({ input }) => ({ output: input }),
});
