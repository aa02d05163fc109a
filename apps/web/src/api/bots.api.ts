import { api } from './api-client';

export const BOT_STATUSES = ['online', 'connecting', 'stopped', 'token_invalid', 'intents_missing'] as const;
export type BotStatus = (typeof BOT_STATUSES)[number];
export const BOT_FEATURES = ['moderation', 'roles', 'threads', 'reactions', 'welcome', 'logging'] as const;

/** A bot as the API shows it: never its token. */
export interface Bot {
  id: string;
  workspaceId: string;
  applicationId: string;
  publicKey: string;
  botUser: { id: string; name: string; avatar: string | null };
  features: string[];
  desiredState: 'running' | 'stopped';
  status: BotStatus;
  statusDetail: string | null;
  interactionsUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface RuntimeEvent {
  id: string;
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  details: unknown;
}

export const COMMAND_KINDS = ['slash', 'user', 'message', 'component'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

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

export interface CommandOption {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  [key: string]: unknown;
}

export interface BotCommand {
  id: string;
  botId: string;
  kind: CommandKind;
  scope: string;
  name: string;
  description: string;
  options: CommandOption[];
  workflowId: string;
  autocompleteWorkflowId: string | null;
  isEphemeral: boolean;
  cooldownSeconds: number;
  requiredPermissions: string | null;
  botPermissions: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CommandInput {
  kind: CommandKind;
  name: string;
  description?: string;
  options?: CommandOption[];
  scope: string;
  workflowId: string;
  isEphemeral: boolean;
  cooldownSeconds: number;
}

export const VARIABLE_SCOPES = ['global', 'guild', 'user', 'channel'] as const;
export type VariableScope = (typeof VARIABLE_SCOPES)[number];

export interface BotVariable {
  id: string;
  scope: VariableScope;
  scopeId: string | null;
  key: string;
  type: 'text' | 'number' | 'list' | 'object';
  value: unknown;
  updatedAt: string;
}

export interface GuildSettings {
  guildId: string;
  enabledFeatures: string[];
  channels: Record<string, string>;
  staffRoleIds: string[];
  updatedAt: string | null;
}

/** Gateway events a flow can start on (the engine's DISCORD_EVENT_TYPES). */
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
] as const;

export interface EventFlow {
  id: string;
  botId: string;
  event: string;
  workflowId: string;
  isEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A server the bot is in, as the gateway last reported it. */
export interface SyncedGuild {
  guildId: string;
  name: string;
  icon: string | null;
  ownerId: string | null;
  channels: { id: string; name: string | null; type: number; parentId: string | null; position: number | null }[];
  roles: { id: string; name: string; permissions: string; position: number; isManaged: boolean }[];
  joinedAt: string;
  syncedAt: string;
}

/** Command usage of one UTC day (GET …/bots/:botId/usage). */
export interface UsageRow {
  commandId: string;
  day: string;
  invocations: number;
  failures: number;
  refusals: number;
}

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}/bots`;
const botUrl = (workspace: string, botId: string) => `${base(workspace)}/${botId}`;

export const botsApi = {
  listBots: (workspace: string) => api.get<{ items: Bot[] }>(base(workspace)).then((reply) => reply.items),
  findBot: (workspace: string, botId: string) => api.get<Bot>(botUrl(workspace, botId)),
  findUsage: (workspace: string, botId: string, days: number) => api.get<{ from: string; items: UsageRow[] }>(`${botUrl(workspace, botId)}/usage`, { query: { days } }),
  connectBot: (workspace: string, body: { applicationId: string; publicKey: string; token: string; features?: string[] }) => api.post<Bot>(base(workspace), body),
  updateBot: (workspace: string, botId: string, body: { publicKey?: string; token?: string; features?: string[] }) => api.patch<Bot>(botUrl(workspace, botId), body),
  deleteBot: (workspace: string, botId: string) => api.delete<{ deleted: true }>(botUrl(workspace, botId)),
  startBot: (workspace: string, botId: string) => api.post<Bot>(`${botUrl(workspace, botId)}/start`),
  stopBot: (workspace: string, botId: string) => api.post<Bot>(`${botUrl(workspace, botId)}/stop`),
  findInviteUrl: (workspace: string, botId: string) => api.get<{ url: string; permissions: string }>(`${botUrl(workspace, botId)}/invite-url`),
  listRuntimeEvents: (workspace: string, botId: string, cursor?: string) =>
    api.get<{ items: RuntimeEvent[]; nextCursor: string | null }>(`${botUrl(workspace, botId)}/events`, { query: { limit: 50, cursor } }),

  listCommands: (workspace: string, botId: string) => api.get<{ items: BotCommand[] }>(`${botUrl(workspace, botId)}/commands`).then((reply) => reply.items),
  createCommand: (workspace: string, botId: string, body: CommandInput) => api.post<BotCommand>(`${botUrl(workspace, botId)}/commands`, body),
  replaceCommand: (workspace: string, botId: string, commandId: string, body: CommandInput) => api.put<BotCommand>(`${botUrl(workspace, botId)}/commands/${commandId}`, body),
  deleteCommand: (workspace: string, botId: string, commandId: string) => api.delete<{ deleted: true }>(`${botUrl(workspace, botId)}/commands/${commandId}`),
  syncCommands: (workspace: string, botId: string) =>
    api.post<{ scopes: { scope: string; commandCount: number; isSent: boolean }[] }>(`${botUrl(workspace, botId)}/commands/sync`),

  listVariables: (workspace: string, botId: string, filter: { scope?: VariableScope; scopeId?: string }, cursor?: string) =>
    api.get<{ items: BotVariable[]; nextCursor: string | null }>(`${botUrl(workspace, botId)}/variables`, { query: { limit: 50, cursor, ...filter } }),
  deleteVariable: (workspace: string, botId: string, variable: Pick<BotVariable, 'scope' | 'scopeId' | 'key'>) =>
    api.delete<{ deleted: true }>(`${botUrl(workspace, botId)}/variables/${variable.scope}/${encodeURIComponent(variable.key)}`, undefined, {
      query: { scopeId: variable.scopeId ?? undefined },
    }),

  listEventFlows: (workspace: string, botId: string) =>
    api.get<{ items: EventFlow[]; intents: { bits: number; privileged: string[] } }>(`${botUrl(workspace, botId)}/event-flows`),
  createEventFlow: (workspace: string, botId: string, body: { event: string; workflowId: string; isEnabled?: boolean }) => api.post<EventFlow>(`${botUrl(workspace, botId)}/event-flows`, body),
  updateEventFlow: (workspace: string, botId: string, flowId: string, body: { event?: string; workflowId?: string; isEnabled?: boolean }) =>
    api.patch<EventFlow>(`${botUrl(workspace, botId)}/event-flows/${flowId}`, body),
  deleteEventFlow: (workspace: string, botId: string, flowId: string) => api.delete<{ deleted: true }>(`${botUrl(workspace, botId)}/event-flows/${flowId}`),
  listGuilds: (workspace: string, botId: string) => api.get<{ items: SyncedGuild[] }>(`${botUrl(workspace, botId)}/guilds`).then((reply) => reply.items),

  findGuildSettings: (workspace: string, botId: string, guildId: string) => api.get<GuildSettings>(`${botUrl(workspace, botId)}/guilds/${guildId}/settings`),
  saveGuildSettings: (workspace: string, botId: string, guildId: string, body: Omit<GuildSettings, 'guildId' | 'updatedAt'>) =>
    api.put<GuildSettings>(`${botUrl(workspace, botId)}/guilds/${guildId}/settings`, body),
};

/** A Discord id (snowflake): 17–20 digits. */
export function isSnowflake(value: string): boolean {
  return /^\d{17,20}$/.test(value);
}
