import { z } from 'zod';
import { IsoDate } from './common';
import { BotParams, Snowflake } from './bots';

/** slash/user/message are Discord application commands; component routes buttons, selects and modals by custom_id prefix. */
export const COMMAND_KINDS = ['slash', 'user', 'message', 'component'] as const;
export const CommandKind = z.enum(COMMAND_KINDS);
export type CommandKind = z.output<typeof CommandKind>;

/**
 * Discord's ApplicationCommandOptionType values (Interactions › Application
 * Commands › Application Command Option Type), written out so that this
 * package needs zod only; modules/bots checks them against discord-api-types.
 */
export const COMMAND_OPTION_TYPES = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;
const T = COMMAND_OPTION_TYPES;

/**
 * Discord's rules for application commands (Interactions › Application
 * Commands › Application Command Naming, Option Structure), checked here so
 * that registration never fails on a payload Discord would refuse.
 */
const SLASH_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

export const SlashName = z
  .string()
  .regex(SLASH_NAME, '1–32 letters, digits, "-" or "_", no spaces')
  // "Characters with a lowercase variant must use it."
  .refine((name) => name === name.toLowerCase(), 'must be lowercase');
const ContextMenuName = z.string().min(1).max(32);
const Description = z.string().min(1).max(100);
/** A permission bitfield as a decimal string (Topics › Permissions); 0 means "administrators only" on Discord's side. */
export const PermissionBits = z.string().regex(/^\d{1,20}$/, 'a permission bitfield as a decimal string');

const Choice = z.strictObject({ name: z.string().min(1).max(100), value: z.union([z.string().min(1).max(100), z.number()]) });

const LEAF_TYPES = [T.String, T.Integer, T.Boolean, T.User, T.Channel, T.Role, T.Mentionable, T.Number, T.Attachment] as const;
const TYPES_WITH_CHOICES: number[] = [T.String, T.Integer, T.Number];

const LeafOption = z
  .strictObject({
    type: z.union(LEAF_TYPES.map((type) => z.literal(type))),
    name: SlashName,
    description: Description,
    required: z.boolean().optional(),
    choices: z.array(Choice).max(25).optional(),
    autocomplete: z.boolean().optional(),
    min_value: z.number().optional(),
    max_value: z.number().optional(),
    min_length: z.number().int().min(0).max(6000).optional(),
    max_length: z.number().int().min(1).max(6000).optional(),
    channel_types: z.array(z.number().int().min(0).max(20)).max(20).optional(),
  })
  .refine((o) => !(o.autocomplete && o.choices?.length), 'autocomplete cannot be used with choices')
  .refine((o) => !(o.autocomplete || o.choices) || TYPES_WITH_CHOICES.includes(o.type), 'choices and autocomplete are for string, integer and number options');
type LeafOption = z.output<typeof LeafOption>;

function isRequiredFirst(options: { required?: boolean }[]): boolean {
  const firstOptional = options.findIndex((o) => !o.required);
  return firstOptional === -1 || options.slice(firstOptional).every((o) => !o.required);
}

const LeafOptions = z.array(LeafOption).max(25).refine(isRequiredFirst, 'required options come before optional ones');
const Subcommand = z.strictObject({ type: z.literal(T.Subcommand), name: SlashName, description: Description, options: LeafOptions.optional() });
const SubcommandGroup = z.strictObject({
  type: z.literal(T.SubcommandGroup),
  name: SlashName,
  description: Description,
  options: z.array(Subcommand).min(1).max(25),
});

/** Either leaf options, or subcommands and groups: Discord does not mix them at one level. */
export const CommandOptions = z
  .union([LeafOptions, z.array(z.union([Subcommand, SubcommandGroup])).max(25)])
  .refine((options) => new Set(options.map((o) => o.name)).size === options.length, 'option names are unique');
export type CommandOptions = z.input<typeof CommandOptions>;

/** Names, descriptions, choice names and values together stay within 4000 characters per command. */
export function countCommandCharacters(name: string, description: string, options: unknown): number {
  let total = name.length + description.length;
  for (const option of options as (LeafOption & { options?: unknown })[]) {
    total += countCommandCharacters(option.name, option.description, option.options ?? []);
    for (const choice of option.choices ?? []) total += choice.name.length + String(choice.value).length;
  }
  return total;
}

const CommandSettings = {
  workflowId: z.uuid(),
  autocompleteWorkflowId: z.uuid().nullable().optional(),
  scope: z.union([z.literal('global'), Snowflake]).default('global'),
  isEphemeral: z.boolean().default(false),
  cooldownSeconds: z.number().int().min(0).max(86_400).default(0),
  requiredPermissions: PermissionBits.nullable().default(null),
  botPermissions: PermissionBits.nullable().default(null),
};

/** custom_id is at most 100 characters; the handler matches ids that start with its prefix. */
const CustomIdPrefix = z.string().min(1).max(100).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** A command or component handler answered by a workflow (POST and PUT …/commands). */
export const CommandBody = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('slash'), name: SlashName, description: Description, options: CommandOptions.default([]), ...CommandSettings }),
    z.strictObject({ kind: z.literal('user'), name: ContextMenuName, ...CommandSettings }),
    z.strictObject({ kind: z.literal('message'), name: ContextMenuName, ...CommandSettings }),
    z.strictObject({ kind: z.literal('component'), name: CustomIdPrefix, ...CommandSettings }),
  ])
  .refine((c) => c.kind !== 'slash' || countCommandCharacters(c.name, c.description, c.options) <= 4000, 'a command has at most 4000 characters of names and descriptions');
export type CommandBody = z.input<typeof CommandBody>;

export const CommandParams = BotParams.extend({ commandId: z.uuid() });
export type CommandParams = z.output<typeof CommandParams>;

export const CommandView = z.object({
  id: z.string(),
  botId: z.string(),
  kind: CommandKind,
  scope: z.string(),
  name: z.string(),
  description: z.string(),
  /** As stored: a CommandOptions array (empty for context-menu commands and component handlers). */
  options: z.unknown(),
  workflowId: z.string(),
  autocompleteWorkflowId: z.string().nullable(),
  isEphemeral: z.boolean(),
  cooldownSeconds: z.number(),
  requiredPermissions: z.string().nullable(),
  botPermissions: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type CommandView = z.output<typeof CommandView>;

export const CommandList = z.object({ items: z.array(CommandView) });
export type CommandList = z.output<typeof CommandList>;

/** One bulk overwrite per scope; `isSent` is false for a scope whose set had not changed since the last sync. */
export const CommandSyncReport = z.object({ scopes: z.array(z.object({ scope: z.string(), commandCount: z.number(), isSent: z.boolean() })) });
export type CommandSyncReport = z.output<typeof CommandSyncReport>;
