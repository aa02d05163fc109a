import type { APIEmbed, ChannelType, GuildFeature, MessageType } from 'discord-api-types/v10';

export interface StandinGuild {
  id: string;
  name: string;
  owner_id: string;
  icon: string | null;
  banner: string | null;
  features: GuildFeature[];
  created_at: string;
}

/** A role as the stand-in stores it (Topics › Permissions › Role Object); the @everyone role's id is the guild's. */
export interface StandinRole {
  id: string;
  guild_id: string;
  name: string;
  color: number;
  hoist: boolean;
  /** Higher sits above; @everyone is 0. Bots may only manage roles and members below their highest role. */
  position: number;
  permissions: bigint;
  managed: boolean;
  mentionable: boolean;
}

/** Guild channels, threads and DM channels (Resources › Channel › Channel Object). */
export interface StandinChannel {
  id: string;
  type: ChannelType;
  /** Absent for DM channels. */
  guild_id?: string;
  name: string | null;
  position: number;
  topic: string | null;
  parent_id: string | null;
  nsfw: boolean;
  last_message_id: string | null;
  /** DM channels: the users on the other side. */
  recipient_ids?: string[];
  /** Threads: who started it and when it archives. */
  owner_id?: string;
  auto_archive_duration?: number;
  created_at: string;
}

/** A guild member (Resources › Guild › Guild Member Object). */
export interface StandinMember {
  guild_id: string;
  user_id: string;
  roles: string[];
  joined_at: string;
  nick: string | null;
  /** ISO time until which the member is timed out, or null. */
  communication_disabled_until: string | null;
}

export interface StandinReaction {
  /** `name` for unicode emoji, `name:id` for custom emoji. */
  emoji: { id: string | null; name: string };
  user_ids: string[];
}

/** A message (Resources › Message › Message Object); components are kept as the client sent them. */
export interface StandinMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author_id: string;
  type: MessageType;
  content: string;
  embeds: APIEmbed[];
  components: unknown[];
  flags: number;
  tts: boolean;
  mention_ids: string[];
  mention_role_ids: string[];
  mention_everyone: boolean;
  timestamp: string;
  edited_timestamp: string | null;
  /** Set for messages sent through an interaction's webhook: the application's id. */
  webhook_id?: string;
  application_id?: string;
  /** For replies and crossposts: the referenced message. */
  message_reference?: { message_id?: string; channel_id?: string; guild_id?: string };
  interaction_metadata?: unknown;
  /** The thread started from this message, if any (its id equals the message id). */
  thread_id?: string;
  reactions: StandinReaction[];
}

/** Discord's message flags used here (Resources › Message › Message Flags). */
export const MESSAGE_FLAG_EPHEMERAL = 1 << 6;
export const MESSAGE_FLAG_LOADING = 1 << 7;

/** User and role mentions as Discord parses them out of content (Reference › Message Formatting). */
export function parseMentions(content: string): { userIds: string[]; roleIds: string[]; everyone: boolean } {
  const userIds = [...content.matchAll(/<@!?(\d{5,20})>/g)].map((match) => match[1]!);
  const roleIds = [...content.matchAll(/<@&(\d{5,20})>/g)].map((match) => match[1]!);
  return { userIds: [...new Set(userIds)], roleIds: [...new Set(roleIds)], everyone: /@(everyone|here)\b/.test(content) };
}
