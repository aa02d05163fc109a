import type { AuditEntryInput } from '@weft/audit';
import type { Tx } from '@weft/db';
import type { Principal } from '@weft/http';

/**
 * What this module needs from others, as plain function types; the
 * composition root passes the real ones, tests pass small real ones.
 */
export type WorkspacePermission = 'resources.read' | 'resources.write' | 'resources.execute' | 'credentials.manage';

export type RequireWorkspaceAccess = (
  principal: Principal,
  workspaceRef: string,
  permission: WorkspacePermission,
) => Promise<{ workspace: { id: string; slug: string }; role: string }>;

export type RecordAudit = (entry: AuditEntryInput, tx: Tx) => Promise<void>;

export interface RunWorkflowNowResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled' | 'timed_out' | 'waiting';
  response: unknown;
  error: { code: string; message: string; nodeId?: string } | null;
}

/** The runs module's `api.runWorkflowNow`: runs the published version in this process now. */
export type RunWorkflowNow = (request: {
  workspaceId: string;
  workflowId: string;
  triggerKind: 'discord';
  input: unknown;
  onResponse?: (response: unknown) => void;
}) => Promise<RunWorkflowNowResult>;

/** The workflows catalog's lookup, scoped by workspace: another workspace's workflow is null. */
export type FindWorkflow = (workspaceId: string, workflowId: string) => Promise<{ isArchived: boolean } | null>;

/** The credentials module's internal API for the bot token (type `discord-bot-token`). */
export interface BotTokenVault {
  storeCredential(tx: Tx, input: { workspaceId: string; type: string; name: string; data: Record<string, unknown>; createdBy: string | null }): Promise<{ id: string }>;
  replaceCredentialData(tx: Tx, input: { workspaceId: string; credentialId: string; data: Record<string, unknown> }): Promise<void>;
  deleteCredential(tx: Tx, input: { workspaceId: string; credentialId: string }): Promise<void>;
  loadCredentialForRun(input: { workspaceId: string; credentialId: string; expectedType?: string }): Promise<{ fields: Record<string, unknown> }>;
}

/**
 * The accounts module's `api.findManagedDiscordGuilds`: the Discord servers a
 * user manages (owner, ADMINISTRATOR or MANAGE_GUILD) as read at their last
 * Discord sign-in, or null when they never signed in with the linked account.
 */
export type FindManagedDiscordGuilds = (userId: string) => Promise<{ guilds: { id: string; isOwner: boolean }[]; fetchedAt: Date } | null>;

/** The runs module's `api.startTriggeredRun`: queues a run of the published version; the same key gives back the same run. */
export type StartTriggeredRun = (request: {
  workspaceId: string;
  workflowId: string;
  triggerKind: 'discord';
  input: unknown;
  idempotencyKey?: string;
}) => Promise<{ runId: string; isCreated: boolean }>;
