import { RESTJSONErrorCodes, type APIEmbed } from 'discord-api-types/v10';
import type { RouteReply } from './discord-router';
import { replyDiscordError } from './discord-replies';
import type { StandinMessage } from './guild-entities';
import { isRecord, replyInvalidForm } from './route-guards';
import type { FieldErrors } from './command-validation';

/** Resources › Message › Create Message limits. */
const MAX_CONTENT_LENGTH = 2000;
const MAX_EMBEDS = 10;
const MAX_ACTION_ROWS = 5;

export interface MessageFields {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  tts?: boolean;
  message_reference?: StandinMessage['message_reference'];
}

/**
 * Reads the message fields of a Create/Edit Message or webhook body.
 * `requireSomething`: a new message needs content, an embed or components
 * (400 code 50006 "Cannot send an empty message").
 */
export function readMessageFields(body: unknown, requireSomething: boolean): MessageFields | RouteReply {
  if (!isRecord(body)) return replyInvalidForm({ _root: { code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' } });
  const errors: FieldErrors = {};
  const fields: MessageFields = {};
  if (body.content !== undefined && body.content !== null) {
    if (typeof body.content !== 'string') errors.content = { code: 'BASE_TYPE_STRING', message: 'Must be a string.' };
    else if (body.content.length > MAX_CONTENT_LENGTH) {
      errors.content = { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_CONTENT_LENGTH} or fewer in length.` };
    } else fields.content = body.content;
  }
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds) || !body.embeds.every(isRecord)) errors.embeds = { code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' };
    else if (body.embeds.length > MAX_EMBEDS) errors.embeds = { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_EMBEDS} or fewer in length.` };
    else fields.embeds = body.embeds as APIEmbed[];
  }
  if (body.components !== undefined && body.components !== null) {
    if (!Array.isArray(body.components) || !body.components.every(isRecord)) errors.components = { code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' };
    else if (body.components.length > MAX_ACTION_ROWS && !hasComponentsV2Flag(body.flags)) {
      errors.components = { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_ACTION_ROWS} or fewer in length.` };
    } else fields.components = body.components;
  }
  if (body.flags !== undefined && body.flags !== null) {
    if (!Number.isInteger(body.flags)) errors.flags = { code: 'NUMBER_TYPE_COERCE', message: 'Value is not int.' };
    else fields.flags = body.flags as number;
  }
  if (typeof body.tts === 'boolean') fields.tts = body.tts;
  if (isRecord(body.message_reference)) fields.message_reference = body.message_reference as MessageFields['message_reference'];
  if (Object.keys(errors).length > 0) return replyInvalidForm(errors);
  const isEmpty = !fields.content && !fields.embeds?.length && !fields.components?.length;
  if (requireSomething && isEmpty) return replyDiscordError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
  return fields;
}

/** IS_COMPONENTS_V2 (1 << 15) lifts the five-row limit (Components › Using Components). */
function hasComponentsV2Flag(flags: unknown): boolean {
  return typeof flags === 'number' && (flags & (1 << 15)) !== 0;
}
