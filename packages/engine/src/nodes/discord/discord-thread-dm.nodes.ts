import { z } from 'zod';
import { defineNode } from '../../define-node';
import { BotIdParam, buildMessageBody, callDiscord, hasMessageBody, MessageFields, messageNonce, Snowflake, summarizeMessage } from './discord-params';
import { AppError } from '@weft/kernel';
import { EngineErrors } from '../../engine.errors';

export const DiscordCreateThreadParams = z.object({
  botId: BotIdParam,
  channelId: Snowflake.describe('Text channel to open the thread in'),
  messageId: Snowflake.optional().describe('Starts the thread from this message; without it a new public thread is created in the channel'),
  name: z.string().min(1).max(100).describe('Thread name (1–100 characters)'),
  autoArchiveMinutes: z
    .union([z.literal(60), z.literal(1440), z.literal(4320), z.literal(10080)])
    .default(1440)
    .describe('Archive after this many minutes without activity: 60, 1440, 4320 or 10080'),
});

/** Channel › Start Thread from Message / Start Thread without Message (public thread, type 11). */
export const discordCreateThreadNode = defineNode({
  type: 'discord.thread.create',
  version: 1,
  name: 'Create Discord thread',
  description: 'Opens a thread in a channel, from a message or on its own.',
  kind: 'action',
  params: DiscordCreateThreadParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    const body = { name: params.name, auto_archive_duration: params.autoArchiveMinutes, ...(params.messageId ? {} : { type: 11 }) };
    const route = params.messageId ? (`/channels/${params.channelId}/messages/${params.messageId}/threads` as const) : (`/channels/${params.channelId}/threads` as const);
    const reply = (await callDiscord(services, 'discord.thread.create', { botId: params.botId, method: 'POST', route, body, signal })) as { id?: string } | undefined;
    return { output: { threadId: reply?.id ?? null, channelId: params.channelId } };
  },
});

export const DiscordSendDmParams = z.object({
  botId: BotIdParam,
  userId: Snowflake.describe('The user to write to (they must share a server with the bot and accept DMs)'),
  ...MessageFields,
});

/** User › Create DM, then Create Message in that channel (Discord reuses the DM channel per user). */
export const discordSendDmNode = defineNode({
  type: 'discord.user.dm',
  version: 1,
  name: 'Send Discord DM',
  description: 'Sends a direct message to a user as the bot.',
  kind: 'action',
  params: DiscordSendDmParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, idempotencyKey, signal }) {
    if (!hasMessageBody(params)) throw new AppError(EngineErrors.ENGINE_PARAMS_INVALID, 'discord.user.dm: give content, embeds or components');
    const channel = (await callDiscord(services, 'discord.user.dm', { botId: params.botId, method: 'POST', route: '/users/@me/channels', body: { recipient_id: params.userId }, signal })) as { id?: string } | undefined;
    if (!channel?.id) throw new AppError(EngineErrors.ENGINE_OUTPUT_INVALID, 'Discord did not return a DM channel');
    const body = { ...buildMessageBody(params), nonce: messageNonce(idempotencyKey), enforce_nonce: true };
    const reply = await callDiscord(services, 'discord.user.dm', { botId: params.botId, method: 'POST', route: `/channels/${channel.id}/messages`, body, signal });
    return { output: summarizeMessage(reply) };
  },
});
