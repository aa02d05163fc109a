import type { AuditFilters, AuditScope } from './audit.api';
import type { PostKind, PostStatus } from './posts.api';
import type { TicketSide, TicketStatus } from './support.api';
import type { VariableScope } from './bots.api';
import type { RunFilters } from './runs.api';

/** Every cache key in one place, so invalidations cannot drift from the queries. */
export const queryKeys = {
  me: ['me'] as const,
  sessions: ['me', 'sessions'] as const,
  securityEvents: ['me', 'security-events'] as const,
  apiTokens: ['me', 'api-tokens'] as const,
  referral: ['me', 'referral'] as const,
  staffedGuilds: ['me', 'discord-guilds'] as const,
  staffGuildSettings: (guildId: string, botId: string) => ['me', 'discord-guilds', guildId, 'bots', botId] as const,
  workspaces: ['workspaces'] as const,
  workspace: (workspace: string) => ['workspaces', workspace] as const,
  members: (workspace: string) => ['workspaces', workspace, 'members'] as const,
  invitations: (workspace: string) => ['workspaces', workspace, 'invitations'] as const,
  workflows: (workspace: string) => ['workspaces', workspace, 'workflows'] as const,
  workflow: (workspace: string, id: string) => ['workspaces', workspace, 'workflows', id] as const,
  versions: (workspace: string, id: string) => ['workspaces', workspace, 'workflows', id, 'versions'] as const,
  versionGraph: (workspace: string, id: string, version: number) => ['workspaces', workspace, 'workflows', id, 'export', version] as const,
  runs: (workspace: string, filters?: RunFilters) => (filters ? (['workspaces', workspace, 'runs', filters] as const) : (['workspaces', workspace, 'runs'] as const)),
  run: (workspace: string, id: string) => ['workspaces', workspace, 'run', id] as const,
  nodeTypes: ['node-types'] as const,
  credentialTypes: ['credential-types'] as const,
  credentials: (workspace: string) => ['workspaces', workspace, 'credentials'] as const,
  schedules: (workspace: string) => ['workspaces', workspace, 'schedules'] as const,
  auditLog: (scope: AuditScope, filters: AuditFilters) => ['audit-log', scope, filters] as const,
  publishedPosts: (kind: PostKind) => ['posts', 'published', kind] as const,
  publishedPost: (slug: string) => ['posts', 'published', 'slug', slug] as const,
  allPosts: (filters: { kind?: PostKind; status?: PostStatus }) => ['posts', 'all', filters] as const,
  post: (id: string) => ['posts', 'id', id] as const,
  tickets: (side: TicketSide, status?: TicketStatus) => ['support', side, 'list', status ?? 'all'] as const,
  ticket: (side: TicketSide, id: string) => ['support', side, 'ticket', id] as const,
  bots: (workspace: string) => ['workspaces', workspace, 'bots'] as const,
  bot: (workspace: string, botId: string) => ['workspaces', workspace, 'bots', botId] as const,
  botEvents: (workspace: string, botId: string) => ['workspaces', workspace, 'bots', botId, 'events'] as const,
  botInvite: (workspace: string, botId: string) => ['workspaces', workspace, 'bots', botId, 'invite'] as const,
  botCommands: (workspace: string, botId: string) => ['workspaces', workspace, 'bots', botId, 'commands'] as const,
  botVariables: (workspace: string, botId: string, filter: { scope?: VariableScope; scopeId?: string }) => ['workspaces', workspace, 'bots', botId, 'variables', filter] as const,
  eventFlows: (workspace: string, botId: string) => ['workspaces', workspace, 'bots', botId, 'event-flows'] as const,
  botUsage: (workspace: string, botId: string, days: number) => ['workspaces', workspace, 'bots', botId, 'usage', days] as const,
  botGuilds: (workspace: string, botId: string) => ['workspaces', workspace, 'bots', botId, 'guilds'] as const,
  guildSettings: (workspace: string, botId: string, guildId: string) => ['workspaces', workspace, 'bots', botId, 'guilds', guildId] as const,
};
