import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { DiscordRouter, RouteReply, RouteRequest } from './discord-router';
import { replyJson } from './discord-replies';
import type { DiscordState, StandinGuild } from './discord-state';
import { toApiChannel, toApiGuild, toApiRole } from './guild-payloads';
import {
  authenticateBot,
  hasPermission,
  isRecord,
  isReply,
  parseJsonBody,
  replyInvalidForm,
  replyMissingPermissions,
  replyUnknown,
  requireGuildOfBot,
  type BotCaller,
} from './route-guards';

export type GuildRouteReply = (request: RouteRequest, caller: BotCaller, guild: StandinGuild) => RouteReply;

/** A bot-authenticated route on a guild the bot is in (10004 unknown, 403 Missing Access when not a member). */
export function inGuild(state: DiscordState, reply: GuildRouteReply) {
  return (request: RouteRequest): RouteReply => {
    const caller = authenticateBot(request, state);
    if (isReply(caller)) return caller;
    const guild = requireGuildOfBot(state, request.params.guildId!, caller.bot);
    return isReply(guild) ? guild : reply(request, caller, guild);
  };
}

/** Resources › Guild: reading a guild, its channels, roles and members; creating a role. */
export function registerGuildRoutes(router: DiscordRouter, state: DiscordState): void {
  const store = state.guildStore;
  router.add(
    {
      method: 'GET',
      path: '/guilds/:guildId',
      reply: inGuild(state, (request, _caller, guild) => {
        const result: Record<string, unknown> = { ...toApiGuild(guild, store.listRoles(guild.id)) };
        if (request.query.get('with_counts') === 'true') Object.assign(result, { approximate_member_count: store.listMembers(guild.id).length, approximate_presence_count: 0 });
        return replyJson(result);
      }),
    },
    { method: 'GET', path: '/guilds/:guildId/channels', reply: inGuild(state, (_r, _c, guild) => replyJson(store.listChannels(guild.id).map((c) => toApiChannel(c)))) },
    { method: 'GET', path: '/guilds/:guildId/roles', reply: inGuild(state, (_r, _c, guild) => replyJson(store.listRoles(guild.id).map(toApiRole))) },
    { method: 'POST', path: '/guilds/:guildId/roles', reply: inGuild(state, (request, caller, guild) => createRole(request, state, caller, guild)) },
    {
      method: 'GET',
      path: '/guilds/:guildId/members/:userId',
      reply: inGuild(state, (request, _c, guild) => {
        const member = store.findMember(guild.id, request.params.userId!);
        return member ? replyJson(store.toMemberPayload(member)) : replyUnknown(RESTJSONErrorCodes.UnknownMember);
      }),
    },
  );
}

/** Create Guild Role: needs MANAGE_ROLES; the new role sits just above @everyone, like Discord's. */
function createRole(request: RouteRequest, state: DiscordState, caller: BotCaller, guild: StandinGuild): RouteReply {
  if (!hasPermission(state, guild.id, caller.bot.id, PermissionFlagsBits.ManageRoles)) return replyMissingPermissions();
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const value = isRecord(body.value) ? body.value : {};
  if (value.name !== undefined && (typeof value.name !== 'string' || value.name.length > 100)) {
    return replyInvalidForm({ name: { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' } });
  }
  const permissions = readPermissions(value.permissions);
  if (permissions === undefined) return replyInvalidForm({ permissions: { code: 'NUMBER_TYPE_COERCE', message: 'Value is not int.' } });
  for (const role of state.guildStore.listRoles(guild.id)) if (role.position >= 1) role.position += 1;
  const role = state.guildStore.addRole(guild.id, {
    name: (value.name as string | undefined) ?? 'new role',
    permissions,
    color: typeof value.color === 'number' ? value.color : 0,
    hoist: value.hoist === true,
    mentionable: value.mentionable === true,
    position: 1,
  });
  return replyJson(toApiRole(role));
}

/** Permissions travel as a decimal string; absent means none. */
function readPermissions(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return 0n;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  return BigInt(value);
}
