import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';

/**
 * Turns what a command flow answered into Discord's interaction callback
 * (Interactions › Receiving and Responding › Interaction Response Object).
 * A flow answers a string (the content) or an object
 * `{ content, embeds, components, ephemeral, allowed_mentions, update, modal }`.
 */
export interface MessageReply {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  allowed_mentions?: unknown;
  flags?: number;
}

export type FlowAnswer = { kind: 'message'; message: MessageReply; isUpdate: boolean } | { kind: 'modal'; modal: Record<string, unknown> } | { kind: 'none' };

/** What the user sees when a flow fails: short, never the error itself (that goes to the bot's runtime log). */
export const FAILURE_TEXT = 'Sorry, something went wrong while answering. Please try again later.';
export const DONE_TEXT = 'Done.';
const MAX_CONTENT = 2000;

/** The respond node's output is `{ status, body, headers }`: its body is the answer. */
function unwrapRespondOutput(response: unknown): unknown {
  if (response && typeof response === 'object' && 'body' in response && 'status' in response && 'headers' in response) {
    return (response as { body: unknown }).body;
  }
  return response;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function readFlowAnswer(response: unknown, isEphemeralByDefault: boolean): FlowAnswer {
  const body = unwrapRespondOutput(response);
  if (body === undefined || body === null || body === '') return { kind: 'none' };
  if (typeof body === 'string' || typeof body === 'number' || typeof body === 'boolean') {
    return { kind: 'message', message: withFlags({ content: String(body).slice(0, MAX_CONTENT) }, isEphemeralByDefault), isUpdate: false };
  }
  const record = asRecord(body);
  if (!record) return { kind: 'message', message: withFlags({ content: JSON.stringify(body).slice(0, MAX_CONTENT) }, isEphemeralByDefault), isUpdate: false };
  const modal = asRecord(record.modal);
  if (modal) return { kind: 'modal', modal };
  const message: MessageReply = {};
  if (record.content !== undefined && record.content !== null) message.content = String(record.content).slice(0, MAX_CONTENT);
  if (Array.isArray(record.embeds)) message.embeds = record.embeds.slice(0, 10);
  if (Array.isArray(record.components)) message.components = record.components.slice(0, 5);
  if (record.allowed_mentions !== undefined) message.allowed_mentions = record.allowed_mentions;
  if (message.content === undefined && !message.embeds && !message.components) return { kind: 'none' };
  const isEphemeral = typeof record.ephemeral === 'boolean' ? record.ephemeral : isEphemeralByDefault;
  return { kind: 'message', message: withFlags(message, isEphemeral), isUpdate: record.update === true };
}

function withFlags(message: MessageReply, isEphemeral: boolean): MessageReply {
  // Flow output is user content: no @everyone/@here or role pings unless the flow asks for them.
  const reply: MessageReply = { allowed_mentions: { parse: ['users'] }, ...message };
  if (isEphemeral) reply.flags = MessageFlags.Ephemeral;
  return reply;
}

export function replyWithMessage(message: MessageReply, isUpdate = false): Record<string, unknown> {
  return { type: isUpdate ? InteractionResponseType.UpdateMessage : InteractionResponseType.ChannelMessageWithSource, data: message };
}

export function replyEphemeral(content: string): Record<string, unknown> {
  return replyWithMessage({ content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } });
}

export function replyDeferred(isEphemeral: boolean): Record<string, unknown> {
  return { type: InteractionResponseType.DeferredChannelMessageWithSource, data: isEphemeral ? { flags: MessageFlags.Ephemeral } : {} };
}

/** The body of the PATCH that completes a deferred reply: flags were fixed by the deferral. */
export function toFollowUpEdit(answer: FlowAnswer): Record<string, unknown> {
  if (answer.kind !== 'message') return { content: answer.kind === 'modal' ? FAILURE_TEXT : DONE_TEXT, allowed_mentions: { parse: [] } };
  const { flags: _flags, ...edit } = answer.message;
  return edit as Record<string, unknown>;
}

/** Autocomplete answers up to 25 `{ name, value }` choices; a flow may answer the array or `{ choices }`. */
export function readAutocompleteChoices(response: unknown): { name: string; value: string | number }[] {
  const body = unwrapRespondOutput(response);
  const list = Array.isArray(body) ? body : asRecord(body)?.choices;
  if (!Array.isArray(list)) return [];
  const choices: { name: string; value: string | number }[] = [];
  for (const item of list) {
    const choice = asRecord(item);
    const value = choice ? choice.value : item;
    const name = choice ? (choice.name ?? value) : item;
    if ((typeof value !== 'string' && typeof value !== 'number') || name === undefined || name === null) continue;
    choices.push({ name: String(name).slice(0, 100), value: typeof value === 'string' ? value.slice(0, 100) : value });
    if (choices.length === 25) break;
  }
  return choices;
}
