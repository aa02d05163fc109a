import { AppError } from '@weft/kernel';
import { z } from 'zod';
import { defineNode } from '../../define-node';
import { EngineErrors } from '../../engine.errors';
import { BotIdParam, buildMessageBody, callDiscord, hasMessageBody, MessageFields, Snowflake, summarizeMessage } from './discord-params';

export const DiscordReplyParams = z.object({
  botId: BotIdParam,
  applicationId: Snowflake.describe("The bot's application id; in a command flow {{ $trigger.applicationId }}"),
  interactionToken: z.string().min(1).max(500).describe('The interaction token (valid 15 minutes); in a command flow {{ $trigger.interactionToken }}'),
  mode: z
    .enum(['followup', 'edit-original'])
    .default('followup')
    .describe('followup: a new message after the first reply; edit-original: replace the first (or deferred) reply'),
  ...MessageFields,
  ephemeral: z.boolean().default(false).describe('Follow-up visible only to the user who used the command'),
});

/**
 * Interactions › Receiving and Responding › Followup Messages: later
 * messages about an interaction the flow already answered (or deferred),
 * through the interaction webhook, which its token authorizes.
 */
export const discordReplyNode = defineNode({
  type: 'discord.interaction.reply',
  version: 1,
  name: 'Reply to Discord interaction',
  description: 'Sends a follow-up message to a command or component interaction, or edits its first reply.',
  kind: 'action',
  params: DiscordReplyParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ params, services, signal }) {
    if (!hasMessageBody(params)) throw new AppError(EngineErrors.ENGINE_PARAMS_INVALID, 'discord.interaction.reply: give content, embeds or components');
    const webhook = `/webhooks/${params.applicationId}/${encodeURIComponent(params.interactionToken)}` as const;
    const body = buildMessageBody(params);
    const reply =
      params.mode === 'edit-original'
        ? await callDiscord(services, 'discord.interaction.reply', { botId: params.botId, method: 'PATCH', route: `${webhook}/messages/@original`, body, useBotToken: false, signal })
        : await callDiscord(services, 'discord.interaction.reply', {
            botId: params.botId,
            method: 'POST',
            route: webhook,
            body: { ...body, ...(params.ephemeral ? { flags: 64 } : {}) },
            useBotToken: false,
            signal,
          });
    return { output: summarizeMessage(reply) };
  },
});
