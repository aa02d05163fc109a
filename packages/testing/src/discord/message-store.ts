import { GatewayDispatchEvents, MessageType, type APIEmbed, type APIMessage } from 'discord-api-types/v10';
import { MESSAGE_FLAG_EPHEMERAL, parseMentions, type StandinChannel, type StandinMessage } from './guild-entities';
import { toApiMessage } from './guild-payloads';
import type { GuildStore, StoreContext } from './guild-store';
import type { StandinUser } from './user-entities';

export interface SeedMessage {
  author_id: string;
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  tts?: boolean;
  type?: MessageType;
  message_reference?: StandinMessage['message_reference'];
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: unknown;
}

export type MessagePatch = Partial<Pick<StandinMessage, 'content' | 'embeds' | 'components' | 'flags'>>;

export interface ReactionEmoji {
  id?: string | null;
  name: string;
}

/** Messages per channel and their reactions; each change is announced like Discord does. */
export class MessageStore {
  private readonly byChannel = new Map<string, Map<string, StandinMessage>>();

  constructor(
    private readonly context: StoreContext,
    private readonly guilds: GuildStore,
  ) {}

  create(channel: StandinChannel, seed: SeedMessage): StandinMessage {
    const content = seed.content ?? '';
    const mentions = parseMentions(content);
    const message: StandinMessage = {
      id: this.context.newSnowflake(), channel_id: channel.id, author_id: seed.author_id,
      type: seed.type ?? (seed.message_reference ? MessageType.Reply : MessageType.Default), content,
      embeds: seed.embeds ?? [], components: seed.components ?? [], flags: seed.flags ?? 0, tts: seed.tts ?? false,
      mention_ids: mentions.userIds.filter((id) => this.context.findUser(id)), mention_role_ids: mentions.roleIds,
      mention_everyone: mentions.everyone, timestamp: this.context.clock.now().toISOString(), edited_timestamp: null,
      reactions: [],
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
      ...(seed.webhook_id ? { webhook_id: seed.webhook_id } : {}),
      ...(seed.application_id ? { application_id: seed.application_id } : {}),
      ...(seed.message_reference ? { message_reference: seed.message_reference } : {}),
      ...(seed.interaction_metadata ? { interaction_metadata: seed.interaction_metadata } : {}),
    };
    if (!this.byChannel.has(channel.id)) this.byChannel.set(channel.id, new Map());
    this.byChannel.get(channel.id)!.set(message.id, message);
    channel.last_message_id = message.id;
    // Ephemeral messages exist only for the user who ran the interaction; bots get no event for them.
    if ((message.flags & MESSAGE_FLAG_EPHEMERAL) === 0) this.announce(channel, GatewayDispatchEvents.MessageCreate, message);
    return message;
  }

  update(channel: StandinChannel, message: StandinMessage, patch: MessagePatch): StandinMessage {
    Object.assign(message, patch, { edited_timestamp: this.context.clock.now().toISOString() });
    if (patch.content !== undefined) {
      const mentions = parseMentions(message.content);
      message.mention_ids = mentions.userIds.filter((id) => this.context.findUser(id));
      message.mention_role_ids = mentions.roleIds;
    }
    if ((message.flags & MESSAGE_FLAG_EPHEMERAL) === 0) this.announce(channel, GatewayDispatchEvents.MessageUpdate, message);
    return message;
  }

  delete(channel: StandinChannel, message: StandinMessage): void {
    this.byChannel.get(channel.id)?.delete(message.id);
    const data = { id: message.id, channel_id: channel.id, ...(channel.guild_id ? { guild_id: channel.guild_id } : {}) };
    this.publish(channel, GatewayDispatchEvents.MessageDelete, data);
  }

  addReaction(channel: StandinChannel, message: StandinMessage, userId: string, emoji: ReactionEmoji): void {
    const key = { id: emoji.id ?? null, name: emoji.name };
    let reaction = message.reactions.find((r) => r.emoji.name === key.name && r.emoji.id === key.id);
    if (!reaction) message.reactions.push((reaction = { emoji: key, user_ids: [] }));
    if (reaction.user_ids.includes(userId)) return;
    reaction.user_ids.push(userId);
    const member = channel.guild_id ? this.guilds.findMember(channel.guild_id, userId) : undefined;
    this.publish(channel, GatewayDispatchEvents.MessageReactionAdd, {
      ...this.reactionPayload(channel, message, userId, key),
      message_author_id: message.author_id,
      burst_colors: [],
      ...(member ? { member: this.guilds.toMemberPayload(member) } : {}),
    });
  }

  removeReaction(channel: StandinChannel, message: StandinMessage, userId: string, emoji: ReactionEmoji): boolean {
    const key = { id: emoji.id ?? null, name: emoji.name };
    const reaction = message.reactions.find((r) => r.emoji.name === key.name && r.emoji.id === key.id);
    if (!reaction?.user_ids.includes(userId)) return false;
    reaction.user_ids = reaction.user_ids.filter((id) => id !== userId);
    message.reactions = message.reactions.filter((r) => r.user_ids.length > 0);
    this.publish(channel, GatewayDispatchEvents.MessageReactionRemove, this.reactionPayload(channel, message, userId, key));
    return true;
  }

  find(channelId: string, messageId: string): StandinMessage | undefined {
    return this.byChannel.get(channelId)?.get(messageId);
  }

  /** Oldest first. */
  list(channelId: string): StandinMessage[] {
    return [...(this.byChannel.get(channelId)?.values() ?? [])];
  }

  toPayload(message: StandinMessage): APIMessage {
    const author = this.requireUser(message.author_id);
    const mentions = message.mention_ids.map((id) => this.requireUser(id));
    return toApiMessage(message, author, mentions);
  }

  /** Guild messages carry the author's partial member (Events › Gateway Events › Message Create). */
  private announce(channel: StandinChannel, event: string, message: StandinMessage): void {
    const data: Record<string, unknown> = { ...this.toPayload(message) };
    if (channel.guild_id) {
      data.guild_id = channel.guild_id;
      const member = this.guilds.findMember(channel.guild_id, message.author_id);
      if (member && !message.webhook_id) {
        const { user: _user, ...partialMember } = this.guilds.toMemberPayload(member);
        data.member = partialMember;
      }
    }
    this.publish(channel, event, data);
  }

  private publish(channel: StandinChannel, event: string, data: unknown): void {
    if (channel.guild_id) return this.guilds.publish(channel.guild_id, event, data);
    const applicationIds = (channel.recipient_ids ?? []).map((id) => this.context.findApplicationIdOfBot(id)).filter((id) => id !== undefined);
    this.context.bus.publish({ event, data, applicationIds });
  }

  private reactionPayload(channel: StandinChannel, message: StandinMessage, userId: string, emoji: { id: string | null; name: string }) {
    return {
      user_id: userId, channel_id: channel.id, message_id: message.id, emoji, burst: false, type: 0,
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
    };
  }

  private requireUser(id: string): StandinUser {
    const user = this.context.findUser(id);
    if (!user) throw new Error(`Discord stand-in: no user ${id}`);
    return user;
  }
}
