import {
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  type GuildMemberFlags,
  type RoleFlags,
} from 'discord-api-types/v10';
import type { StandinChannel, StandinGuild, StandinMember, StandinMessage, StandinRole } from './guild-entities';
import { toPublicUser, type StandinUser } from './user-entities';

const NO_FLAGS = 0 as RoleFlags & GuildMemberFlags;

/** Topics › Permissions › Role Object; permissions travel as a decimal string. */
export function toApiRole(role: StandinRole): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: role.mentionable,
    flags: NO_FLAGS,
  };
}

/** Resources › Guild › Guild Member Object. */
export function toApiMember(member: StandinMember, user: StandinUser): APIGuildMember {
  return {
    user: toPublicUser(user),
    nick: member.nick,
    avatar: null,
    roles: [...member.roles],
    joined_at: member.joined_at,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: NO_FLAGS,
    pending: false,
    communication_disabled_until: member.communication_disabled_until,
  };
}

/** Resources › Channel › Channel Object for the kinds the stand-in stores. */
export function toApiChannel(channel: StandinChannel, findUser?: (id: string) => StandinUser | undefined): APIChannel {
  const base: Record<string, unknown> = { id: channel.id, type: channel.type, flags: 0, last_message_id: channel.last_message_id };
  if (channel.recipient_ids) {
    // A DM lists the other side only; the bot is implied.
    const others = channel.recipient_ids.slice(1).map((id) => findUser?.(id)).filter((user) => user !== undefined);
    return { ...base, recipients: others.map(toPublicUser) } as unknown as APIChannel;
  }
  Object.assign(base, {
    guild_id: channel.guild_id,
    name: channel.name,
    position: channel.position,
    parent_id: channel.parent_id,
    nsfw: channel.nsfw,
    permission_overwrites: [],
  });
  if (channel.owner_id) {
    Object.assign(base, {
      owner_id: channel.owner_id,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: channel.auto_archive_duration,
        archive_timestamp: channel.created_at,
        locked: false,
        create_timestamp: channel.created_at,
      },
    });
  } else {
    Object.assign(base, { topic: channel.topic, rate_limit_per_user: 0 });
  }
  // The channel union of discord-api-types is keyed on `type`; the record above holds that type's fields.
  return base as unknown as APIChannel;
}

/** Resources › Message › Message Object. `member` is the author's member object in guild events. */
export function toApiMessage(message: StandinMessage, author: StandinUser, mentions: StandinUser[]): APIMessage {
  const apiMessage: APIMessage = {
    id: message.id,
    channel_id: message.channel_id,
    author: toPublicUser(author) as APIUser,
    content: message.content,
    timestamp: message.timestamp,
    edited_timestamp: message.edited_timestamp,
    tts: message.tts,
    mention_everyone: message.mention_everyone,
    mentions: mentions.map(toPublicUser),
    mention_roles: [...message.mention_role_ids],
    attachments: [],
    embeds: structuredClone(message.embeds),
    pinned: false,
    type: message.type,
    flags: message.flags,
    components: structuredClone(message.components) as APIMessage['components'],
  };
  if (message.reactions.length > 0) {
    apiMessage.reactions = message.reactions.map((reaction) => ({
      emoji: reaction.emoji,
      count: reaction.user_ids.length,
      count_details: { burst: 0, normal: reaction.user_ids.length },
      me: false,
      me_burst: false,
      burst_colors: [],
    }));
  }
  if (message.webhook_id) apiMessage.webhook_id = message.webhook_id;
  if (message.application_id) apiMessage.application_id = message.application_id;
  if (message.message_reference) apiMessage.message_reference = { type: 0, ...message.message_reference } as APIMessage['message_reference'];
  if (message.interaction_metadata) apiMessage.interaction_metadata = message.interaction_metadata as APIMessage['interaction_metadata'];
  return apiMessage;
}

/** Resources › Guild › Guild Object as GET /guilds/{id} returns it. */
export function toApiGuild(guild: StandinGuild, roles: StandinRole[]): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    splash: null,
    discovery_splash: null,
    banner: guild.banner,
    owner_id: guild.owner_id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: roles.map(toApiRole),
    emojis: [],
    stickers: [],
    features: guild.features,
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}
