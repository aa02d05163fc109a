import { isUniqueViolation } from '@weft/db';
import { AppError, newId } from '@weft/kernel';
import { listRuntimeEventRows } from './bot-data.repository';
import { BotErrors } from './bots.errors';
import { createBotAccess, TOKEN_CREDENTIAL_TYPE, type BotsContext, type Caller } from './bots.context';
import { deleteBotRow, insertBotRow, listBotRows, listCommandRows, updateBotRow, type BotRow } from './bots.repository';
import { buildInviteUrl, computeInvitePermissions } from './invite-url';

export interface BotView {
  id: string;
  workspaceId: string;
  applicationId: string;
  publicKey: string;
  botUser: { id: string; name: string; avatar: string | null };
  features: string[];
  desiredState: BotRow['desiredState'];
  status: BotRow['status'];
  statusDetail: string | null;
  /** What to paste into the Developer Portal's "Interactions Endpoint URL". */
  interactionsUrl: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateBotInput {
  applicationId: string;
  publicKey: string;
  token: string;
  features?: string[];
}

export interface UpdateBotInput {
  publicKey?: string;
  token?: string;
  features?: string[];
}

export function createBotsService(context: BotsContext) {
  const { database, clock, discord, vault, directory } = context;
  const access = createBotAccess(context);

  function toView(row: BotRow): BotView {
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      applicationId: row.applicationId,
      publicKey: row.publicKey,
      botUser: { id: row.botUserId, name: row.name, avatar: row.avatar },
      features: row.features,
      desiredState: row.desiredState,
      status: row.status,
      statusDetail: row.statusDetail,
      interactionsUrl: `${context.publicUrl}/discord/interactions/${row.id}`,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  async function readToken(bot: BotRow): Promise<string> {
    const credential = await vault.loadCredentialForRun({ workspaceId: bot.workspaceId, credentialId: bot.credentialId, expectedType: TOKEN_CREDENTIAL_TYPE });
    return String(credential.fields.token);
  }

  return {
    toView,
    readToken,

    /** The token is checked with Discord (GET /users/@me) before anything is stored; a refused token stores nothing. */
    async createBot(caller: Caller, workspaceRef: string, input: CreateBotInput): Promise<BotView> {
      const { workspace } = await context.requireWorkspaceAccess(caller.principal, workspaceRef, 'credentials.manage');
      const botUser = await discord.fetchBotUser(input.token);
      const id = newId();
      const now = clock.now();
      const publicKey = input.publicKey.toLowerCase();
      try {
        const row = await database.transaction(async (tx) => {
          const credential = await vault.storeCredential(tx, {
            workspaceId: workspace.id,
            type: TOKEN_CREDENTIAL_TYPE,
            name: `Discord bot ${botUser.username} (${id.slice(-8)})`,
            data: { applicationId: input.applicationId, publicKey, token: input.token },
            createdBy: caller.principal.userId,
          });
          const inserted = await insertBotRow(tx, {
            id,
            workspaceId: workspace.id,
            applicationId: input.applicationId,
            publicKey,
            credentialId: credential.id,
            botUserId: botUser.id,
            name: botUser.username,
            avatar: botUser.avatar,
            features: input.features ?? [],
            createdBy: caller.principal.userId,
            createdAt: now,
            updatedAt: now,
          });
          await access.recordChange(tx, caller, workspace.id, id, 'bots.bot.created', { applicationId: input.applicationId, credentialId: credential.id });
          return inserted;
        });
        directory.invalidate(id);
        context.runtimeLog.record(id, 'info', `Bot ${botUser.username} connected`);
        return toView(row);
      } catch (error) {
        if (isUniqueViolation(error, 'bots_workspace_application_idx')) throw new AppError(BotErrors.BOT_ALREADY_CONNECTED, 'This application is already connected to this workspace', { applicationId: input.applicationId });
        throw error;
      }
    },

    async listBots(caller: Caller, workspaceRef: string): Promise<BotView[]> {
      const { workspace } = await context.requireWorkspaceAccess(caller.principal, workspaceRef, 'resources.read');
      return (await listBotRows(database.db, workspace.id)).map(toView);
    },

    async getBot(caller: Caller, workspaceRef: string, botId: string): Promise<BotView> {
      return toView((await access.requireBot(caller, workspaceRef, botId, 'resources.read')).bot);
    },

    async updateBot(caller: Caller, workspaceRef: string, botId: string, input: UpdateBotInput): Promise<BotView> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'credentials.manage');
      const botUser = input.token === undefined ? null : await discord.fetchBotUser(input.token);
      const publicKey = input.publicKey?.toLowerCase() ?? bot.publicKey;
      // Read before the transaction: on PGlite a query outside an open transaction waits for it.
      const storedToken = input.token !== undefined || input.publicKey !== undefined ? await readToken(bot) : null;
      const row = await database.transaction(async (tx) => {
        if (storedToken !== null) {
          const token = input.token ?? storedToken;
          await vault.replaceCredentialData(tx, { workspaceId, credentialId: bot.credentialId, data: { applicationId: bot.applicationId, publicKey, token } });
        }
        const changes: Parameters<typeof updateBotRow>[3] = { publicKey, updatedAt: clock.now() };
        if (input.features) changes.features = input.features;
        if (botUser) Object.assign(changes, { botUserId: botUser.id, name: botUser.username, avatar: botUser.avatar });
        // A new valid token clears a token_invalid status; the runtime reconnects with it.
        if (botUser && bot.status === 'token_invalid') Object.assign(changes, { status: bot.desiredState === 'running' ? 'connecting' : 'stopped', statusDetail: null });
        const updated = (await updateBotRow(tx, workspaceId, botId, changes))!;
        await access.recordChange(tx, caller, workspaceId, botId, 'bots.bot.updated', { fields: Object.keys(input) });
        return updated;
      });
      if (storedToken && input.token !== undefined && input.token !== storedToken) discord.forgetToken(storedToken);
      directory.invalidate(botId);
      return toView(row);
    },

    /** Deletes the bot, its commands, data and token credential together. */
    async deleteBot(caller: Caller, workspaceRef: string, botId: string): Promise<void> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'credentials.manage');
      const token = await readToken(bot).catch(() => null);
      await database.transaction(async (tx) => {
        const deleted = await deleteBotRow(tx, workspaceId, botId);
        if (!deleted) return;
        await vault.deleteCredential(tx, { workspaceId, credentialId: deleted.credentialId });
        await access.recordChange(tx, caller, workspaceId, botId, 'bots.bot.deleted', { applicationId: deleted.applicationId });
      });
      if (token) discord.forgetToken(token);
      directory.invalidate(botId);
    },

    /**
     * Sets the desired state. Starting checks the token again: a revoked
     * token leaves the bot stopped with status token_invalid. The gateway
     * runtime (worker) moves a running bot from connecting to online.
     */
    async setDesiredState(caller: Caller, workspaceRef: string, botId: string, desired: 'running' | 'stopped'): Promise<BotView> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.execute');
      let status: BotRow['status'] = 'stopped';
      let statusDetail: string | null = null;
      if (desired === 'running') {
        try {
          await discord.fetchBotUser(await readToken(bot));
          status = 'connecting';
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== BotErrors.BOT_TOKEN_INVALID) throw error;
          status = 'token_invalid';
          statusDetail = 'Discord refused the token; reset it in the Developer Portal and update the bot';
        }
      }
      const effective = status === 'token_invalid' ? 'stopped' : desired;
      const row = await database.transaction(async (tx) => {
        const updated = (await updateBotRow(tx, workspaceId, botId, { desiredState: effective, status, statusDetail, updatedAt: clock.now() }))!;
        await access.recordChange(tx, caller, workspaceId, botId, desired === 'running' ? 'bots.bot.started' : 'bots.bot.stopped', { status });
        return updated;
      });
      directory.invalidate(botId);
      context.runtimeLog.record(botId, status === 'token_invalid' ? 'error' : 'info', status === 'token_invalid' ? 'Start refused: the token is invalid' : desired === 'running' ? 'Start requested' : 'Stopped');
      return toView(row);
    },

    async getInviteUrl(caller: Caller, workspaceRef: string, botId: string): Promise<{ url: string; permissions: string }> {
      const { bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      const commands = await listCommandRows(database.db, bot.id);
      const permissions = computeInvitePermissions(bot.features, commands.map((c) => c.botPermissions));
      return { url: buildInviteUrl(context.authorizeUrl, bot.applicationId, permissions), permissions };
    },

    async listRuntimeEvents(caller: Caller, workspaceRef: string, botId: string, page: { before?: string; limit: number }) {
      const { bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      const rows = await listRuntimeEventRows(database.db, bot.id, page.before, page.limit + 1);
      return { items: rows.slice(0, page.limit), nextCursor: rows.length > page.limit ? rows[page.limit - 1]!.id : null };
    },
  };
}

export type BotsService = ReturnType<typeof createBotsService>;
