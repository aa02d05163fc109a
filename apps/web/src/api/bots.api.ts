import type {
  BotItemDeleted,
  BotList,
  BotView,
  CommandList,
  CommandSyncReport,
  CommandView,
  ConnectBotBody,
  CreateEventFlowBody,
  EventFlowList,
  EventFlowView,
  GuildSettingsBody,
  GuildSettingsView,
  InviteUrlReply,
  RuntimeEventPage,
  RuntimeEventView,
  SyncedGuild as SyncedGuildView,
  SyncedGuildList,
  UpdateBotBody,
  UsageReply,
  VariableDeleted,
  VariablePage,
  VariableScope as VariableScopeName,
} from '@weft/contracts';
import { api } from './api-client';

/** A bot as the API shows it: never its token. */
export type Bot = BotView;
export type BotStatus = Bot['status'];
/* Run-time lists stay here (a value import from @weft/contracts would bundle zod); `satisfies` keeps them within the API's. */
export const BOT_STATUSES = ['online', 'connecting', 'stopped', 'token_invalid', 'intents_missing'] as const satisfies readonly BotStatus[];
export const BOT_FEATURES = ['moderation', 'roles', 'threads', 'reactions', 'welcome', 'logging'] as const satisfies readonly NonNullable<ConnectBotBody['features']>[number][];

export type RuntimeEvent = RuntimeEventView;

export type CommandKind = CommandView['kind'];
export const COMMAND_KINDS = ['slash', 'user', 'message', 'component'] as const satisfies readonly CommandKind[];

/** Discord's ApplicationCommandOptionType values the editor offers (Interactions › Application Commands). */
export const OPTION_TYPES = [
  { value: 3, label: 'Text' },
  { value: 4, label: 'Integer' },
  { value: 10, label: 'Number' },
  { value: 5, label: 'True/false' },
  { value: 6, label: 'User' },
  { value: 7, label: 'Channel' },
  { value: 8, label: 'Role' },
  { value: 9, label: 'User or role' },
  { value: 11, label: 'Attachment' },
] as const;

/** One option as the options editor handles it (the API checks Discord's full option rules: CommandOptions in @weft/contracts). */
export interface CommandOption {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  [key: string]: unknown;
}

/** A command as the API shows it; its stored `options` (unknown to the API's reply schema) are read as editor options. */
export type BotCommand = Omit<CommandView, 'options'> & { options: CommandOption[] };

/**
 * What the command dialog sends: one shape for every kind. The API's
 * CommandBody is a union discriminated by `kind` (descriptions and options
 * for slash commands only) and answers 400 VALIDATION_FAILED for a mix.
 */
export type CommandInput = Pick<CommandView, 'kind' | 'scope' | 'workflowId' | 'isEphemeral' | 'cooldownSeconds'> & {
  name: string;
  description?: string;
  options?: CommandOption[];
};

export type VariableScope = VariableScopeName;
export const VARIABLE_SCOPES = ['global', 'guild', 'user', 'channel'] as const satisfies readonly VariableScope[];

export type BotVariable = VariablePage['items'][number];

export type GuildSettings = GuildSettingsView;

/** Gateway events a flow can start on (DISCORD_EVENT_TYPES in @weft/contracts). */
export const DISCORD_EVENTS = [
  { value: 'member.join', label: 'A member joins' },
  { value: 'member.leave', label: 'A member leaves' },
  { value: 'message.create', label: 'A message is posted' },
  { value: 'reaction.add', label: 'A reaction is added' },
  { value: 'reaction.remove', label: 'A reaction is removed' },
  { value: 'role.create', label: 'A role is created' },
  { value: 'role.update', label: 'A role changes' },
  { value: 'role.delete', label: 'A role is deleted' },
  { value: 'channel.create', label: 'A channel is created' },
  { value: 'channel.update', label: 'A channel changes' },
  { value: 'channel.delete', label: 'A channel is deleted' },
  { value: 'guild.join', label: 'The bot joins a server' },
  { value: 'guild.leave', label: 'The bot leaves a server' },
] as const satisfies readonly { value: EventFlow['event']; label: string }[];

export type EventFlow = EventFlowView;
/** The event comes from a select of DISCORD_EVENTS; the API refuses any other (400). */
type EventFlowBody = Omit<CreateEventFlowBody, 'event'> & { event: string };

/** A server the bot is in, as the gateway last reported it. */
export type SyncedGuild = SyncedGuildView;

/** Command usage of one UTC day (GET …/bots/:botId/usage). */
export type UsageRow = UsageReply['items'][number];

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}/bots`;
const botUrl = (workspace: string, botId: string) => `${base(workspace)}/${botId}`;

export const botsApi = {
  listBots: (workspace: string) => api.get<BotList>(base(workspace)).then((reply) => reply.items),
  findBot: (workspace: string, botId: string) => api.get<Bot>(botUrl(workspace, botId)),
  findUsage: (workspace: string, botId: string, days: number) => api.get<UsageReply>(`${botUrl(workspace, botId)}/usage`, { query: { days } }),
  connectBot: (workspace: string, body: ConnectBotBody) => api.post<Bot>(base(workspace), body),
  updateBot: (workspace: string, botId: string, body: UpdateBotBody) => api.patch<Bot>(botUrl(workspace, botId), body),
  deleteBot: (workspace: string, botId: string) => api.delete<BotItemDeleted>(botUrl(workspace, botId)),
  startBot: (workspace: string, botId: string) => api.post<Bot>(`${botUrl(workspace, botId)}/start`),
  stopBot: (workspace: string, botId: string) => api.post<Bot>(`${botUrl(workspace, botId)}/stop`),
  findInviteUrl: (workspace: string, botId: string) => api.get<InviteUrlReply>(`${botUrl(workspace, botId)}/invite-url`),
  listRuntimeEvents: (workspace: string, botId: string, cursor?: string) =>
    api.get<RuntimeEventPage>(`${botUrl(workspace, botId)}/events`, { query: { limit: 50, cursor } }),

  listCommands: (workspace: string, botId: string) => api.get<CommandList>(`${botUrl(workspace, botId)}/commands`).then((reply) => reply.items as BotCommand[]),
  createCommand: (workspace: string, botId: string, body: CommandInput) => api.post<BotCommand>(`${botUrl(workspace, botId)}/commands`, body),
  replaceCommand: (workspace: string, botId: string, commandId: string, body: CommandInput) => api.put<BotCommand>(`${botUrl(workspace, botId)}/commands/${commandId}`, body),
  deleteCommand: (workspace: string, botId: string, commandId: string) => api.delete<BotItemDeleted>(`${botUrl(workspace, botId)}/commands/${commandId}`),
  syncCommands: (workspace: string, botId: string) =>
    api.post<CommandSyncReport>(`${botUrl(workspace, botId)}/commands/sync`),

  listVariables: (workspace: string, botId: string, filter: { scope?: VariableScope; scopeId?: string }, cursor?: string) =>
    api.get<VariablePage>(`${botUrl(workspace, botId)}/variables`, { query: { limit: 50, cursor, ...filter } }),
  deleteVariable: (workspace: string, botId: string, variable: Pick<BotVariable, 'scope' | 'scopeId' | 'key'>) =>
    api.delete<VariableDeleted>(`${botUrl(workspace, botId)}/variables/${variable.scope}/${encodeURIComponent(variable.key)}`, undefined, {
      query: { scopeId: variable.scopeId ?? undefined },
    }),

  listEventFlows: (workspace: string, botId: string) =>
    api.get<EventFlowList>(`${botUrl(workspace, botId)}/event-flows`),
  createEventFlow: (workspace: string, botId: string, body: EventFlowBody) => api.post<EventFlow>(`${botUrl(workspace, botId)}/event-flows`, body),
  updateEventFlow: (workspace: string, botId: string, flowId: string, body: Partial<EventFlowBody>) =>
    api.patch<EventFlow>(`${botUrl(workspace, botId)}/event-flows/${flowId}`, body),
  deleteEventFlow: (workspace: string, botId: string, flowId: string) => api.delete<BotItemDeleted>(`${botUrl(workspace, botId)}/event-flows/${flowId}`),
  listGuilds: (workspace: string, botId: string) => api.get<SyncedGuildList>(`${botUrl(workspace, botId)}/guilds`).then((reply) => reply.items),

  findGuildSettings: (workspace: string, botId: string, guildId: string) => api.get<GuildSettings>(`${botUrl(workspace, botId)}/guilds/${guildId}/settings`),
  saveGuildSettings: (workspace: string, botId: string, guildId: string, body: GuildSettingsBody) =>
    api.put<GuildSettings>(`${botUrl(workspace, botId)}/guilds/${guildId}/settings`, body),
};

/** A Discord id (snowflake): 17–20 digits. */
export function isSnowflake(value: string): boolean {
  return /^\d{17,20}$/.test(value);
}
