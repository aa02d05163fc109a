import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { DiscordRouter, RouteReply, RouteRequest } from './discord-router';
import { replyJson } from './discord-replies';
import type { DiscordState, StandinGuild } from './discord-state';
import type { StandinMember } from './guild-entities';
import { inGuild } from './guilds.routes';
import {
  hasPermission,
  isRecord,
  parseJsonBody,
  replyInvalidForm,
  replyMissingPermissions,
  replyNoContent,
  replyUnknown,
  type BotCaller,
} from './route-guards';

/** Members › Modify Guild Member: a timeout ends at most 28 days ahead. */
const MAX_TIMEOUT_MS = 28 * 24 * 60 * 60_000;
const MAX_BAN_DELETE_SECONDS = 604_800;

/**
 * Resources › Guild: member roles, kick, ban and Modify Guild Member. The bot
 * needs the permission and, as on Discord, may act only on roles and members
 * below its own highest role; nobody acts on the owner.
 */
export function registerGuildMemberRoutes(router: DiscordRouter, state: DiscordState): void {
  const onMember = (permission: bigint, reply: (request: RouteRequest, caller: BotCaller, guild: StandinGuild, member: StandinMember) => RouteReply) =>
    inGuild(state, (request, caller, guild) => {
      if (!hasPermission(state, guild.id, caller.bot.id, permission)) return replyMissingPermissions();
      const member = state.guildStore.findMember(guild.id, request.params.userId!);
      return member ? reply(request, caller, guild, member) : replyUnknown(RESTJSONErrorCodes.UnknownMember);
    });
  router.add(
    { method: 'PUT', path: '/guilds/:guildId/members/:userId/roles/:roleId', reply: onMember(PermissionFlagsBits.ManageRoles, (r, c, g, m) => changeRole(r, state, c, g, m, true)) },
    { method: 'DELETE', path: '/guilds/:guildId/members/:userId/roles/:roleId', reply: onMember(PermissionFlagsBits.ManageRoles, (r, c, g, m) => changeRole(r, state, c, g, m, false)) },
    {
      method: 'DELETE',
      path: '/guilds/:guildId/members/:userId',
      reply: onMember(PermissionFlagsBits.KickMembers, (_r, caller, guild, member) => {
        if (!outranks(state, guild, caller.bot.id, member.user_id)) return replyMissingPermissions();
        state.guildStore.removeMember(guild.id, member.user_id);
        return replyNoContent();
      }),
    },
    { method: 'PATCH', path: '/guilds/:guildId/members/:userId', reply: onMember(0n, (r, c, g, m) => modifyMember(r, state, c, g, m)) },
    { method: 'PUT', path: '/guilds/:guildId/bans/:userId', reply: inGuild(state, (r, c, g) => banUser(r, state, c, g)) },
  );
}

function changeRole(request: RouteRequest, state: DiscordState, caller: BotCaller, guild: StandinGuild, member: StandinMember, isAdding: boolean): RouteReply {
  const role = state.guildStore.findRole(guild.id, request.params.roleId!);
  if (!role || role.id === guild.id) return replyUnknown(RESTJSONErrorCodes.UnknownRole);
  if (role.managed || role.position >= state.guildStore.highestRolePosition(guild.id, caller.bot.id)) return replyMissingPermissions();
  const hasRole = member.roles.includes(role.id);
  // Adding a role the member has (or removing one it lacks) changes nothing and announces nothing.
  if (hasRole !== isAdding) {
    const roles = isAdding ? [...member.roles, role.id] : member.roles.filter((id) => id !== role.id);
    state.guildStore.updateMember(guild.id, member.user_id, { roles });
  }
  return replyNoContent();
}

function modifyMember(request: RouteRequest, state: DiscordState, caller: BotCaller, guild: StandinGuild, member: StandinMember): RouteReply {
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  if (!isRecord(body.value)) return replyInvalidForm({ _root: { code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' } });
  const value = body.value;
  const patch: Partial<Pick<StandinMember, 'roles' | 'nick' | 'communication_disabled_until'>> = {};
  const can = (permission: bigint) => hasPermission(state, guild.id, caller.bot.id, permission);
  if ('communication_disabled_until' in value) {
    if (!can(PermissionFlagsBits.ModerateMembers)) return replyMissingPermissions();
    // Administrators and the owner cannot be timed out; hierarchy applies as for kicks.
    const isTargetAdmin = hasPermission(state, guild.id, member.user_id, PermissionFlagsBits.Administrator);
    if (isTargetAdmin || !outranks(state, guild, caller.bot.id, member.user_id)) return replyMissingPermissions();
    const until = value.communication_disabled_until;
    if (until !== null) {
      const untilMs = typeof until === 'string' ? Date.parse(until) : Number.NaN;
      const nowMs = state.clock.now().getTime();
      if (Number.isNaN(untilMs) || untilMs - nowMs > MAX_TIMEOUT_MS) {
        return replyInvalidForm({ communication_disabled_until: { code: 'COMMUNICATION_DISABLED_TIMESTAMP_TOO_FAR', message: 'Timeout must be at most 28 days in the future.' } });
      }
    }
    patch.communication_disabled_until = until === null ? null : new Date(Date.parse(until as string)).toISOString();
  }
  if ('nick' in value) {
    if (!can(PermissionFlagsBits.ManageNicknames)) return replyMissingPermissions();
    if (value.nick !== null && (typeof value.nick !== 'string' || value.nick.length > 32)) {
      return replyInvalidForm({ nick: { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 32 or fewer in length.' } });
    }
    patch.nick = (value.nick as string | null) || null;
  }
  if ('roles' in value) {
    if (!can(PermissionFlagsBits.ManageRoles)) return replyMissingPermissions();
    if (!Array.isArray(value.roles)) return replyInvalidForm({ roles: { code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' } });
    const roleIds = value.roles.map(String);
    const botRank = state.guildStore.highestRolePosition(guild.id, caller.bot.id);
    for (const roleId of roleIds) {
      const role = state.guildStore.findRole(guild.id, roleId);
      if (!role) return replyUnknown(RESTJSONErrorCodes.UnknownRole);
      if (!member.roles.includes(roleId) && role.position >= botRank) return replyMissingPermissions();
    }
    patch.roles = roleIds;
  }
  const updated = state.guildStore.updateMember(guild.id, member.user_id, patch)!;
  return replyJson(state.guildStore.toMemberPayload(updated));
}

function banUser(request: RouteRequest, state: DiscordState, caller: BotCaller, guild: StandinGuild): RouteReply {
  if (!hasPermission(state, guild.id, caller.bot.id, PermissionFlagsBits.BanMembers)) return replyMissingPermissions();
  const userId = request.params.userId!;
  if (!state.findUser(userId)) return replyUnknown(RESTJSONErrorCodes.UnknownUser);
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const seconds = isRecord(body.value) ? body.value.delete_message_seconds : undefined;
  if (seconds !== undefined && (!Number.isInteger(seconds) || (seconds as number) < 0 || (seconds as number) > MAX_BAN_DELETE_SECONDS)) {
    return replyInvalidForm({ delete_message_seconds: { code: 'NUMBER_TYPE_MAX', message: `int value should be between 0 and ${MAX_BAN_DELETE_SECONDS}.` } });
  }
  if (state.guildStore.findMember(guild.id, userId) && !outranks(state, guild, caller.bot.id, userId)) return replyMissingPermissions();
  state.guildStore.ban(guild.id, userId);
  return replyNoContent();
}

/** Role hierarchy (Topics › Permissions › Permission Hierarchy): strictly higher, and never over the owner. */
function outranks(state: DiscordState, guild: StandinGuild, actorId: string, targetId: string): boolean {
  if (targetId === guild.owner_id || actorId === targetId) return false;
  return state.guildStore.highestRolePosition(guild.id, actorId) > state.guildStore.highestRolePosition(guild.id, targetId);
}
