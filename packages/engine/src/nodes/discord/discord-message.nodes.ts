import { AppError } from '@weft/kernel';
import { z } from 'zod';
import { defineNode } from '../../define-node';
import { EngineErrors } from '../../engine.errors';
import { BotIdParam, buildMessageBody, callDiscord, hasMessageBody, MessageFields, messageNonce, Snowflake, summarizeMessage } from './discord-params';

function requireBody(params: Parameters<typeof hasMessageBody>[0], nodeType: string): void {
  if (!hasMessageBody(params)) {
    throw new AppError(EngineErrors.ENGINE_PARAMS_INVALID, `${nodeType}: give content, embeds or components (Discord refuses an empty message)`);
  }
}

export const DiscordSendMessageParams = z.object({
  botId: BotIdParam,
  channelId: Snowflake.describe('Channel to post in'),
  ...MessageFields,
  replyToMessageId: Snowflake.optional().describe('Posts as a reply to this message of the same channel'),
});

/** Resources › Message › Create Message, with a nonce so a re-run step does not post twice. */
export const discordSendMessageNode = defineNode({
  type: 'discord.message.send',
  version: 1,
  name: 'Send Discord message',
  description: 'Posts a message (text, embeds, buttons) in a channel as the bot.',
  kind: 'action',
  params: DiscordSendMessageParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, idempotencyKey, signal }) {
    requireBody(params, 'discord.message.send');
    const body = {
      ...buildMessageBody(params),
      nonce: messageNonce(idempotencyKey),
      enforce_nonce: true,
      ...(params.replyToMessageId ? { message_reference: { message_id: params.replyToMessageId, fail_if_not_exists: false } } : {}),
    };
    const reply = await callDiscord(services, 'discord.message.send', { botId: params.botId, method: 'POST', route: `/channels/${params.channelId}/messages`, body, signal });
    return { output: summarizeMessage(reply) };
  },
});

export const DiscordEditMessageParams = z.object({
  botId: BotIdParam,
  channelId: Snowflake.describe('Channel of the message'),
  messageId: Snowflake.describe('Message to edit (one the bot posted)'),
  ...MessageFields,
});

export const discordEditMessageNode = defineNode({
  type: 'discord.message.edit',
  version: 1,
  name: 'Edit Discord message',
  description: "Replaces the text, embeds or components of one of the bot's messages.",
  kind: 'action',
  params: DiscordEditMessageParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    requireBody(params, 'discord.message.edit');
    const reply = await callDiscord(services, 'discord.message.edit', {
      botId: params.botId,
      method: 'PATCH',
      route: `/channels/${params.channelId}/messages/${params.messageId}`,
      body: buildMessageBody(params),
      signal,
    });
    return { output: summarizeMessage(reply) };
  },
});

export const DiscordDeleteMessageParams = z.object({
  botId: BotIdParam,
  channelId: Snowflake.describe('Channel of the message'),
  messageId: Snowflake.describe("Message to delete (another member's needs the Manage Messages permission)"),
  reason: z.string().max(512).optional().describe('Reason shown in the server audit log'),
});

export const discordDeleteMessageNode = defineNode({
  type: 'discord.message.delete',
  version: 1,
  name: 'Delete Discord message',
  description: 'Deletes a message from a channel.',
  kind: 'action',
  params: DiscordDeleteMessageParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    await callDiscord(services, 'discord.message.delete', {
      botId: params.botId,
      method: 'DELETE',
      route: `/channels/${params.channelId}/messages/${params.messageId}`,
      ...(params.reason ? { reason: params.reason } : {}),
      signal,
    });
    return { output: { channelId: params.channelId, messageId: params.messageId, isDeleted: true } };
  },
});
