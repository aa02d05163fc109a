import { AppError, isUuid } from '@weft/kernel';
import type { VariableScope, VariableType } from './bot-data.tables';
import {
  compareAndSetVariableRow,
  deleteUserVariableRows,
  deleteVariableRow,
  findVariableRow,
  incrementVariableRow,
  listUserVariableRows,
  listVariableRows,
  upsertVariableRow,
  type BotVariableRow,
  type VariableKey,
} from './bot-data.repository';
import { BotErrors } from './bots.errors';
import { botNotFound, createBotAccess, type BotsContext, type Caller } from './bots.context';
import { findBotRow } from './bots.repository';
import { VariableKeyName } from '@weft/contracts';

const MAX_VALUE_BYTES = 16 * 1024;

export { VariableKeyName };
const Snowflake = /^\d{17,20}$/;

/** Where a flow's variable lives: the bot must belong to the run's workspace. */
export interface VariableAddress {
  workspaceId: string;
  botId: string;
  scope: VariableScope;
  /** Guild, channel or Discord user id; ignored for global. */
  scopeId?: string | null;
  key: string;
}

export interface VariableView {
  scope: VariableScope;
  scopeId: string | null;
  key: string;
  type: VariableType;
  value: unknown;
  updatedAt: Date;
}

export function toVariableView(row: BotVariableRow): VariableView {
  return { scope: row.scope, scopeId: row.scopeId === '' ? null : row.scopeId, key: row.key, type: row.type, value: row.value, updatedAt: row.updatedAt };
}

function inferType(value: unknown): VariableType {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number' && Number.isFinite(value)) return 'number';
  if (Array.isArray(value)) return 'list';
  if (value && typeof value === 'object') return 'object';
  throw new AppError(BotErrors.BOT_VARIABLE_TYPE_MISMATCH, 'A variable holds text, a number, a list or an object');
}

function checkValue(value: unknown, type?: VariableType): VariableType {
  const inferred = inferType(value);
  if (type && type !== inferred) throw new AppError(BotErrors.BOT_VARIABLE_TYPE_MISMATCH, `The value is ${inferred}, not ${type}`, { type, actual: inferred });
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_VALUE_BYTES) {
    throw new AppError(BotErrors.BOT_VARIABLE_TOO_LARGE, `A variable holds at most ${MAX_VALUE_BYTES} bytes of JSON`, { maxBytes: MAX_VALUE_BYTES });
  }
  return inferred;
}

/**
 * Bot data for flows and the dashboard's viewer. Every write is one SQL
 * statement, so concurrent flows never lose an update (increment, CAS).
 */
export function createBotVariablesService(context: BotsContext) {
  const { database, clock } = context;
  const limit = context.maxVariablesPerBot;

  async function resolveKey(address: VariableAddress): Promise<VariableKey> {
    const key = VariableKeyName.safeParse(address.key);
    if (!key.success) throw new AppError(BotErrors.BOT_VARIABLE_NOT_FOUND, 'Invalid variable name', { key: address.key });
    const scopeId = address.scope === 'global' ? '' : String(address.scopeId ?? '');
    if (address.scope !== 'global' && !Snowflake.test(scopeId)) {
      throw new AppError(BotErrors.BOT_VARIABLE_NOT_FOUND, `A ${address.scope} variable needs the ${address.scope} id`, { scope: address.scope });
    }
    const bot = isUuid(address.workspaceId) && isUuid(address.botId) ? await findBotRow(database.db, address.workspaceId, address.botId) : undefined;
    if (!bot) throw botNotFound(address.botId);
    return { botId: bot.id, scope: address.scope, scopeId, key: key.data };
  }

  function limitReached(): AppError {
    return new AppError(BotErrors.BOT_VARIABLE_LIMIT_REACHED, `This bot already holds ${limit} variables, the most its plan allows; delete some first`, { limit });
  }

  return {
    resolveKey,

    async getVariable(address: VariableAddress): Promise<VariableView | null> {
      const row = await findVariableRow(database.db, await resolveKey(address));
      return row ? toVariableView(row) : null;
    },

    async listVariables(input: { workspaceId: string; botId: string; scope?: VariableScope; scopeId?: string; after?: string; limit: number }): Promise<{ items: (VariableView & { id: string })[]; nextCursor: string | null }> {
      const bot = isUuid(input.botId) ? await findBotRow(database.db, input.workspaceId, input.botId) : undefined;
      if (!bot) throw botNotFound(input.botId);
      const rows = await listVariableRows(database.db, bot.id, {
        ...(input.scope ? { scope: input.scope } : {}),
        ...(input.scopeId !== undefined ? { scopeId: input.scopeId } : {}),
        ...(input.after && isUuid(input.after) ? { after: input.after } : {}),
        limit: input.limit + 1,
      });
      const page = rows.slice(0, input.limit);
      return { items: page.map((row) => ({ id: row.id, ...toVariableView(row) })), nextCursor: rows.length > input.limit ? page.at(-1)!.id : null };
    },

    async setVariable(address: VariableAddress & { value: unknown; type?: VariableType }): Promise<VariableView> {
      const type = checkValue(address.value, address.type);
      const row = await upsertVariableRow(database.db, await resolveKey(address), type, address.value, limit, clock.now());
      if (!row) throw limitReached();
      return toVariableView(row);
    },

    /** Adds `by` (default 1) atomically; a missing variable starts at 0. */
    async incrementVariable(address: VariableAddress & { by?: number }): Promise<number> {
      const by = address.by ?? 1;
      if (!Number.isFinite(by)) throw new AppError(BotErrors.BOT_VARIABLE_TYPE_MISMATCH, 'The increment must be a finite number');
      const result = await incrementVariableRow(database.db, await resolveKey(address), by, limit, clock.now());
      if (result === 'limit') throw limitReached();
      if (result === 'not-a-number') throw new AppError(BotErrors.BOT_VARIABLE_TYPE_MISMATCH, 'Only a number variable can be incremented', { key: address.key });
      return result.value;
    },

    /** Writes `value` only if the variable still holds `expected` (null: only if it does not exist). */
    async compareAndSetVariable(address: VariableAddress & { expected: unknown; value: unknown; type?: VariableType }): Promise<{ isSwapped: boolean; current: VariableView | null }> {
      const type = checkValue(address.value, address.type);
      const key = await resolveKey(address);
      const isSwapped = await compareAndSetVariableRow(database.db, key, address.expected ?? null, { type, value: address.value }, limit, clock.now());
      const current = await findVariableRow(database.db, key);
      if (!isSwapped && address.expected === null && !current) throw limitReached();
      return { isSwapped, current: current ? toVariableView(current) : null };
    },

    async deleteVariable(address: VariableAddress): Promise<boolean> {
      return deleteVariableRow(database.db, await resolveKey(address));
    },

    /** A Weft user's own Discord member data, found through their linked Discord id. */
    async exportDiscordMember(discordUserId: string): Promise<Record<string, unknown>[]> {
      return (await listUserVariableRows(database.db, discordUserId)).map((row) => ({ botId: row.botId, workspaceId: row.workspaceId, ...toVariableView(row) }));
    },

    async eraseDiscordMember(discordUserId: string): Promise<number> {
      return deleteUserVariableRows(database.db, discordUserId);
    },

  };
}

export type BotVariablesService = ReturnType<typeof createBotVariablesService>;

/** The dashboard's variables viewer: the same operations, behind workspace access, with writes audited. */
export function createVariablesViewer(context: BotsContext, variables: BotVariablesService) {
  const access = createBotAccess(context);
  const address = (workspaceId: string, botId: string, target: { scope: VariableScope; scopeId?: string | null | undefined; key: string }): VariableAddress => ({
    workspaceId,
    botId,
    scope: target.scope,
    scopeId: target.scopeId ?? null,
    key: target.key,
  });

  return {
    async listVariables(caller: Caller, workspaceRef: string, botId: string, filter: { scope?: VariableScope; scopeId?: string; cursor?: string; limit: number }) {
      const { workspaceId } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      return variables.listVariables({
        workspaceId,
        botId,
        limit: filter.limit,
        ...(filter.scope ? { scope: filter.scope } : {}),
        ...(filter.scopeId !== undefined ? { scopeId: filter.scopeId } : {}),
        ...(filter.cursor ? { after: filter.cursor } : {}),
      });
    },
    async getVariable(caller: Caller, workspaceRef: string, botId: string, target: { scope: VariableScope; scopeId?: string; key: string }): Promise<VariableView> {
      const { workspaceId } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      const found = await variables.getVariable(address(workspaceId, botId, target));
      if (!found) throw new AppError(BotErrors.BOT_VARIABLE_NOT_FOUND, 'No such variable', { key: target.key });
      return found;
    },
    async setVariable(caller: Caller, workspaceRef: string, botId: string, target: { scope: VariableScope; scopeId?: string; key: string; type?: VariableType; value: unknown }): Promise<VariableView> {
      const { workspaceId } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      const saved = await variables.setVariable({ ...address(workspaceId, botId, target), value: target.value, ...(target.type ? { type: target.type } : {}) });
      await context.database.transaction((tx) => access.recordChange(tx, caller, workspaceId, botId, 'bots.variable.set', { scope: target.scope, key: target.key }));
      return saved;
    },
    async deleteVariable(caller: Caller, workspaceRef: string, botId: string, target: { scope: VariableScope; scopeId?: string; key: string }): Promise<void> {
      const { workspaceId } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      if (!(await variables.deleteVariable(address(workspaceId, botId, target)))) throw new AppError(BotErrors.BOT_VARIABLE_NOT_FOUND, 'No such variable', { key: target.key });
      await context.database.transaction((tx) => access.recordChange(tx, caller, workspaceId, botId, 'bots.variable.deleted', { scope: target.scope, key: target.key }));
    },
  };
}

export type VariablesViewer = ReturnType<typeof createVariablesViewer>;
