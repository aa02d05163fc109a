import { z } from 'zod';
import { defineNode } from '../../define-node';
import { BotIdParam, callDiscord, Snowflake } from './discord-params';

const MemberTarget = {
  botId: BotIdParam,
  guildId: Snowflake.describe('Server (guild) id'),
  userId: Snowflake.describe('The member'),
  reason: z.string().max(512).optional().describe('Reason shown in the server audit log'),
};
const reasonOf = (params: { reason?: string | undefined }) => (params.reason ? { reason: params.reason } : {});

const RoleParams = z.object({ ...MemberTarget, roleId: Snowflake.describe('Role to give or take (must be below the bot’s highest role)') });

/** Guild › Add/Remove Guild Member Role (needs MANAGE_ROLES and the role hierarchy). */
export const discordAddRoleNode = defineNode({
  type: 'discord.member.add-role',
  version: 1,
  name: 'Give Discord role',
  description: 'Gives a member a role.',
  kind: 'action',
  params: RoleParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    const route = `/guilds/${params.guildId}/members/${params.userId}/roles/${params.roleId}` as const;
    await callDiscord(services, 'discord.member.add-role', { botId: params.botId, method: 'PUT', route, ...reasonOf(params), signal });
    return { output: { guildId: params.guildId, userId: params.userId, roleId: params.roleId } };
  },
});

export const discordRemoveRoleNode = defineNode({
  type: 'discord.member.remove-role',
  version: 1,
  name: 'Take Discord role',
  description: 'Removes a role from a member.',
  kind: 'action',
  params: RoleParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    const route = `/guilds/${params.guildId}/members/${params.userId}/roles/${params.roleId}` as const;
    await callDiscord(services, 'discord.member.remove-role', { botId: params.botId, method: 'DELETE', route, ...reasonOf(params), signal });
    return { output: { guildId: params.guildId, userId: params.userId, roleId: params.roleId } };
  },
});

/** Guild › Remove Guild Member (needs KICK_MEMBERS). */
export const discordKickNode = defineNode({
  type: 'discord.member.kick',
  version: 1,
  name: 'Kick Discord member',
  description: 'Removes a member from the server; they can join again with an invite.',
  kind: 'action',
  params: z.object(MemberTarget),
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    await callDiscord(services, 'discord.member.kick', { botId: params.botId, method: 'DELETE', route: `/guilds/${params.guildId}/members/${params.userId}`, ...reasonOf(params), signal });
    return { output: { guildId: params.guildId, userId: params.userId, action: 'kick' } };
  },
});

/** Guild › Create Guild Ban (needs BAN_MEMBERS). */
export const discordBanNode = defineNode({
  type: 'discord.member.ban',
  version: 1,
  name: 'Ban Discord member',
  description: 'Bans a user from the server, optionally deleting their recent messages.',
  kind: 'action',
  params: z.object({
    ...MemberTarget,
    deleteMessageSeconds: z.number().int().min(0).max(604_800).default(0).describe('Delete their messages from this many seconds back (up to 7 days)'),
  }),
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    await callDiscord(services, 'discord.member.ban', {
      botId: params.botId,
      method: 'PUT',
      route: `/guilds/${params.guildId}/bans/${params.userId}`,
      body: { delete_message_seconds: params.deleteMessageSeconds },
      ...reasonOf(params),
      signal,
    });
    return { output: { guildId: params.guildId, userId: params.userId, action: 'ban' } };
  },
});

/** Guild › Modify Guild Member `communication_disabled_until` (needs MODERATE_MEMBERS; at most 28 days). */
export const discordTimeoutNode = defineNode({
  type: 'discord.member.timeout',
  version: 1,
  name: 'Time out Discord member',
  description: 'Stops a member from talking, reacting and joining voice for a while (0 lifts the timeout).',
  kind: 'action',
  params: z.object({
    ...MemberTarget,
    durationSeconds: z.number().int().min(0).max(2_419_200).describe('How long, in seconds (up to 28 days); 0 removes a timeout'),
  }),
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    const until = params.durationSeconds === 0 ? null : new Date(Date.now() + params.durationSeconds * 1000).toISOString();
    await callDiscord(services, 'discord.member.timeout', {
      botId: params.botId,
      method: 'PATCH',
      route: `/guilds/${params.guildId}/members/${params.userId}`,
      body: { communication_disabled_until: until },
      ...reasonOf(params),
      signal,
    });
    return { output: { guildId: params.guildId, userId: params.userId, action: 'timeout', until } };
  },
});
