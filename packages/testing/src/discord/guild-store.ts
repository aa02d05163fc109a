import { ChannelType, GatewayDispatchEvents, PermissionFlagsBits } from 'discord-api-types/v10';
import type { Clock } from '@weft/kernel';
import type { DispatchBus } from './dispatch-bus';
import type { StandinChannel, StandinGuild, StandinMember, StandinRole } from './guild-entities';
import { toApiChannel, toApiMember, toApiRole } from './guild-payloads';
import { toPublicUser, type StandinUser } from './user-entities';

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What the guild and message stores need from the rest of the state. */
export interface StoreContext {
  clock: Clock;
  newSnowflake(): string;
  bus: DispatchBus;
  findUser(id: string): StandinUser | undefined;
  /** The application whose bot user this is, if any. */
  findApplicationIdOfBot(userId: string): string | undefined;
}

export type SeedRole = Partial<Omit<StandinRole, 'id' | 'guild_id' | 'permissions'>> & { id?: string; name: string; permissions?: bigint | string };
export type SeedChannel = Partial<Omit<StandinChannel, 'id' | 'guild_id' | 'created_at'>> & { id?: string; name: string };
export interface MemberOptions {
  roles?: string[];
  joined_at?: string;
  nick?: string | null;
}

/**
 * Guilds with their roles, channels, members and bans. Every change that
 * Discord announces on the gateway is published on the bus, to the bots that
 * are members of the guild at that moment.
 */
export class GuildStore {
  readonly guilds = new Map<string, StandinGuild>();
  private readonly roles = new Map<string, Map<string, StandinRole>>();
  private readonly members = new Map<string, Map<string, StandinMember>>();
  private readonly bans = new Map<string, Set<string>>();
  readonly channels = new Map<string, StandinChannel>();

  constructor(private readonly context: StoreContext) {}

  createGuild(guild: StandinGuild, everyonePermissions: bigint): void {
    this.guilds.set(guild.id, guild);
    this.members.set(guild.id, new Map());
    this.bans.set(guild.id, new Set());
    // The @everyone role shares the guild's id (Topics › Permissions).
    const everyone: StandinRole = {
      id: guild.id, guild_id: guild.id, name: '@everyone', color: 0, hoist: false, position: 0,
      permissions: everyonePermissions, managed: false, mentionable: false,
    };
    this.roles.set(guild.id, new Map([[everyone.id, everyone]]));
  }

  /** Application ids of the bots in the guild: who hears about changes in it. */
  audienceOf(guildId: string): string[] {
    const ids: string[] = [];
    for (const userId of this.members.get(guildId)?.keys() ?? []) {
      const applicationId = this.context.findApplicationIdOfBot(userId);
      if (applicationId) ids.push(applicationId);
    }
    return ids;
  }

  publish(guildId: string, event: string, data: unknown, audience = this.audienceOf(guildId)): void {
    this.context.bus.publish({ event, data, applicationIds: audience, guildId });
  }

  addRole(guildId: string, seed: SeedRole): StandinRole {
    const roles = this.requireRoles(guildId);
    const role: StandinRole = {
      id: seed.id ?? this.context.newSnowflake(), guild_id: guildId, name: seed.name, color: seed.color ?? 0,
      hoist: seed.hoist ?? false, position: seed.position ?? roles.size, permissions: BigInt(seed.permissions ?? 0n),
      managed: seed.managed ?? false, mentionable: seed.mentionable ?? false,
    };
    roles.set(role.id, role);
    this.publish(guildId, GatewayDispatchEvents.GuildRoleCreate, { guild_id: guildId, role: toApiRole(role) });
    return role;
  }

  updateRole(guildId: string, roleId: string, patch: Partial<Omit<SeedRole, 'id'>>): StandinRole | undefined {
    const role = this.findRole(guildId, roleId);
    if (!role) return undefined;
    Object.assign(role, { ...patch, ...(patch.permissions === undefined ? {} : { permissions: BigInt(patch.permissions) }) });
    this.publish(guildId, GatewayDispatchEvents.GuildRoleUpdate, { guild_id: guildId, role: toApiRole(role) });
    return role;
  }

  deleteRole(guildId: string, roleId: string): boolean {
    if (roleId === guildId || !this.roles.get(guildId)?.delete(roleId)) return false;
    for (const member of this.members.get(guildId)?.values() ?? []) member.roles = member.roles.filter((id) => id !== roleId);
    this.publish(guildId, GatewayDispatchEvents.GuildRoleDelete, { guild_id: guildId, role_id: roleId });
    return true;
  }

  findRole(guildId: string, roleId: string): StandinRole | undefined {
    return this.roles.get(guildId)?.get(roleId);
  }

  /** Lowest first, as Discord lists them. */
  listRoles(guildId: string): StandinRole[] {
    return [...(this.roles.get(guildId)?.values() ?? [])].sort((a, b) => a.position - b.position);
  }

  addChannel(guildId: string, seed: SeedChannel): StandinChannel {
    this.requireRoles(guildId);
    const channel: StandinChannel = {
      id: seed.id ?? this.context.newSnowflake(), type: seed.type ?? ChannelType.GuildText, guild_id: guildId,
      name: seed.name, position: seed.position ?? this.listChannels(guildId).length, topic: seed.topic ?? null,
      parent_id: seed.parent_id ?? null, nsfw: seed.nsfw ?? false, last_message_id: null,
      ...(seed.owner_id ? { owner_id: seed.owner_id, auto_archive_duration: seed.auto_archive_duration ?? 1440 } : {}),
      created_at: this.context.clock.now().toISOString(),
    };
    this.channels.set(channel.id, channel);
    const event = isThread(channel) ? GatewayDispatchEvents.ThreadCreate : GatewayDispatchEvents.ChannelCreate;
    this.publish(guildId, event, isThread(channel) ? { ...toApiChannel(channel), newly_created: true } : toApiChannel(channel));
    return channel;
  }

  updateChannel(channelId: string, patch: Partial<Pick<StandinChannel, 'name' | 'topic' | 'position' | 'nsfw' | 'parent_id'>>): StandinChannel | undefined {
    const channel = this.channels.get(channelId);
    if (!channel?.guild_id) return undefined;
    Object.assign(channel, patch);
    const event = isThread(channel) ? GatewayDispatchEvents.ThreadUpdate : GatewayDispatchEvents.ChannelUpdate;
    this.publish(channel.guild_id, event, toApiChannel(channel));
    return channel;
  }

  deleteChannel(channelId: string): StandinChannel | undefined {
    const channel = this.channels.get(channelId);
    if (!channel?.guild_id) return undefined;
    this.channels.delete(channelId);
    const event = isThread(channel) ? GatewayDispatchEvents.ThreadDelete : GatewayDispatchEvents.ChannelDelete;
    const data = isThread(channel)
      ? { id: channel.id, guild_id: channel.guild_id, parent_id: channel.parent_id, type: channel.type }
      : toApiChannel(channel);
    this.publish(channel.guild_id, event, data);
    return channel;
  }

  /** Channels of a guild without its threads, by position. */
  listChannels(guildId: string): StandinChannel[] {
    return [...this.channels.values()].filter((c) => c.guild_id === guildId && !isThread(c)).sort((a, b) => a.position - b.position);
  }

  listThreads(guildId: string): StandinChannel[] {
    return [...this.channels.values()].filter((c) => c.guild_id === guildId && isThread(c));
  }

  /** The DM channel between a bot and a user, created on first use (Users › Create DM). */
  openDmChannel(botUserId: string, recipientId: string): StandinChannel {
    const existing = [...this.channels.values()].find(
      (c) => c.type === ChannelType.DM && c.recipient_ids?.includes(botUserId) && c.recipient_ids.includes(recipientId),
    );
    if (existing) return existing;
    const channel: StandinChannel = {
      id: this.context.newSnowflake(), type: ChannelType.DM, name: null, position: 0, topic: null, parent_id: null,
      nsfw: false, last_message_id: null, recipient_ids: [botUserId, recipientId], created_at: this.context.clock.now().toISOString(),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /**
   * Adds a member and announces GUILD_MEMBER_ADD. When the member is a bot,
   * its application receives GUILD_CREATE, as when a bot is added to a guild.
   */
  addMember(guildId: string, userId: string, options: MemberOptions = {}): StandinMember {
    const members = this.members.get(guildId);
    if (!members) throw new Error(`Discord stand-in: no guild ${guildId}`);
    const member: StandinMember = {
      guild_id: guildId, user_id: userId, roles: [...(options.roles ?? [])], nick: options.nick ?? null,
      joined_at: options.joined_at ?? this.context.clock.now().toISOString(), communication_disabled_until: null,
    };
    const audience = this.audienceOf(guildId);
    members.set(userId, member);
    this.publish(guildId, GatewayDispatchEvents.GuildMemberAdd, { ...this.toMemberPayload(member), guild_id: guildId }, audience);
    const applicationId = this.context.findApplicationIdOfBot(userId);
    // The gateway builds the full guild per session: its member list depends on the session's intents.
    if (applicationId) this.context.bus.publish({ event: GatewayDispatchEvents.GuildCreate, data: { id: guildId }, applicationIds: [applicationId], guildId });
    return member;
  }

  updateMember(guildId: string, userId: string, patch: Partial<Pick<StandinMember, 'roles' | 'nick' | 'communication_disabled_until'>>): StandinMember | undefined {
    const member = this.findMember(guildId, userId);
    if (!member) return undefined;
    Object.assign(member, patch);
    this.publish(guildId, GatewayDispatchEvents.GuildMemberUpdate, { ...this.toMemberPayload(member), guild_id: guildId });
    return member;
  }

  /** Kick, leave or ban: GUILD_MEMBER_REMOVE to everyone who could see it, GUILD_DELETE to a removed bot. */
  removeMember(guildId: string, userId: string): StandinMember | undefined {
    const member = this.findMember(guildId, userId);
    if (!member) return undefined;
    const audience = this.audienceOf(guildId);
    this.members.get(guildId)!.delete(userId);
    const user = this.context.findUser(userId);
    this.publish(guildId, GatewayDispatchEvents.GuildMemberRemove, { guild_id: guildId, user: user && toPublicUser(user) }, audience);
    const applicationId = this.context.findApplicationIdOfBot(userId);
    // Without `unavailable`, GUILD_DELETE means the bot was removed (Events › Gateway Events › Guild Delete).
    if (applicationId) this.context.bus.publish({ event: GatewayDispatchEvents.GuildDelete, data: { id: guildId }, applicationIds: [applicationId], guildId });
    return member;
  }

  ban(guildId: string, userId: string): void {
    this.removeMember(guildId, userId);
    this.bans.get(guildId)?.add(userId);
    const user = this.context.findUser(userId);
    this.publish(guildId, GatewayDispatchEvents.GuildBanAdd, { guild_id: guildId, user: user && toPublicUser(user) });
  }

  isBanned(guildId: string, userId: string): boolean {
    return this.bans.get(guildId)?.has(userId) ?? false;
  }

  findMember(guildId: string, userId: string): StandinMember | undefined {
    return this.members.get(guildId)?.get(userId);
  }

  listMembers(guildId: string): StandinMember[] {
    return [...(this.members.get(guildId)?.values() ?? [])];
  }

  /** Base permissions (Topics › Permissions › Permission Overwrites is not modelled): owner and administrators hold all. */
  computePermissions(guildId: string, userId: string): bigint {
    const guild = this.guilds.get(guildId);
    const member = this.findMember(guildId, userId);
    if (!guild || !member) return 0n;
    if (guild.owner_id === userId) return ALL_PERMISSIONS;
    let permissions = this.findRole(guildId, guildId)?.permissions ?? 0n;
    for (const roleId of member.roles) permissions |= this.findRole(guildId, roleId)?.permissions ?? 0n;
    return (permissions & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : permissions;
  }

  /** Position of the member's highest role; the owner outranks everyone. */
  highestRolePosition(guildId: string, userId: string): number {
    if (this.guilds.get(guildId)?.owner_id === userId) return Number.POSITIVE_INFINITY;
    const member = this.findMember(guildId, userId);
    return Math.max(0, ...(member?.roles ?? []).map((id) => this.findRole(guildId, id)?.position ?? 0));
  }

  toMemberPayload(member: StandinMember) {
    const user = this.context.findUser(member.user_id);
    if (!user) throw new Error(`Discord stand-in: member ${member.user_id} has no user`);
    return toApiMember(member, user);
  }

  private requireRoles(guildId: string): Map<string, StandinRole> {
    const roles = this.roles.get(guildId);
    if (!roles) throw new Error(`Discord stand-in: no guild ${guildId}`);
    return roles;
  }
}

export function isThread(channel: StandinChannel): boolean {
  return [ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread].includes(channel.type);
}
