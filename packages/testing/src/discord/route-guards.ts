import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { RouteReply, RouteRequest } from './discord-router';
import { replyDiscordError, replyJson, replyUnauthorized } from './discord-replies';
import type { DiscordState, StandinApplication, StandinGuild } from './discord-state';
import type { StandinChannel } from './guild-entities';
import type { StandinUser } from './user-entities';

/** The messages Discord sends with each "Unknown …" code (Topics › Opcodes and Status Codes › JSON Error Codes). */
const UNKNOWN_MESSAGES: Partial<Record<RESTJSONErrorCodes, string>> = {
  [RESTJSONErrorCodes.UnknownApplication]: 'Unknown Application',
  [RESTJSONErrorCodes.UnknownChannel]: 'Unknown Channel',
  [RESTJSONErrorCodes.UnknownGuild]: 'Unknown Guild',
  [RESTJSONErrorCodes.UnknownMember]: 'Unknown Member',
  [RESTJSONErrorCodes.UnknownMessage]: 'Unknown Message',
  [RESTJSONErrorCodes.UnknownRole]: 'Unknown Role',
  [RESTJSONErrorCodes.UnknownUser]: 'Unknown User',
  [RESTJSONErrorCodes.UnknownWebhook]: 'Unknown Webhook',
  [RESTJSONErrorCodes.UnknownInteraction]: 'Unknown interaction',
  [RESTJSONErrorCodes.UnknownApplicationCommand]: 'Unknown application command',
};

export function replyUnknown(code: RESTJSONErrorCodes): RouteReply {
  return replyDiscordError(404, code, UNKNOWN_MESSAGES[code] ?? 'Unknown');
}

export function replyMissingAccess(): RouteReply {
  return replyDiscordError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
}

export function replyMissingPermissions(): RouteReply {
  return replyDiscordError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
}

export function replyNoContent(): RouteReply {
  return { status: 204 };
}

/** Reference › Error Messages: code 50035 with `_errors` per field path (`a.0.b` nests as `{ a: { 0: { b } } }`). */
export function replyInvalidForm(errors: Record<string, { code: string; message: string }>): RouteReply {
  const nested: Record<string, unknown> = {};
  for (const [path, error] of Object.entries(errors)) {
    // `_root` is an error about the body as a whole: `_errors` at the top of `errors`.
    if (path === '_root') {
      nested._errors = [error];
      continue;
    }
    let node = nested;
    const parts = path.split('.');
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = { _errors: [error] };
  }
  return replyJson({ message: 'Invalid Form Body', code: RESTJSONErrorCodes.InvalidFormBodyOrContentType, errors: nested }, 400);
}

export function replyRequired(field: string): RouteReply {
  return replyInvalidForm({ [field]: { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' } });
}

/** Parses a JSON body; an empty body counts as `{}` as Discord treats it for routes without required fields. */
export function parseJsonBody(request: RouteRequest): { value: unknown } | { reply: RouteReply } {
  if (request.body.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(request.body) as unknown };
  } catch {
    return { reply: replyDiscordError(400, RESTJSONErrorCodes.RequestBodyContainsInvalidJSON, 'The request body contains invalid JSON.') };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type BotCaller = { application: StandinApplication; bot: StandinUser };

/** `Authorization: Bot <token>` of a live token, else Discord's 401. */
export function authenticateBot(request: RouteRequest, state: DiscordState): BotCaller | RouteReply {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  const application = scheme === 'Bot' && token ? state.findApplicationByBotToken(token) : undefined;
  if (!application?.bot) return replyUnauthorized();
  return { application, bot: application.bot.user };
}

export function isReply(value: object): value is RouteReply {
  return 'status' in value && typeof (value as RouteReply).status === 'number';
}

/** The guild, if it exists (10004) and the bot is in it (403 Missing Access otherwise, as for a guild the bot left). */
export function requireGuildOfBot(state: DiscordState, guildId: string, bot: StandinUser): StandinGuild | RouteReply {
  const guild = state.findGuild(guildId);
  if (!guild) return replyUnknown(RESTJSONErrorCodes.UnknownGuild);
  if (!state.guildStore.findMember(guildId, bot.id)) return replyMissingAccess();
  return guild;
}

/** A channel the bot can see: a guild channel of a guild it is in, or a DM it is part of. */
export function requireChannelOfBot(state: DiscordState, channelId: string, bot: StandinUser): StandinChannel | RouteReply {
  const channel = state.guildStore.channels.get(channelId);
  if (!channel) return replyUnknown(RESTJSONErrorCodes.UnknownChannel);
  const canSee = channel.guild_id
    ? state.guildStore.findMember(channel.guild_id, bot.id) !== undefined
    : (channel.recipient_ids ?? []).includes(bot.id);
  return canSee ? channel : replyMissingAccess();
}

export function hasPermission(state: DiscordState, guildId: string, userId: string, permission: bigint): boolean {
  return (state.guildStore.computePermissions(guildId, userId) & permission) === permission;
}
