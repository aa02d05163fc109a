import { z } from 'zod';
import { IsoDate, PageQuery, WorkspaceParams } from './common';

/*
 * Lists that are part of the API. modules/bots stores the same values in its
 * tables; its route tests fail when the two lists drift apart.
 */
export const BOT_DESIRED_STATES = ['running', 'stopped'] as const;
export const BOT_STATUSES = ['online', 'connecting', 'stopped', 'token_invalid', 'intents_missing'] as const;
export type BotStatus = (typeof BOT_STATUSES)[number];
/** Optional features; each adds the permissions and gateway intents it needs. */
export const BOT_FEATURES = ['moderation', 'roles', 'threads', 'reactions', 'welcome', 'logging'] as const;
export const RUNTIME_EVENT_LEVELS = ['info', 'warn', 'error'] as const;
export const VARIABLE_SCOPES = ['global', 'guild', 'user', 'channel'] as const;
export type VariableScope = (typeof VARIABLE_SCOPES)[number];
export const VARIABLE_TYPES = ['text', 'number', 'list', 'object'] as const;
/** The gateway events an event flow can start on (the engine's discord.event trigger). */
export const DISCORD_EVENT_TYPES = [
  'member.join',
  'member.leave',
  'message.create',
  'reaction.add',
  'reaction.remove',
  'role.create',
  'role.update',
  'role.delete',
  'channel.create',
  'channel.update',
  'channel.delete',
  'guild.join',
  'guild.leave',
] as const;

/** A Discord id (Reference › Snowflakes): 17–20 digits. */
export const Snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (snowflake)');
const PublicKey = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of the Ed25519 public key');
const BotToken = z.string().min(20).max(200).regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a bot token (three dot-separated parts)');
const Features = z.array(z.enum(BOT_FEATURES)).max(BOT_FEATURES.length);

export const BotParams = WorkspaceParams.extend({ botId: z.uuid() });
export type BotParams = z.output<typeof BotParams>;

/* ---------- Bots ---------- */

/** The only shape a bot leaves the API in: no token, no credential id (undeclared keys are stripped). */
export const BotView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  applicationId: z.string(),
  publicKey: z.string(),
  botUser: z.object({ id: z.string(), name: z.string(), avatar: z.string().nullable() }),
  features: z.array(z.string()),
  desiredState: z.enum(BOT_DESIRED_STATES),
  status: z.enum(BOT_STATUSES),
  statusDetail: z.string().nullable(),
  interactionsUrl: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type BotView = z.output<typeof BotView>;

export const BotList = z.object({ items: z.array(BotView) });
export type BotList = z.output<typeof BotList>;

/** The token is checked with Discord, stored encrypted and never returned. */
export const ConnectBotBody = z.strictObject({ applicationId: Snowflake, publicKey: PublicKey, token: BotToken, features: Features.optional() });
export type ConnectBotBody = z.input<typeof ConnectBotBody>;

export const UpdateBotBody = z.strictObject({ publicKey: PublicKey.optional(), token: BotToken.optional(), features: Features.optional() });
export type UpdateBotBody = z.input<typeof UpdateBotBody>;

/** The reply of a DELETE of a bot, a command or an event flow. */
export const BotItemDeleted = z.object({ deleted: z.literal(true), id: z.string() });
export type BotItemDeleted = z.output<typeof BotItemDeleted>;

/** The OAuth2 URL that adds the bot to a server, and the permission bitfield it asks for. */
export const InviteUrlReply = z.object({ url: z.string(), permissions: z.string() });
export type InviteUrlReply = z.output<typeof InviteUrlReply>;

export const RuntimeEventView = z.object({ id: z.string(), at: IsoDate, level: z.enum(RUNTIME_EVENT_LEVELS), message: z.string(), details: z.unknown() });
export type RuntimeEventView = z.output<typeof RuntimeEventView>;

export const RuntimeEventPage = z.object({ items: z.array(RuntimeEventView), nextCursor: z.string().nullable() });
export type RuntimeEventPage = z.output<typeof RuntimeEventPage>;

/* ---------- Variables ---------- */

export const VariableKeyName = z.string().min(1).max(100).regex(/^[\w.:-]+$/, 'letters, digits, "_", ".", ":" and "-"');

export const VariableView = z.object({
  scope: z.enum(VARIABLE_SCOPES),
  scopeId: z.string().nullable(),
  key: z.string(),
  type: z.enum(VARIABLE_TYPES),
  value: z.unknown(),
  updatedAt: IsoDate,
});
export type VariableView = z.output<typeof VariableView>;

export const VariablePage = z.object({ items: z.array(VariableView.extend({ id: z.string() })), nextCursor: z.string().nullable() });
export type VariablePage = z.output<typeof VariablePage>;

export const VariableListQuery = PageQuery.extend({ scope: z.enum(VARIABLE_SCOPES).optional(), scopeId: Snowflake.optional() });
export type VariableListQuery = z.input<typeof VariableListQuery>;

export const VariableParams = BotParams.extend({ scope: z.enum(VARIABLE_SCOPES), key: VariableKeyName });
export type VariableParams = z.output<typeof VariableParams>;

/** The guild, user or channel id of a variable that is not global. */
export const VariableQuery = z.object({ scopeId: Snowflake.optional() });
export type VariableQuery = z.input<typeof VariableQuery>;

export const SetVariableBody = z.object({
  scope: z.enum(VARIABLE_SCOPES),
  scopeId: Snowflake.optional(),
  key: VariableKeyName,
  type: z.enum(VARIABLE_TYPES).optional(),
  value: z.unknown(),
});
export type SetVariableBody = z.input<typeof SetVariableBody>;

export const VariableDeleted = z.object({ deleted: z.literal(true) });
export type VariableDeleted = z.output<typeof VariableDeleted>;

/* ---------- Guild settings (workspace members and guild staff edit the same thing) ---------- */

export const GuildParams = BotParams.extend({ guildId: Snowflake });
export type GuildParams = z.output<typeof GuildParams>;

export const GuildSettingsBody = z.strictObject({
  enabledFeatures: z.array(z.string().min(1).max(50)).max(50),
  channels: z.record(z.string().min(1).max(50), Snowflake).refine((c) => Object.keys(c).length <= 50, 'at most 50 channels'),
  staffRoleIds: z.array(Snowflake).max(100),
});
export type GuildSettingsBody = z.input<typeof GuildSettingsBody>;

/** `updatedAt` is null for a server whose settings were never saved (the defaults). */
export const GuildSettingsView = z.object({
  guildId: z.string(),
  enabledFeatures: z.array(z.string()),
  channels: z.record(z.string(), z.string()),
  staffRoleIds: z.array(z.string()),
  updatedAt: IsoDate.nullable(),
});
export type GuildSettingsView = z.output<typeof GuildSettingsView>;

export const UsageQuery = z.object({ days: z.coerce.number().int().min(1).max(400).default(30) });
export type UsageQuery = z.input<typeof UsageQuery>;

/** Command usage per UTC day (`day` as YYYY-MM-DD) from `from` on. */
export const UsageReply = z.object({
  from: z.string(),
  items: z.array(z.object({ commandId: z.string(), day: z.string(), invocations: z.number(), failures: z.number(), refusals: z.number() })),
});
export type UsageReply = z.output<typeof UsageReply>;

/* ---------- Event flows and synced servers ---------- */

export const EventFlowView = z.object({
  id: z.string(),
  botId: z.string(),
  event: z.enum(DISCORD_EVENT_TYPES),
  workflowId: z.string(),
  isEnabled: z.boolean(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type EventFlowView = z.output<typeof EventFlowView>;

/** The flows and the gateway intents they need (`privileged` names those to turn on in Discord's developer portal). */
export const EventFlowList = z.object({ items: z.array(EventFlowView), intents: z.object({ bits: z.number(), privileged: z.array(z.string()) }) });
export type EventFlowList = z.output<typeof EventFlowList>;

export const EventFlowParams = BotParams.extend({ flowId: z.string().min(1).max(100) });
export type EventFlowParams = z.output<typeof EventFlowParams>;

export const CreateEventFlowBody = z.strictObject({ event: z.enum(DISCORD_EVENT_TYPES), workflowId: z.uuid(), isEnabled: z.boolean().optional() });
export type CreateEventFlowBody = z.input<typeof CreateEventFlowBody>;

export const UpdateEventFlowBody = CreateEventFlowBody.partial();
export type UpdateEventFlowBody = z.input<typeof UpdateEventFlowBody>;

/** A server the bot is in, as the gateway last reported it. */
export const SyncedGuild = z.object({
  guildId: z.string(),
  name: z.string(),
  icon: z.string().nullable(),
  ownerId: z.string().nullable(),
  channels: z.array(z.object({ id: z.string(), name: z.string().nullable(), type: z.number(), parentId: z.string().nullable(), position: z.number().nullable() })),
  roles: z.array(z.object({ id: z.string(), name: z.string(), permissions: z.string(), position: z.number(), isManaged: z.boolean() })),
  joinedAt: IsoDate,
  syncedAt: IsoDate,
});
export type SyncedGuild = z.output<typeof SyncedGuild>;

export const SyncedGuildList = z.object({ items: z.array(SyncedGuild) });
export type SyncedGuildList = z.output<typeof SyncedGuildList>;

/* ---------- Guild staff: /me/discord/guilds, the signed-in person's servers rather than a workspace's ---------- */

export const GuildStaffParams = z.object({ guildId: Snowflake, botId: z.uuid() });
export type GuildStaffParams = z.output<typeof GuildStaffParams>;

/** A server the person manages (owner, ADMINISTRATOR or MANAGE_GUILD) in which a Weft bot runs. */
export const StaffedGuild = SyncedGuild.pick({ guildId: true, name: true, icon: true, channels: true, roles: true }).extend({
  isOwner: z.boolean(),
  bots: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type StaffedGuild = z.output<typeof StaffedGuild>;

/** `fetchedAt`: when Discord last told which servers the person manages (at their Discord sign-in). */
export const StaffedGuildList = z.object({ fetchedAt: IsoDate, items: z.array(StaffedGuild) });
export type StaffedGuildList = z.output<typeof StaffedGuildList>;
