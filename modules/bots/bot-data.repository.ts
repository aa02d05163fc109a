import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { queryRows, type DbExecutor } from '@weft/db';
import { newId } from '@weft/kernel';
import { botCommandUsage, botGuildSettings, botRuntimeEvents, botVariables, type EventLevel, type VariableScope, type VariableType } from './bot-data.tables';
import { bots } from './bots.tables';

export type BotVariableRow = typeof botVariables.$inferSelect;
export type GuildSettingsRow = typeof botGuildSettings.$inferSelect;
export type RuntimeEventRow = typeof botRuntimeEvents.$inferSelect;
export type UsageRow = typeof botCommandUsage.$inferSelect;

export interface VariableKey {
  botId: string;
  scope: VariableScope;
  scopeId: string;
  key: string;
}

function keyMatches(k: VariableKey) {
  return and(eq(botVariables.botId, k.botId), eq(botVariables.scope, k.scope), eq(botVariables.scopeId, k.scopeId), eq(botVariables.key, k.key));
}

export async function findVariableRow(executor: DbExecutor, k: VariableKey): Promise<BotVariableRow | undefined> {
  const [row] = await executor.select().from(botVariables).where(keyMatches(k));
  return row;
}

export async function listVariableRows(
  executor: DbExecutor,
  botId: string,
  filter: { scope?: VariableScope; scopeId?: string; after?: string; limit: number },
): Promise<BotVariableRow[]> {
  const conditions = [eq(botVariables.botId, botId)];
  if (filter.scope) conditions.push(eq(botVariables.scope, filter.scope));
  if (filter.scopeId !== undefined) conditions.push(eq(botVariables.scopeId, filter.scopeId));
  if (filter.after) conditions.push(gt(botVariables.id, filter.after));
  return executor.select().from(botVariables).where(and(...conditions)).orderBy(asc(botVariables.id)).limit(filter.limit);
}

/**
 * Writes a value. A new key is only inserted while the bot holds fewer than
 * `maxVariables` (the count and the insert are one statement; concurrent
 * inserts of different keys may overshoot by the number in flight). Returns
 * undefined when the limit refused a new key.
 */
export async function upsertVariableRow(executor: DbExecutor, k: VariableKey, type: VariableType, value: unknown, maxVariables: number, now: Date): Promise<BotVariableRow | undefined> {
  const [updated] = await executor.update(botVariables).set({ type, value, updatedAt: now }).where(keyMatches(k)).returning();
  if (updated) return updated;
  const rows = await queryRows(executor, sql`
    INSERT INTO bot_variables (id, bot_id, scope, scope_id, key, type, value, created_at, updated_at)
    SELECT ${newId()}, ${k.botId}, ${k.scope}, ${k.scopeId}, ${k.key}, ${type}, ${JSON.stringify(value)}::jsonb, ${now.toISOString()}, ${now.toISOString()}
    WHERE (SELECT count(*) FROM bot_variables WHERE bot_id = ${k.botId}) < ${maxVariables}
    ON CONFLICT (bot_id, scope, scope_id, key) DO UPDATE SET type = EXCLUDED.type, value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
    RETURNING id`);
  if (rows.length === 0) return undefined;
  return findVariableRow(executor, k);
}

/**
 * Atomic increment in one statement: concurrent increments never lose an
 * update. A missing key starts at 0 (subject to the limit); a key that holds
 * something other than a number is left alone (no row returned).
 */
export async function incrementVariableRow(executor: DbExecutor, k: VariableKey, delta: number, maxVariables: number, now: Date): Promise<{ value: number } | 'not-a-number' | 'limit'> {
  const rows = await queryRows<{ value: unknown }>(
    executor,
    sql`
      INSERT INTO bot_variables (id, bot_id, scope, scope_id, key, type, value, created_at, updated_at)
      SELECT ${newId()}, ${k.botId}, ${k.scope}, ${k.scopeId}, ${k.key}, 'number', to_jsonb(${delta}::numeric), ${now.toISOString()}, ${now.toISOString()}
      WHERE EXISTS (SELECT 1 FROM bot_variables WHERE bot_id = ${k.botId} AND scope = ${k.scope} AND scope_id = ${k.scopeId} AND key = ${k.key})
         OR (SELECT count(*) FROM bot_variables WHERE bot_id = ${k.botId}) < ${maxVariables}
      ON CONFLICT (bot_id, scope, scope_id, key) DO UPDATE
        SET value = to_jsonb((bot_variables.value #>> '{}')::numeric + ${delta}::numeric), updated_at = EXCLUDED.updated_at
        WHERE bot_variables.type = 'number'
      RETURNING value`,
  );
  if (rows[0]) return { value: Number(rows[0].value) };
  return (await findVariableRow(executor, k)) ? 'not-a-number' : 'limit';
}

/** Swaps only when the stored value equals `expected` (JSON equality); `expected: null` means "absent". */
export async function compareAndSetVariableRow(
  executor: DbExecutor,
  k: VariableKey,
  expected: unknown,
  next: { type: VariableType; value: unknown },
  maxVariables: number,
  now: Date,
): Promise<boolean> {
  if (expected === null) {
    const rows = await queryRows(executor, sql`
      INSERT INTO bot_variables (id, bot_id, scope, scope_id, key, type, value, created_at, updated_at)
      SELECT ${newId()}, ${k.botId}, ${k.scope}, ${k.scopeId}, ${k.key}, ${next.type}, ${JSON.stringify(next.value)}::jsonb, ${now.toISOString()}, ${now.toISOString()}
      WHERE (SELECT count(*) FROM bot_variables WHERE bot_id = ${k.botId}) < ${maxVariables}
      ON CONFLICT (bot_id, scope, scope_id, key) DO NOTHING
      RETURNING id`);
    return rows.length > 0;
  }
  const swapped = await executor
    .update(botVariables)
    .set({ type: next.type, value: next.value, updatedAt: now })
    .where(and(keyMatches(k), sql`${botVariables.value} = ${JSON.stringify(expected)}::jsonb`))
    .returning({ id: botVariables.id });
  return swapped.length > 0;
}

export async function countVariableRows(executor: DbExecutor, botId: string): Promise<number> {
  const [row] = await executor.select({ count: sql<number>`count(*)::int` }).from(botVariables).where(eq(botVariables.botId, botId));
  return row?.count ?? 0;
}

export async function deleteVariableRow(executor: DbExecutor, k: VariableKey): Promise<boolean> {
  return (await executor.delete(botVariables).where(keyMatches(k)).returning({ id: botVariables.id })).length > 0;
}

/** A Discord member's user-scoped values across every bot (export and erasure go by their Discord id). */
export async function listUserVariableRows(executor: DbExecutor, discordUserId: string): Promise<(BotVariableRow & { workspaceId: string })[]> {
  const rows = await executor
    .select({ variable: botVariables, workspaceId: bots.workspaceId })
    .from(botVariables)
    .innerJoin(bots, eq(bots.id, botVariables.botId))
    .where(and(eq(botVariables.scope, 'user'), eq(botVariables.scopeId, discordUserId)));
  return rows.map((r) => ({ ...r.variable, workspaceId: r.workspaceId }));
}

export async function deleteUserVariableRows(executor: DbExecutor, discordUserId: string): Promise<number> {
  return (await executor.delete(botVariables).where(and(eq(botVariables.scope, 'user'), eq(botVariables.scopeId, discordUserId))).returning({ id: botVariables.id })).length;
}

export async function findGuildSettingsRow(executor: DbExecutor, botId: string, guildId: string): Promise<GuildSettingsRow | undefined> {
  const [row] = await executor.select().from(botGuildSettings).where(and(eq(botGuildSettings.botId, botId), eq(botGuildSettings.guildId, guildId)));
  return row;
}

export async function upsertGuildSettingsRow(executor: DbExecutor, row: GuildSettingsRow): Promise<GuildSettingsRow> {
  const { botId: _botId, guildId: _guildId, ...changes } = row;
  const [saved] = await executor.insert(botGuildSettings).values(row).onConflictDoUpdate({ target: [botGuildSettings.botId, botGuildSettings.guildId], set: changes }).returning();
  return saved!;
}

export async function anonymizeGuildSettingsEditor(executor: DbExecutor, userId: string): Promise<void> {
  await executor.update(botGuildSettings).set({ updatedBy: null }).where(eq(botGuildSettings.updatedBy, userId));
}

export async function insertRuntimeEventRow(executor: DbExecutor, row: { botId: string; at: Date; level: EventLevel; message: string; details?: Record<string, unknown> }): Promise<void> {
  await executor.insert(botRuntimeEvents).values({ id: newId(), ...row, message: row.message.slice(0, 1000), details: row.details ?? {} });
}

/** Newest first; ids are UUIDv7, so the id alone is the cursor. */
export async function listRuntimeEventRows(executor: DbExecutor, botId: string, before: string | undefined, limit: number): Promise<RuntimeEventRow[]> {
  const conditions = [eq(botRuntimeEvents.botId, botId)];
  if (before) conditions.push(lt(botRuntimeEvents.id, before));
  return executor.select().from(botRuntimeEvents).where(and(...conditions)).orderBy(desc(botRuntimeEvents.id)).limit(limit);
}

export async function addUsageCounts(executor: DbExecutor, rows: UsageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await executor
    .insert(botCommandUsage)
    .values(rows)
    .onConflictDoUpdate({
      target: [botCommandUsage.botId, botCommandUsage.commandId, botCommandUsage.day],
      set: {
        invocations: sql`${botCommandUsage.invocations} + EXCLUDED.invocations`,
        failures: sql`${botCommandUsage.failures} + EXCLUDED.failures`,
        refusals: sql`${botCommandUsage.refusals} + EXCLUDED.refusals`,
      },
    });
}

export async function listUsageRows(executor: DbExecutor, botId: string, fromDay: string, commandIds?: string[]): Promise<UsageRow[]> {
  const conditions = [eq(botCommandUsage.botId, botId), sql`${botCommandUsage.day} >= ${fromDay}`];
  if (commandIds) conditions.push(inArray(botCommandUsage.commandId, commandIds));
  return executor.select().from(botCommandUsage).where(and(...conditions)).orderBy(asc(botCommandUsage.day), asc(botCommandUsage.commandId));
}

export async function purgeExpiredBotData(executor: DbExecutor, eventsBefore: Date, usageBeforeDay: string): Promise<{ events: number; usage: number }> {
  const events = await executor.delete(botRuntimeEvents).where(lt(botRuntimeEvents.at, eventsBefore)).returning({ id: botRuntimeEvents.id });
  const usage = await executor.delete(botCommandUsage).where(lt(botCommandUsage.day, usageBeforeDay)).returning({ day: botCommandUsage.day });
  return { events: events.length, usage: usage.length };
}
