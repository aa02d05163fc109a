import { GatewayIntentBits, type APIGuildMember, type ApplicationFlags, type GatewayReadyDispatchData } from 'discord-api-types/v10';
import type { DiscordState, StandinApplication } from '../discord-state';
import { toApiChannel, toApiGuild } from '../guild-payloads';
import { toApiUser } from '../user-entities';

export interface SessionView {
  id: string;
  application: StandinApplication;
  intents: number;
  shard?: [number, number];
}

/** Whether a guild belongs to the session's shard: `(guild_id >> 22) % num_shards == shard_id` (Events › Gateway › Sharding). */
export function isGuildOnShard(guildId: string | undefined, shard: [number, number] | undefined): boolean {
  if (!shard) return true;
  const [shardId, shardCount] = shard;
  if (guildId === undefined) return shardId === 0; // DMs go to shard 0.
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount)) === shardId;
}

/** Guild ids the bot is in that this session handles. */
export function listSessionGuildIds(state: DiscordState, session: SessionView): string[] {
  const botId = session.application.bot!.user.id;
  return state.listMemberships(botId).map((membership) => membership.guild.id).filter((id) => isGuildOnShard(id, session.shard));
}

/** Events › Gateway Events › Ready: guilds start unavailable and arrive as GUILD_CREATE afterwards. */
export function buildReady(state: DiscordState, session: SessionView, resumeGatewayUrl: string, version: number): GatewayReadyDispatchData {
  const ready: GatewayReadyDispatchData = {
    v: version,
    user: toApiUser(session.application.bot!.user, false),
    guilds: listSessionGuildIds(state, session).map((id) => ({ id, unavailable: true })),
    session_id: session.id,
    resume_gateway_url: resumeGatewayUrl,
    application: { id: session.application.id, flags: 0 as ApplicationFlags, flags_new: '0' },
  };
  if (session.shard) ready.shard = session.shard;
  return ready;
}

/**
 * Events › Gateway Events › Guild Create: the guild with its channels,
 * threads, roles and members. Without GUILD_PRESENCES the member list holds
 * only the bot itself (members in voice are not modelled).
 */
export function buildGuildCreate(state: DiscordState, guildId: string, session: SessionView): Record<string, unknown> | undefined {
  const guild = state.findGuild(guildId);
  if (!guild) return undefined;
  const store = state.guildStore;
  const botId = session.application.bot!.user.id;
  const botMember = store.findMember(guildId, botId);
  const hasPresences = (session.intents & GatewayIntentBits.GuildPresences) !== 0;
  const members: APIGuildMember[] = store
    .listMembers(guildId)
    .filter((member) => hasPresences || member.user_id === botId)
    .map((member) => store.toMemberPayload(member));
  return {
    ...toApiGuild(guild, store.listRoles(guildId)),
    joined_at: botMember?.joined_at ?? guild.created_at,
    large: store.listMembers(guildId).length > 250,
    unavailable: false,
    member_count: store.listMembers(guildId).length,
    voice_states: [],
    members,
    channels: store.listChannels(guildId).map((channel) => toApiChannel(channel)),
    threads: store.listThreads(guildId).map((channel) => toApiChannel(channel)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
