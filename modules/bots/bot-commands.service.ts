import { isUniqueViolation } from '@weft/db';
import { AppError, compareCodeUnits, isUuid, newId, sha256Hex } from '@weft/kernel';
import { stringifyStable } from '@weft/workflows';
import { BotErrors } from './bots.errors';
import { markTokenInvalid } from './gateway.repository';
import { createBotAccess, type BotsContext, type Caller } from './bots.context';
import {
  countCommandRows,
  deleteCommandRow,
  findCommandRow,
  insertCommandRow,
  listCommandRows,
  listRegistrationRows,
  updateCommandRow,
  upsertRegistrationRow,
  type BotCommandRow,
} from './bots.repository';
import type { CommandInput } from './command-schemas';
import type { BotsService } from './bots.service';

/** Interactions › Application Commands › Registering a Command: per scope and per type. */
const SCOPE_LIMITS: Record<BotCommandRow['kind'], number> = { slash: 100, user: 5, message: 5, component: 100 };
const DISCORD_TYPES = { slash: 1, user: 2, message: 3 } as const;

export type CommandView = Omit<BotCommandRow, 'workspaceId'>;

export interface SyncReport {
  scopes: { scope: string; commandCount: number; isSent: boolean }[];
}

function toView(row: BotCommandRow): CommandView {
  const { workspaceId: _workspaceId, ...view } = row;
  return view;
}

/** The payload of one application command as Discord stores it (Application Command Object). */
export function toDiscordCommand(row: BotCommandRow): Record<string, unknown> {
  const kind = row.kind as keyof typeof DISCORD_TYPES;
  return {
    name: row.name,
    type: DISCORD_TYPES[kind],
    description: kind === 'slash' ? row.description : '',
    ...(kind === 'slash' ? { options: row.options } : {}),
    default_member_permissions: row.requiredPermissions,
  };
}

/** The desired set of a scope, in a canonical order, and its hash: equal sets hash equal whatever the edit history. */
export function describeScopeCommands(rows: BotCommandRow[]): { commands: Record<string, unknown>[]; hash: string } {
  const commands = rows
    .filter((row) => row.kind !== 'component')
    .sort((a, b) => compareCodeUnits(a.kind, b.kind) || compareCodeUnits(a.name, b.name))
    .map(toDiscordCommand);
  return { commands, hash: sha256Hex(stringifyStable(commands)) };
}

export function createBotCommandsService(context: BotsContext, bots: BotsService) {
  const { database, clock, directory } = context;
  const access = createBotAccess(context);
  const syncing = new Map<string, Promise<unknown>>();
  const COMMAND_SYNC_REFUSED = 'Discord refused the bot token (401) while registering commands; reset it in the Developer Portal and update the bot';

  async function checkWorkflows(workspaceId: string, input: CommandInput): Promise<void> {
    for (const workflowId of [input.workflowId, input.autocompleteWorkflowId]) {
      if (!workflowId) continue;
      const workflow = await context.findWorkflow(workspaceId, workflowId);
      if (!workflow || workflow.isArchived) throw new AppError(BotErrors.BOT_WORKFLOW_NOT_FOUND, 'No such workflow in this workspace', { workflowId });
    }
  }

  function toColumns(input: CommandInput) {
    return {
      kind: input.kind,
      scope: input.scope,
      name: input.name,
      description: input.kind === 'slash' ? input.description : '',
      options: input.kind === 'slash' ? input.options : [],
      workflowId: input.workflowId,
      autocompleteWorkflowId: input.autocompleteWorkflowId ?? null,
      isEphemeral: input.isEphemeral,
      cooldownSeconds: input.cooldownSeconds,
      requiredPermissions: input.requiredPermissions,
      botPermissions: input.botPermissions,
    };
  }

  async function writeNamed<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error, 'bot_commands_name_idx')) throw new AppError(BotErrors.BOT_COMMAND_NAME_TAKEN, 'This bot already has a command of that kind and name in that scope', { name });
      throw error;
    }
  }

  async function registerScopes(caller: Caller, workspaceRef: string, botId: string): Promise<SyncReport> {
    const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.execute');
    const commands = await listCommandRows(database.db, bot.id);
    const registered = new Map((await listRegistrationRows(database.db, bot.id)).map((r) => [r.scope, r]));
    const scopes = new Set([...commands.filter((c) => c.kind !== 'component').map((c) => c.scope), ...registered.keys()]);
    const report: SyncReport = { scopes: [] };
    let token: string | null = null;
    for (const scope of [...scopes].sort()) {
      const desired = describeScopeCommands(commands.filter((c) => c.scope === scope));
      if (registered.get(scope)?.commandsHash === desired.hash) {
        report.scopes.push({ scope, commandCount: desired.commands.length, isSent: false });
        continue;
      }
      token ??= await bots.readToken(bot);
      try {
        await context.discord.overwriteCommands(token, bot.applicationId, scope, desired.commands as never);
      } catch (error) {
        // A REST 401 stops the bot wherever it happens (DESIGN.md §6), not only on the gateway.
        if (error instanceof AppError && error.code === BotErrors.BOT_TOKEN_INVALID) {
          await markTokenInvalid(database.db, bot.id, COMMAND_SYNC_REFUSED);
          context.runtimeLog.record(bot.id, 'error', COMMAND_SYNC_REFUSED, { status: 'token_invalid' });
        }
        throw error;
      }
      await database.transaction(async (tx) => {
        await upsertRegistrationRow(tx, { botId: bot.id, scope, commandsHash: desired.hash, commandCount: desired.commands.length, registeredAt: clock.now() });
        await access.recordChange(tx, caller, workspaceId, bot.id, 'bots.commands.registered', { scope, commandCount: desired.commands.length });
      });
      report.scopes.push({ scope, commandCount: desired.commands.length, isSent: true });
    }
    return report;
  }

  return {
    async listCommands(caller: Caller, workspaceRef: string, botId: string): Promise<CommandView[]> {
      const { bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      return (await listCommandRows(database.db, bot.id)).map(toView);
    },

    async getCommand(caller: Caller, workspaceRef: string, botId: string, commandId: string): Promise<CommandView> {
      const { bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      const row = isUuid(commandId) ? await findCommandRow(database.db, bot.id, commandId) : undefined;
      if (!row) throw new AppError(BotErrors.BOT_COMMAND_NOT_FOUND, 'No such command on this bot', { commandId });
      return toView(row);
    },

    async createCommand(caller: Caller, workspaceRef: string, botId: string, input: CommandInput): Promise<CommandView> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      await checkWorkflows(workspaceId, input);
      if ((await countCommandRows(database.db, bot.id, input.scope, input.kind)) >= SCOPE_LIMITS[input.kind]) {
        throw new AppError(BotErrors.BOT_COMMAND_LIMIT_REACHED, `Discord allows ${SCOPE_LIMITS[input.kind]} ${input.kind} commands per scope`, { scope: input.scope, kind: input.kind });
      }
      const now = clock.now();
      const row = await writeNamed(input.name, () =>
        database.transaction(async (tx) => {
          const inserted = await insertCommandRow(tx, { id: newId(), botId: bot.id, workspaceId, ...toColumns(input), createdAt: now, updatedAt: now });
          await access.recordChange(tx, caller, workspaceId, bot.id, 'bots.command.created', { commandId: inserted.id, kind: input.kind, name: input.name, scope: input.scope });
          return inserted;
        }),
      );
      directory.invalidate(bot.id);
      return toView(row);
    },

    /** Replaces the command's definition (PUT semantics). */
    async replaceCommand(caller: Caller, workspaceRef: string, botId: string, commandId: string, input: CommandInput): Promise<CommandView> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      await checkWorkflows(workspaceId, input);
      const row = await writeNamed(input.name, () =>
        database.transaction(async (tx) => {
          const updated = isUuid(commandId) ? await updateCommandRow(tx, bot.id, commandId, { ...toColumns(input), updatedAt: clock.now() }) : undefined;
          if (!updated) throw new AppError(BotErrors.BOT_COMMAND_NOT_FOUND, 'No such command on this bot', { commandId });
          await access.recordChange(tx, caller, workspaceId, bot.id, 'bots.command.updated', { commandId, kind: input.kind, name: input.name, scope: input.scope });
          return updated;
        }),
      );
      directory.invalidate(bot.id);
      return toView(row);
    },

    async deleteCommand(caller: Caller, workspaceRef: string, botId: string, commandId: string): Promise<void> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      await database.transaction(async (tx) => {
        const deleted = isUuid(commandId) ? await deleteCommandRow(tx, bot.id, commandId) : undefined;
        if (!deleted) throw new AppError(BotErrors.BOT_COMMAND_NOT_FOUND, 'No such command on this bot', { commandId });
        await access.recordChange(tx, caller, workspaceId, bot.id, 'bots.command.deleted', { commandId, kind: deleted.kind, name: deleted.name });
      });
      directory.invalidate(bot.id);
    },

    /**
     * Registers the desired command set of every scope with Discord — a bulk
     * overwrite (PUT) only for scopes whose canonical hash differs from the
     * last registered one, so an unchanged set costs no call (rate limits).
     * Syncs of one bot run one at a time in this process.
     */
    syncCommands(caller: Caller, workspaceRef: string, botId: string): Promise<SyncReport> {
      const previous = syncing.get(botId) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => registerScopes(caller, workspaceRef, botId));
      syncing.set(botId, next);
      void next.finally(() => syncing.get(botId) === next && syncing.delete(botId)).catch(() => undefined);
      return next;
    },
  };
}

export type BotCommandsService = ReturnType<typeof createBotCommandsService>;
