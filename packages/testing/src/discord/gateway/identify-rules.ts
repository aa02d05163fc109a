import { GatewayCloseCodes, GatewayIntentBits } from 'discord-api-types/v10';
import type { DiscordState, StandinApplication } from '../discord-state';
import { isRecord } from '../route-guards';
import { KNOWN_INTENTS, PRIVILEGED_INTENTS } from './gateway-intents';

/** Events › Gateway › Sharding: a session may handle at most 2,500 guilds. */
const MAX_GUILDS_PER_SHARD = 2500;

export type IdentifyVerdict =
  | { kind: 'accepted'; application: StandinApplication; intents: number; shard: [number, number] | undefined }
  | { kind: 'refused'; code: GatewayCloseCodes; reason: string };

/** Discord accepts the raw token; some clients send it with the REST `Bot ` prefix. */
export function findBotApplication(state: DiscordState, token: unknown): StandinApplication | undefined {
  if (typeof token !== 'string') return undefined;
  const application = state.findApplicationByBotToken(token.replace(/^Bot /, ''));
  return application?.bot ? application : undefined;
}

/**
 * Checks an IDENTIFY payload (Events › Gateway Events › Identify) in the order
 * the close codes describe: shape (4002), token (4004), shard (4010, 4011),
 * intents (4013 for unknown bits or none given, 4014 for privileged intents
 * the application has not switched on).
 */
export function checkIdentify(state: DiscordState, data: unknown): IdentifyVerdict {
  if (!isRecord(data) || typeof data.token !== 'string' || !isRecord(data.properties)) {
    return refuse(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
  }
  const application = findBotApplication(state, data.token);
  if (!application) return refuse(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');

  const shard = data.shard;
  let validShard: [number, number] | undefined;
  if (shard !== undefined) {
    const isValid = Array.isArray(shard) && shard.length === 2 && shard.every(Number.isInteger) && shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1];
    if (!isValid) return refuse(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
    validShard = [shard[0] as number, shard[1] as number];
  }
  const guildCount = state.listMemberships(application.bot!.user.id).length;
  if (guildCount > MAX_GUILDS_PER_SHARD * (validShard?.[1] ?? 1)) return refuse(GatewayCloseCodes.ShardingRequired, 'Sharding required.');

  const intents = data.intents;
  if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
    return refuse(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
  }
  if ((intents & PRIVILEGED_INTENTS & ~application.privilegedIntents) !== 0) {
    return refuse(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
  }
  return { kind: 'accepted', application, intents, shard: validShard };
}

/** Opcode 8's rules (Events › Gateway Events › Request Guild Members): whole lists need GUILD_MEMBERS. */
export function checkGuildMembersRequest(data: unknown, intents: number): { guildId: string; query?: string; limit: number; userIds?: string[]; nonce?: string } | GatewayCloseCodes {
  if (!isRecord(data) || typeof data.guild_id !== 'string') return GatewayCloseCodes.DecodeError;
  const userIds = Array.isArray(data.user_ids) ? data.user_ids.map(String) : typeof data.user_ids === 'string' ? [data.user_ids] : undefined;
  const query = typeof data.query === 'string' ? data.query : undefined;
  if (query === undefined && !userIds) return GatewayCloseCodes.DecodeError;
  const limit = typeof data.limit === 'number' ? data.limit : 0;
  const hasMembersIntent = (intents & GatewayIntentBits.GuildMembers) !== 0;
  if (query === '' && !hasMembersIntent) return GatewayCloseCodes.DisallowedIntents;
  if (data.presences === true && (intents & GatewayIntentBits.GuildPresences) === 0) return GatewayCloseCodes.DisallowedIntents;
  return { guildId: data.guild_id, query, limit, userIds, nonce: typeof data.nonce === 'string' ? data.nonce : undefined };
}

function refuse(code: GatewayCloseCodes, reason: string): IdentifyVerdict {
  return { kind: 'refused', code, reason };
}
