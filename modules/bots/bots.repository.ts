import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { botCommandRegistrations, botCommands, bots } from './bots.tables';

export type BotRow = typeof bots.$inferSelect;
export type BotCommandRow = typeof botCommands.$inferSelect;
export type BotRegistrationRow = typeof botCommandRegistrations.$inferSelect;

/** Changes reach other processes' interaction caches through NOTIFY on commit (payload: bot id). */
export const BOT_CHANGES_CHANNEL = 'weft_bot_changes';

export async function notifyBotChanged(executor: DbExecutor, botId: string): Promise<void> {
  await executor.execute(sql`SELECT pg_notify(${BOT_CHANGES_CHANNEL}, ${botId})`);
}

export async function insertBotRow(executor: DbExecutor, row: typeof bots.$inferInsert): Promise<BotRow> {
  const [inserted] = await executor.insert(bots).values(row).returning();
  return inserted!;
}

/** Always by workspace and id: another workspace's bot is not found. */
export async function findBotRow(executor: DbExecutor, workspaceId: string, botId: string): Promise<BotRow | undefined> {
  const [row] = await executor.select().from(bots).where(and(eq(bots.workspaceId, workspaceId), eq(bots.id, botId)));
  return row;
}

/** For the interactions endpoint, where the bot id in the URL is all there is (after the signature check). */
export async function findBotRowById(executor: DbExecutor, botId: string): Promise<BotRow | undefined> {
  const [row] = await executor.select().from(bots).where(eq(bots.id, botId));
  return row;
}

export async function listBotRows(executor: DbExecutor, workspaceId: string): Promise<BotRow[]> {
  return executor.select().from(bots).where(eq(bots.workspaceId, workspaceId)).orderBy(asc(bots.createdAt), asc(bots.id));
}

export async function updateBotRow(executor: DbExecutor, workspaceId: string, botId: string, changes: Partial<typeof bots.$inferInsert>): Promise<BotRow | undefined> {
  const [row] = await executor
    .update(bots)
    .set(changes)
    .where(and(eq(bots.workspaceId, workspaceId), eq(bots.id, botId)))
    .returning();
  return row;
}

export async function deleteBotRow(executor: DbExecutor, workspaceId: string, botId: string): Promise<BotRow | undefined> {
  const [row] = await executor
    .delete(bots)
    .where(and(eq(bots.workspaceId, workspaceId), eq(bots.id, botId)))
    .returning();
  return row;
}

export async function listBotRowsCreatedBy(executor: DbExecutor, userId: string): Promise<BotRow[]> {
  return executor.select().from(bots).where(eq(bots.createdBy, userId));
}

export async function anonymizeBotCreator(executor: DbExecutor, userId: string): Promise<void> {
  await executor.update(bots).set({ createdBy: null }).where(eq(bots.createdBy, userId));
}

export async function insertCommandRow(executor: DbExecutor, row: typeof botCommands.$inferInsert): Promise<BotCommandRow> {
  const [inserted] = await executor.insert(botCommands).values(row).returning();
  return inserted!;
}

export async function listCommandRows(executor: DbExecutor, botId: string): Promise<BotCommandRow[]> {
  return executor.select().from(botCommands).where(eq(botCommands.botId, botId)).orderBy(asc(botCommands.kind), asc(botCommands.name), asc(botCommands.id));
}

export async function findCommandRow(executor: DbExecutor, botId: string, commandId: string): Promise<BotCommandRow | undefined> {
  const [row] = await executor.select().from(botCommands).where(and(eq(botCommands.botId, botId), eq(botCommands.id, commandId)));
  return row;
}

export async function countCommandRows(executor: DbExecutor, botId: string, scope: string, kind: string): Promise<number> {
  const [row] = await executor
    .select({ count: sql<number>`count(*)::int` })
    .from(botCommands)
    .where(and(eq(botCommands.botId, botId), eq(botCommands.scope, scope), eq(botCommands.kind, kind as BotCommandRow['kind'])));
  return row?.count ?? 0;
}

export async function updateCommandRow(executor: DbExecutor, botId: string, commandId: string, changes: Partial<typeof botCommands.$inferInsert>): Promise<BotCommandRow | undefined> {
  const [row] = await executor
    .update(botCommands)
    .set(changes)
    .where(and(eq(botCommands.botId, botId), eq(botCommands.id, commandId)))
    .returning();
  return row;
}

export async function deleteCommandRow(executor: DbExecutor, botId: string, commandId: string): Promise<BotCommandRow | undefined> {
  const [row] = await executor
    .delete(botCommands)
    .where(and(eq(botCommands.botId, botId), eq(botCommands.id, commandId)))
    .returning();
  return row;
}

export async function listRegistrationRows(executor: DbExecutor, botId: string): Promise<BotRegistrationRow[]> {
  return executor.select().from(botCommandRegistrations).where(eq(botCommandRegistrations.botId, botId));
}

export async function upsertRegistrationRow(executor: DbExecutor, row: BotRegistrationRow): Promise<void> {
  await executor
    .insert(botCommandRegistrations)
    .values(row)
    .onConflictDoUpdate({
      target: [botCommandRegistrations.botId, botCommandRegistrations.scope],
      set: { commandsHash: row.commandsHash, commandCount: row.commandCount, registeredAt: row.registeredAt },
    });
}
