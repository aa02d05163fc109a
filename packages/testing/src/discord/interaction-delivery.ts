import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { ChannelType, InteractionContextType, InteractionType, Locale, type APIInteraction } from 'discord-api-types/v10';
import type { DiscordState, StandinApplication } from './discord-state';
import { toApiChannel } from './guild-payloads';
import { applyInteractionCallback } from './interaction-callbacks';
import type { StandinInteraction } from './interaction-store';
import { toPublicUser } from './user-entities';

export interface SendInteractionOptions {
  /** The application's Interactions Endpoint URL. */
  url: string;
  /** Default APPLICATION_COMMAND (2); PING (1) is what the Developer Portal sends to check an endpoint. */
  type?: InteractionType;
  /** The interaction's `data`, e.g. `{ id, name: 'ping', type: 1, options: [] }` for a slash command. */
  data?: Record<string, unknown>;
  guildId?: string;
  /** Defaults to the guild's first text channel, or the DM with the user outside a guild. */
  channelId?: string;
  /** Who ran it; defaults to the guild owner, or the first human user outside a guild. */
  userId?: string;
  /** For component interactions: the message holding the component. */
  messageId?: string;
  locale?: Locale;
  /** Negative tests: sign with another key, shift the timestamp into the past, or change the body after signing. */
  tamper?: { wrongSignature?: boolean; staleBySeconds?: number; alterBodyAfterSigning?: boolean };
  timeoutMs?: number;
}

export interface SendInteractionResult {
  status: number;
  /** The reply parsed as JSON when it is JSON, else its text. */
  body: unknown;
  latencyMs: number;
  interactionId: string;
  token: string;
  /** Whether the reply counted as the initial response (or a callback came in before it). */
  isAcknowledged: boolean;
}

/**
 * Sends an interaction to an application's endpoint the way Discord does
 * (Interactions › Receiving and Responding › Security and Authorization):
 * JSON body, `X-Signature-Ed25519` = hex Ed25519 signature of
 * timestamp + body with the application's key, `X-Signature-Timestamp` in
 * Unix seconds. A JSON reply with a `type` is the initial response; so is a
 * call to the callback route within 3 seconds.
 */
export async function sendInteraction(state: DiscordState, application: StandinApplication, options: SendInteractionOptions): Promise<SendInteractionResult> {
  const interaction = buildInteraction(state, application, options);
  state.interactions.register(interaction);
  const body = JSON.stringify(interaction.payload);
  const nowSeconds = Math.floor(state.clock.now().getTime() / 1000) - (options.tamper?.staleBySeconds ?? 0);
  const timestamp = String(nowSeconds);
  const key = options.tamper?.wrongSignature ? generateKeyPairSync('ed25519').privateKey : application.signingKey;
  const signature = sign(null, Buffer.from(timestamp + body), key).toString('hex');
  // Tampering rewrites the locale after signing: still valid JSON, no longer the signed bytes.
  const sentBody = options.tamper?.alterBodyAfterSigning ? body.replace(/"locale":"[^"]*"/, '"locale":"xx-TAMPERED"') : body;

  const startedAt = performance.now();
  const response = await fetch(options.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Discord-Interactions/1.0 (+https://discord.com)',
      'X-Signature-Ed25519': signature,
      'X-Signature-Timestamp': timestamp,
    },
    body: sentBody,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  const latencyMs = performance.now() - startedAt;
  const replyBody = parseMaybeJson(text);
  // A 2xx JSON reply with a type is the initial response, if it came within the 3-second window.
  const isResponseBody = response.ok && typeof (replyBody as { type?: unknown })?.type === 'number';
  if (isResponseBody && latencyMs <= 3_000 && interaction.callbackType === undefined) {
    applyInteractionCallback(state, interaction, replyBody, false);
  }
  return { status: response.status, body: replyBody, latencyMs, interactionId: interaction.id, token: interaction.token, isAcknowledged: interaction.callbackType !== undefined };
}

function buildInteraction(state: DiscordState, application: StandinApplication, options: SendInteractionOptions): StandinInteraction {
  const type = options.type ?? InteractionType.ApplicationCommand;
  const id = state.newSnowflake();
  const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
  const base: Record<string, unknown> = {
    id, application_id: application.id, type, token, version: 1,
    locale: options.locale ?? Locale.EnglishUS, entitlements: [], attachment_size_limit: 10_485_760,
  };
  if (type === InteractionType.Ping) {
    return toStandinInteraction(state, base, { id, token, application, type, userId: '' });
  }
  const store = state.guildStore;
  if (options.guildId) {
    const guild = state.findGuild(options.guildId);
    if (!guild) throw new Error(`Discord stand-in: no guild ${options.guildId}`);
    const userId = options.userId ?? guild.owner_id;
    const member = store.findMember(guild.id, userId);
    if (!member) throw new Error(`Discord stand-in: user ${userId} is not a member of guild ${guild.id}`);
    const channel = store.channels.get(options.channelId ?? store.listChannels(guild.id).find((c) => c.type === ChannelType.GuildText)?.id ?? '');
    if (!channel || channel.guild_id !== guild.id) throw new Error(`Discord stand-in: no channel ${options.channelId ?? '(text)'} in guild ${guild.id}`);
    Object.assign(base, {
      guild_id: guild.id, guild: { id: guild.id, locale: Locale.EnglishUS, features: guild.features }, guild_locale: Locale.EnglishUS,
      channel_id: channel.id, channel: toApiChannel(channel),
      member: { ...store.toMemberPayload(member), permissions: store.computePermissions(guild.id, userId).toString() },
      app_permissions: store.computePermissions(guild.id, application.bot?.user.id ?? '').toString(),
      authorizing_integration_owners: { '0': guild.id }, context: InteractionContextType.Guild,
    });
    return toStandinInteraction(state, finish(state, base, options), { id, token, application, type, userId, guildId: guild.id, channelId: channel.id, messageId: options.messageId });
  }
  const userId = options.userId ?? state.findAuthorizingUser()?.id;
  const user = userId ? state.findUser(userId) : undefined;
  if (!user || !application.bot) throw new Error('Discord stand-in: a DM interaction needs a user and an application with a bot');
  const channel = options.channelId ? store.channels.get(options.channelId) : store.openDmChannel(application.bot.user.id, user.id);
  if (!channel) throw new Error(`Discord stand-in: no channel ${options.channelId}`);
  Object.assign(base, {
    channel_id: channel.id, channel: toApiChannel(channel, (uid) => state.findUser(uid)), user: toPublicUser(user),
    app_permissions: '0', authorizing_integration_owners: { '1': user.id }, context: InteractionContextType.BotDM,
  });
  return toStandinInteraction(state, finish(state, base, options), { id, token, application, type, userId: user.id, channelId: channel.id, messageId: options.messageId });
}

/** Adds `data` and, for components, the message the component is on. */
function finish(state: DiscordState, base: Record<string, unknown>, options: SendInteractionOptions): Record<string, unknown> {
  if (options.data) base.data = options.data;
  if (options.messageId) {
    const message = state.messages.find(String(base.channel_id), options.messageId);
    if (!message) throw new Error(`Discord stand-in: no message ${options.messageId} in channel ${String(base.channel_id)}`);
    base.message = state.messages.toPayload(message);
  }
  return base;
}

function toStandinInteraction(
  state: DiscordState,
  payload: Record<string, unknown>,
  meta: { id: string; token: string; application: StandinApplication; type: InteractionType; userId: string; guildId?: string; channelId?: string; messageId?: string },
): StandinInteraction {
  return {
    id: meta.id, token: meta.token, application_id: meta.application.id, type: meta.type, user_id: meta.userId,
    ...(meta.guildId ? { guild_id: meta.guildId } : {}), ...(meta.channelId ? { channel_id: meta.channelId } : {}),
    ...(meta.messageId ? { message_id: meta.messageId } : {}),
    // The payload is assembled field by field above; its shape follows APIInteraction for the given type.
    payload: payload as unknown as APIInteraction, sentAtMs: state.clock.now().getTime(), followupMessageIds: [],
  };
}

function parseMaybeJson(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}
