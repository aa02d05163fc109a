import { GatewayIntentBits as Intent } from 'discord-api-types/v10';

/** Every intent bit Discord defines; other bits make IDENTIFY fail with 4013. */
export const KNOWN_INTENTS = Object.values(Intent)
  .filter((value): value is number => typeof value === 'number')
  .reduce((all, bit) => all | bit, 0);

/** Intents that must be switched on for the application (Events › Gateway › Privileged Intents). */
export const PRIVILEGED_INTENTS = Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;

/**
 * The intent that gates each dispatch (Events › Gateway › List of Intents).
 * Message, reaction, typing and poll events depend on where they happen: a
 * guild's (`guild_id` present) or a DM's. Events not listed (READY, RESUMED,
 * INTERACTION_CREATE, USER_UPDATE, …) are always sent.
 */
const GUILD_EVENT_INTENTS: Record<string, number> = {
  GUILD_CREATE: Intent.Guilds, GUILD_UPDATE: Intent.Guilds, GUILD_DELETE: Intent.Guilds,
  GUILD_ROLE_CREATE: Intent.Guilds, GUILD_ROLE_UPDATE: Intent.Guilds, GUILD_ROLE_DELETE: Intent.Guilds,
  CHANNEL_CREATE: Intent.Guilds, CHANNEL_UPDATE: Intent.Guilds, CHANNEL_DELETE: Intent.Guilds, CHANNEL_PINS_UPDATE: Intent.Guilds,
  THREAD_CREATE: Intent.Guilds, THREAD_UPDATE: Intent.Guilds, THREAD_DELETE: Intent.Guilds, THREAD_LIST_SYNC: Intent.Guilds,
  THREAD_MEMBER_UPDATE: Intent.Guilds, THREAD_MEMBERS_UPDATE: Intent.Guilds, STAGE_INSTANCE_CREATE: Intent.Guilds,
  STAGE_INSTANCE_UPDATE: Intent.Guilds, STAGE_INSTANCE_DELETE: Intent.Guilds,
  GUILD_MEMBER_ADD: Intent.GuildMembers, GUILD_MEMBER_UPDATE: Intent.GuildMembers, GUILD_MEMBER_REMOVE: Intent.GuildMembers,
  GUILD_AUDIT_LOG_ENTRY_CREATE: Intent.GuildModeration, GUILD_BAN_ADD: Intent.GuildModeration, GUILD_BAN_REMOVE: Intent.GuildModeration,
  GUILD_EMOJIS_UPDATE: Intent.GuildExpressions, GUILD_STICKERS_UPDATE: Intent.GuildExpressions,
  GUILD_INTEGRATIONS_UPDATE: Intent.GuildIntegrations, INTEGRATION_CREATE: Intent.GuildIntegrations,
  INTEGRATION_UPDATE: Intent.GuildIntegrations, INTEGRATION_DELETE: Intent.GuildIntegrations,
  WEBHOOKS_UPDATE: Intent.GuildWebhooks, INVITE_CREATE: Intent.GuildInvites, INVITE_DELETE: Intent.GuildInvites,
  VOICE_STATE_UPDATE: Intent.GuildVoiceStates, PRESENCE_UPDATE: Intent.GuildPresences,
  GUILD_SCHEDULED_EVENT_CREATE: Intent.GuildScheduledEvents, GUILD_SCHEDULED_EVENT_UPDATE: Intent.GuildScheduledEvents,
  GUILD_SCHEDULED_EVENT_DELETE: Intent.GuildScheduledEvents,
  AUTO_MODERATION_RULE_CREATE: Intent.AutoModerationConfiguration, AUTO_MODERATION_RULE_UPDATE: Intent.AutoModerationConfiguration,
  AUTO_MODERATION_RULE_DELETE: Intent.AutoModerationConfiguration, AUTO_MODERATION_ACTION_EXECUTION: Intent.AutoModerationExecution,
};

const GUILD_OR_DM_INTENTS: Record<string, [guild: number, dm: number]> = {
  MESSAGE_CREATE: [Intent.GuildMessages, Intent.DirectMessages],
  MESSAGE_UPDATE: [Intent.GuildMessages, Intent.DirectMessages],
  MESSAGE_DELETE: [Intent.GuildMessages, Intent.DirectMessages],
  MESSAGE_DELETE_BULK: [Intent.GuildMessages, Intent.GuildMessages],
  MESSAGE_REACTION_ADD: [Intent.GuildMessageReactions, Intent.DirectMessageReactions],
  MESSAGE_REACTION_REMOVE: [Intent.GuildMessageReactions, Intent.DirectMessageReactions],
  MESSAGE_REACTION_REMOVE_ALL: [Intent.GuildMessageReactions, Intent.DirectMessageReactions],
  MESSAGE_REACTION_REMOVE_EMOJI: [Intent.GuildMessageReactions, Intent.DirectMessageReactions],
  TYPING_START: [Intent.GuildMessageTyping, Intent.DirectMessageTyping],
  MESSAGE_POLL_VOTE_ADD: [Intent.GuildMessagePolls, Intent.DirectMessagePolls],
  MESSAGE_POLL_VOTE_REMOVE: [Intent.GuildMessagePolls, Intent.DirectMessagePolls],
};

/** The intent a session needs to receive this dispatch, or 0 when none is needed. */
export function requiredIntent(event: string, data: unknown): number {
  const pair = GUILD_OR_DM_INTENTS[event];
  if (pair) return hasGuildId(data) ? pair[0] : pair[1];
  return GUILD_EVENT_INTENTS[event] ?? 0;
}

const CONTENT_EVENTS = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE']);

/**
 * Without MESSAGE_CONTENT, guild messages arrive with empty `content`,
 * `embeds`, `attachments`, `components` and no `poll`, except the bot's own
 * messages and messages that mention it (Events › Gateway › Message Content Intent).
 */
export function hideMessageContent(event: string, data: unknown, intents: number, botUserId: string): unknown {
  if (!CONTENT_EVENTS.has(event) || (intents & Intent.MessageContent) !== 0 || !hasGuildId(data)) return data;
  const message = data as { author?: { id: string }; mentions?: Array<{ id: string }> };
  if (message.author?.id === botUserId || message.mentions?.some((user) => user.id === botUserId)) return data;
  const { poll: _poll, ...rest } = data as Record<string, unknown>;
  return { ...rest, content: '', embeds: [], attachments: [], components: [] };
}

function hasGuildId(data: unknown): boolean {
  return typeof data === 'object' && data !== null && typeof (data as { guild_id?: unknown }).guild_id === 'string';
}
