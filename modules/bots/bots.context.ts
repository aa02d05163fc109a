import type { Database, Tx } from '@weft/db';
import type { Principal } from '@weft/http';
import { AppError, isUuid, type Clock } from '@weft/kernel';
import type { BotDirectory } from './bot-directory';
import type { BotTokenVault, FindWorkflow, RecordAudit, RequireWorkspaceAccess, WorkspacePermission } from './bots.dependencies';
import { BotErrors } from './bots.errors';
import { findBotRow, notifyBotChanged, type BotRow } from './bots.repository';
import type { DiscordClient } from './discord-client';
import type { RuntimeLog } from './runtime-log';

/** Who asks, and from where (the address goes to the audit log as a keyed hash only). */
export interface Caller {
  principal: Principal;
  ip?: string;
}

/** The resources every use case of this module shares, built once in index.ts. */
export interface BotsContext {
  database: Database;
  clock: Clock;
  discord: DiscordClient;
  vault: BotTokenVault;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  recordAudit: RecordAudit;
  findWorkflow: FindWorkflow;
  directory: BotDirectory;
  runtimeLog: RuntimeLog;
  /** Base of the interactions endpoint address shown to the user. */
  publicUrl: string;
  authorizeUrl: string;
  maxVariablesPerBot: number;
}

export const TOKEN_CREDENTIAL_TYPE = 'discord-bot-token';

export function botNotFound(botId: string): AppError {
  return new AppError(BotErrors.BOT_NOT_FOUND, 'No such bot in this workspace', { botId });
}

export function createBotAccess(context: BotsContext) {
  const actorOf = (caller: Caller) => ({ type: caller.principal.via === 'token' ? ('token' as const) : ('user' as const), id: caller.principal.userId });

  return {
    actorOf,
    /** Access first, outside any transaction (PGlite: a query outside an open transaction would wait for it). */
    async requireBot(caller: Caller, workspaceRef: string, botId: string, permission: WorkspacePermission): Promise<{ workspaceId: string; bot: BotRow }> {
      const { workspace } = await context.requireWorkspaceAccess(caller.principal, workspaceRef, permission);
      const bot = isUuid(botId) ? await findBotRow(context.database.db, workspace.id, botId) : undefined;
      if (!bot) throw botNotFound(botId);
      return { workspaceId: workspace.id, bot };
    },
    /** Audit entry and change notice in the transaction of the change. */
    async recordChange(tx: Tx, caller: Caller | null, workspaceId: string, botId: string, action: string, details: Record<string, unknown> = {}): Promise<void> {
      await context.recordAudit(
        { actor: caller ? actorOf(caller) : { type: 'system' }, action, target: { type: 'bot', id: botId }, workspaceId, ip: caller?.ip ?? null, details },
        tx,
      );
      await notifyBotChanged(tx, botId);
    },
  };
}

export type BotAccess = ReturnType<typeof createBotAccess>;
