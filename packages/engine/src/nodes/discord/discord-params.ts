import { createHash } from 'node:crypto';
import { z } from 'zod';
import { requireService, type DiscordActions, type DiscordRequest } from '../../node-services';

/** A Discord id (snowflake): 17 to 20 digits. */
export const Snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

export const BotIdParam = z.uuid().describe('The Weft bot to act as; in a bot flow usually {{ $trigger.botId }}');

/** Resources › Message › Create Message: at least one of content, embeds or components. */
export const MessageFields = {
  content: z.string().max(2000).optional().describe('Message text (up to 2000 characters)'),
  embeds: z.array(z.record(z.string(), z.unknown())).max(10).optional().describe('Up to 10 embeds, as Discord embed objects (title, description, fields, color …)'),
  components: z.array(z.record(z.string(), z.unknown())).max(5).optional().describe('Up to 5 action rows of buttons or select menus, as Discord component objects'),
  allowMentions: z
    .boolean()
    .default(false)
    .describe('Let @everyone, role and user mentions in the content notify people; off by default so flow data cannot mass-ping'),
};

export interface MessageInput {
  content?: string | undefined;
  embeds?: Record<string, unknown>[] | undefined;
  components?: Record<string, unknown>[] | undefined;
  allowMentions: boolean;
}

export function hasMessageBody(params: MessageInput): boolean {
  return (params.content?.length ?? 0) > 0 || (params.embeds?.length ?? 0) > 0 || (params.components?.length ?? 0) > 0;
}

export function buildMessageBody(params: MessageInput): Record<string, unknown> {
  return {
    ...(params.content === undefined ? {} : { content: params.content }),
    ...(params.embeds === undefined ? {} : { embeds: params.embeds }),
    ...(params.components === undefined ? {} : { components: params.components }),
    // Resources › Message › Allowed Mentions: an empty parse list notifies nobody.
    ...(params.allowMentions ? {} : { allowed_mentions: { parse: [] } }),
  };
}

/**
 * Discord's message nonce (≤ 25 characters) derived from the step's
 * idempotency key: with `enforce_nonce`, a step that runs again after a crash
 * gets the message it already created instead of posting a second one.
 */
export function messageNonce(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 25);
}

export function callDiscord(services: Readonly<Record<string, unknown>>, nodeType: string, request: DiscordRequest): Promise<unknown> {
  return requireService<DiscordActions>(services, 'discord', nodeType).request(request);
}

/** The fields of a Discord message a flow usually needs next. */
export function summarizeMessage(reply: unknown): { messageId: string | null; channelId: string | null } {
  const message = (reply ?? {}) as { id?: unknown; channel_id?: unknown };
  return { messageId: typeof message.id === 'string' ? message.id : null, channelId: typeof message.channel_id === 'string' ? message.channel_id : null };
}
