import { z } from 'zod';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { COMMAND_KINDS } from './bots.tables';

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
const Snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (snowflake)');
/** A permission bitfield as a decimal string (Topics › Permissions); 0 means "administrators only" on Discord's side. */
export const PermissionBits = z.string().regex(/^\d{1,20}$/, 'a permission bitfield as a decimal string');

const Choice = z.strictObject({ name: z.string().min(1).max(100), value: z.union([z.string().min(1).max(100), z.number()]) });

const LEAF_TYPES = [
  ApplicationCommandOptionType.String,
  ApplicationCommandOptionType.Integer,
  ApplicationCommandOptionType.Boolean,
  ApplicationCommandOptionType.User,
  ApplicationCommandOptionType.Channel,
  ApplicationCommandOptionType.Role,
  ApplicationCommandOptionType.Mentionable,
  ApplicationCommandOptionType.Number,
  ApplicationCommandOptionType.Attachment,
] as const;

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
  .refine(
    (o) => !(o.autocomplete || o.choices) || [ApplicationCommandOptionType.String, ApplicationCommandOptionType.Integer, ApplicationCommandOptionType.Number].includes(o.type as number),
    'choices and autocomplete are for string, integer and number options',
  );
type LeafOption = z.infer<typeof LeafOption>;

function requiredFirst(options: { required?: boolean }[]): boolean {
  const firstOptional = options.findIndex((o) => !o.required);
  return firstOptional === -1 || options.slice(firstOptional).every((o) => !o.required);
}

const LeafOptions = z.array(LeafOption).max(25).refine(requiredFirst, 'required options come before optional ones');
const Subcommand = z.strictObject({ type: z.literal(ApplicationCommandOptionType.Subcommand), name: SlashName, description: Description, options: LeafOptions.optional() });
const SubcommandGroup = z.strictObject({
  type: z.literal(ApplicationCommandOptionType.SubcommandGroup),
  name: SlashName,
  description: Description,
  options: z.array(Subcommand).min(1).max(25),
});

/** Either leaf options, or subcommands and groups: Discord does not mix them at one level. */
export const CommandOptions = z
  .union([LeafOptions, z.array(z.union([Subcommand, SubcommandGroup])).max(25)])
  .refine((options) => new Set(options.map((o) => o.name)).size === options.length, 'option names are unique');
export type CommandOptions = z.infer<typeof CommandOptions>;

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

export const CommandInput = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('slash'), name: SlashName, description: Description, options: CommandOptions.default([]), ...CommandSettings }),
    z.strictObject({ kind: z.literal('user'), name: ContextMenuName, ...CommandSettings }),
    z.strictObject({ kind: z.literal('message'), name: ContextMenuName, ...CommandSettings }),
    z.strictObject({ kind: z.literal('component'), name: CustomIdPrefix, ...CommandSettings }),
  ])
  .refine((c) => c.kind !== 'slash' || countCommandCharacters(c.name, c.description, c.options) <= 4000, 'a command has at most 4000 characters of names and descriptions');
export type CommandInput = z.infer<typeof CommandInput>;

export const CommandKind = z.enum(COMMAND_KINDS);
