import { ApplicationCommandOptionType, ApplicationCommandType, InteractionType } from 'discord-api-types/v10';

/**
 * The trigger output a command flow receives: one flat, documented shape for
 * every interaction kind, so a flow reads `options.amount` or `user.id`
 * instead of walking Discord's nested payload.
 */
export interface DiscordInteractionInput {
  kind: 'command' | 'autocomplete' | 'component' | 'modal';
  interactionId: string;
  /** Valid 15 minutes; lets later nodes follow up on this interaction. */
  interactionToken: string;
  applicationId: string;
  /** The Weft bot answering: what Discord action nodes in the flow act as. Added by the caller. */
  botId?: string;
  commandName: string | null;
  commandType: 'slash' | 'user' | 'message' | null;
  /** "group sub" or "sub" for subcommands, else null. */
  subcommand: string | null;
  /** Leaf option name → value (user, channel and role options give the id). */
  options: Record<string, unknown>;
  /** Autocomplete: the option being typed. */
  focused: { name: string; value: unknown } | null;
  /** User and message commands: the user or message clicked on. */
  targetId: string | null;
  customId: string | null;
  /** Select menus: the chosen values. */
  values: string[];
  /** Modals: text input custom_id → value. */
  fields: Record<string, string>;
  user: { id: string; username: string; globalName: string | null };
  member: { nick: string | null; roles: string[]; permissions: string | null } | null;
  guildId: string | null;
  channelId: string | null;
  locale: string | null;
  guildLocale: string | null;
  /** Components: the message the component belongs to. */
  messageId: string | null;
  /** Resolved users, members, roles, channels, messages referenced by the options, as Discord sent them. */
  resolved: unknown;
}

interface RawUser {
  id?: string;
  username?: string;
  global_name?: string | null;
}

/** An interaction as Discord sends it, typed loosely: it has passed the signature check, not a schema. */
export interface RawInteraction {
  type: number;
  id?: string;
  token?: string;
  application_id?: string;
  data?: Record<string, unknown>;
  member?: { user?: RawUser; nick?: string | null; roles?: unknown; permissions?: string };
  user?: RawUser;
  guild_id?: string;
  channel_id?: string;
  channel?: { id?: string };
  locale?: string;
  guild_locale?: string;
  message?: { id?: string };
}

interface RawOption {
  type: number;
  name: string;
  value?: unknown;
  focused?: boolean;
  options?: RawOption[];
}

/** Subcommands and groups nest their options (Interactions › Application Commands › Subcommands). */
function flattenOptions(options: RawOption[] | undefined): { path: string[]; leaves: RawOption[] } {
  const first = options?.[0];
  if (first && (first.type === ApplicationCommandOptionType.Subcommand || first.type === ApplicationCommandOptionType.SubcommandGroup)) {
    const inner = flattenOptions(first.options);
    return { path: [first.name, ...inner.path], leaves: inner.leaves };
  }
  return { path: [], leaves: options ?? [] };
}

const COMMAND_TYPES: Record<number, DiscordInteractionInput['commandType']> = {
  [ApplicationCommandType.ChatInput]: 'slash',
  [ApplicationCommandType.User]: 'user',
  [ApplicationCommandType.Message]: 'message',
};

function collectModalFields(rows: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const item = node as { custom_id?: unknown; value?: unknown; components?: unknown[]; component?: unknown };
    if (typeof item.custom_id === 'string' && typeof item.value === 'string') fields[item.custom_id] = item.value;
    for (const child of item.components ?? []) visit(child);
    if (item.component) visit(item.component);
  };
  for (const row of Array.isArray(rows) ? rows : []) visit(row);
  return fields;
}

/** `interaction` has passed the signature check and the type switch; fields are read defensively all the same. */
export function toInteractionInput(interaction: RawInteraction): DiscordInteractionInput {
  const data = (interaction.data ?? {}) as { name?: unknown; type?: unknown; options?: RawOption[]; target_id?: unknown; custom_id?: unknown; values?: unknown; components?: unknown; resolved?: unknown };
  const type = interaction.type as number;
  const kind: DiscordInteractionInput['kind'] =
    type === InteractionType.ApplicationCommand ? 'command' : type === InteractionType.ApplicationCommandAutocomplete ? 'autocomplete' : type === InteractionType.MessageComponent ? 'component' : 'modal';
  const isCommand = kind === 'command' || kind === 'autocomplete';
  const { path, leaves } = isCommand ? flattenOptions(data.options) : { path: [], leaves: [] };
  const focused = leaves.find((o) => o.focused);
  const user: RawUser = interaction.member?.user ?? interaction.user ?? {};
  const member = interaction.member;
  return {
    kind,
    interactionId: String(interaction.id),
    interactionToken: String(interaction.token),
    applicationId: String(interaction.application_id),
    commandName: isCommand ? String(data.name) : null,
    commandType: isCommand ? (COMMAND_TYPES[data.type as number] ?? 'slash') : null,
    subcommand: path.length > 0 ? path.join(' ') : null,
    options: Object.fromEntries(leaves.map((o) => [o.name, o.value ?? null])),
    focused: focused ? { name: focused.name, value: focused.value ?? null } : null,
    targetId: typeof data.target_id === 'string' ? data.target_id : null,
    customId: typeof data.custom_id === 'string' ? data.custom_id : null,
    values: Array.isArray(data.values) ? data.values.map(String) : [],
    fields: kind === 'modal' ? collectModalFields(data.components) : {},
    user: { id: String(user.id ?? ''), username: String(user.username ?? ''), globalName: user.global_name ?? null },
    member: member ? { nick: member.nick ?? null, roles: Array.isArray(member.roles) ? member.roles.map(String) : [], permissions: member.permissions ?? null } : null,
    guildId: interaction.guild_id ?? null,
    channelId: interaction.channel_id ?? interaction.channel?.id ?? null,
    locale: interaction.locale ?? null,
    guildLocale: interaction.guild_locale ?? null,
    messageId: interaction.message?.id ?? null,
    resolved: data.resolved ?? null,
  };
}
