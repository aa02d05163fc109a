import type { DiscordState, SeedUser } from './discord-state';
import type { StandinChannel, StandinMember, StandinMessage, StandinRole } from './guild-entities';
import type { MemberOptions, SeedChannel, SeedRole } from './guild-store';
import type { ReactionEmoji, SeedMessage } from './message-store';

/**
 * Things people do in Discord, for tests: each changes the state and is
 * announced on the gateway exactly as the matching REST change would be
 * (GUILD_MEMBER_ADD, MESSAGE_CREATE, MESSAGE_REACTION_ADD, GUILD_CREATE, …).
 */
export class WorldEvents {
  constructor(private readonly state: DiscordState) {}

  /** A user (existing id, or a new one from the seed) joins the guild. */
  memberJoin(guildId: string, user: string | SeedUser, options: MemberOptions = {}): StandinMember {
    const userId = typeof user === 'string' ? user : this.state.addUser(user).id;
    return this.state.addMember(guildId, userId, options);
  }

  memberLeave(guildId: string, userId: string): void {
    if (!this.state.guildStore.removeMember(guildId, userId)) throw new Error(`Discord stand-in: ${userId} is not in guild ${guildId}`);
  }

  messageCreate(channelId: string, seed: Omit<SeedMessage, 'author_id'> & { authorId: string }): StandinMessage {
    const { authorId, ...fields } = seed;
    return this.state.messages.create(this.requireChannel(channelId), { ...fields, author_id: authorId });
  }

  reactionAdd(channelId: string, messageId: string, userId: string, emoji: ReactionEmoji): void {
    const channel = this.requireChannel(channelId);
    this.state.messages.addReaction(channel, this.requireMessage(channel, messageId), userId, emoji);
  }

  reactionRemove(channelId: string, messageId: string, userId: string, emoji: ReactionEmoji): void {
    const channel = this.requireChannel(channelId);
    this.state.messages.removeReaction(channel, this.requireMessage(channel, messageId), userId, emoji);
  }

  roleCreate(guildId: string, seed: SeedRole): StandinRole {
    return this.state.guildStore.addRole(guildId, seed);
  }

  roleUpdate(guildId: string, roleId: string, patch: Partial<Omit<SeedRole, 'id'>>): StandinRole {
    const role = this.state.guildStore.updateRole(guildId, roleId, patch);
    if (!role) throw new Error(`Discord stand-in: no role ${roleId} in guild ${guildId}`);
    return role;
  }

  roleDelete(guildId: string, roleId: string): void {
    if (!this.state.guildStore.deleteRole(guildId, roleId)) throw new Error(`Discord stand-in: no role ${roleId} in guild ${guildId}`);
  }

  channelCreate(guildId: string, seed: SeedChannel): StandinChannel {
    return this.state.guildStore.addChannel(guildId, seed);
  }

  channelUpdate(channelId: string, patch: Parameters<DiscordState['guildStore']['updateChannel']>[1]): StandinChannel {
    const channel = this.state.guildStore.updateChannel(channelId, patch);
    if (!channel) throw new Error(`Discord stand-in: no guild channel ${channelId}`);
    return channel;
  }

  channelDelete(channelId: string): void {
    if (!this.state.guildStore.deleteChannel(channelId)) throw new Error(`Discord stand-in: no guild channel ${channelId}`);
  }

  /** The application's bot is added to the guild: it receives GUILD_CREATE, the guild's other bots GUILD_MEMBER_ADD. */
  guildJoin(applicationId: string, guildId: string, options: MemberOptions & { permissions?: bigint } = {}): StandinMember {
    return this.state.addMember(guildId, this.requireBotUserId(applicationId), options);
  }

  /** The bot is removed from the guild: it receives GUILD_DELETE without `unavailable`. */
  guildLeave(applicationId: string, guildId: string): void {
    this.memberLeave(guildId, this.requireBotUserId(applicationId));
  }

  private requireChannel(channelId: string): StandinChannel {
    const channel = this.state.guildStore.channels.get(channelId);
    if (!channel) throw new Error(`Discord stand-in: no channel ${channelId}`);
    return channel;
  }

  private requireMessage(channel: StandinChannel, messageId: string): StandinMessage {
    const message = this.state.messages.find(channel.id, messageId);
    if (!message) throw new Error(`Discord stand-in: no message ${messageId} in channel ${channel.id}`);
    return message;
  }

  private requireBotUserId(applicationId: string): string {
    const bot = this.state.findApplication(applicationId)?.bot;
    if (!bot) throw new Error(`Discord stand-in: application ${applicationId} has no bot`);
    return bot.user.id;
  }
}
