import { ApplicationCommandType, type RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { isRecord } from './route-guards';

/** Interactions › Application Commands › Application Command Naming: lower-case where a letter has a lower case. */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** Interactions › Application Commands › Registering a Command: at most 100 global or per-guild slash commands. */
export const MAX_CHAT_INPUT_COMMANDS = 100;
const MAX_OPTIONS = 25;

export type FieldErrors = Record<string, { code: string; message: string }>;

/**
 * Checks a command body like Discord's form validation; returns the errors by
 * field path (`name`, `options.0.description`), empty when the body is valid.
 * `isPartial` is for Edit Command, where every field is optional.
 */
export function validateCommand(body: unknown, prefix = '', isPartial = false): FieldErrors {
  const errors: FieldErrors = {};
  if (!isRecord(body)) return { [prefix || '_root']: { code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' } };
  const type = body.type ?? ApplicationCommandType.ChatInput;
  if (![ApplicationCommandType.ChatInput, ApplicationCommandType.User, ApplicationCommandType.Message, ApplicationCommandType.PrimaryEntryPoint].includes(type as number)) {
    errors[`${prefix}type`] = { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {1, 2, 3, 4}.` };
  }
  const isChatInput = type === ApplicationCommandType.ChatInput;
  if (!isPartial || body.name !== undefined) checkName(body.name, `${prefix}name`, isChatInput, errors);
  if (isChatInput && (!isPartial || body.description !== undefined)) checkDescription(body.description, `${prefix}description`, errors);
  if (!isChatInput && typeof body.description === 'string' && body.description !== '') {
    errors[`${prefix}description`] = { code: 'APPLICATION_COMMAND_INVALID_DESCRIPTION', message: 'Context menu commands cannot have description' };
  }
  if (body.options !== undefined) checkOptions(body.options, `${prefix}options`, errors);
  return errors;
}

/** Bulk Overwrite: each command valid, no two with the same name and type, within the count limit. */
export function validateCommandList(body: unknown): FieldErrors {
  if (!Array.isArray(body)) return { _root: { code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' } };
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  body.forEach((command, index) => {
    Object.assign(errors, validateCommand(command, `${index}.`));
    if (!isRecord(command)) return;
    const key = `${command.type ?? 1}:${String(command.name)}`;
    if (seen.has(key)) errors[`${index}.name`] = { code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` };
    seen.add(key);
  });
  const chatInputCount = body.filter((command) => isRecord(command) && (command.type ?? 1) === ApplicationCommandType.ChatInput).length;
  if (chatInputCount > MAX_CHAT_INPUT_COMMANDS) {
    errors._root = { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_CHAT_INPUT_COMMANDS} or fewer in length.` };
  }
  return errors;
}

export function asCommandBody(body: unknown): RESTPostAPIApplicationCommandsJSONBody {
  return body as RESTPostAPIApplicationCommandsJSONBody;
}

function checkName(name: unknown, path: string, isChatInput: boolean, errors: FieldErrors): void {
  if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
    errors[path] = { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 32 in length.' };
  } else if (isChatInput && (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase())) {
    errors[path] = { code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid` };
  }
}

function checkDescription(description: unknown, path: string, errors: FieldErrors): void {
  if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
    errors[path] = { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' };
  }
}

function checkOptions(options: unknown, path: string, errors: FieldErrors): void {
  if (!Array.isArray(options)) {
    errors[path] = { code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' };
    return;
  }
  if (options.length > MAX_OPTIONS) errors[path] = { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_OPTIONS} or fewer in length.` };
  options.forEach((option, index) => {
    const at = `${path}.${index}`;
    if (!isRecord(option) || typeof option.type !== 'number' || option.type < 1 || option.type > 11) {
      errors[`${at}.type`] = { code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.' };
      return;
    }
    checkName(option.name, `${at}.name`, true, errors);
    checkDescription(option.description, `${at}.description`, errors);
    if (option.options !== undefined) checkOptions(option.options, `${at}.options`, errors);
  });
}
