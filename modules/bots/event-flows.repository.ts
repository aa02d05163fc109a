import { and, asc, eq } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { botEventFlows } from './gateway.tables';

export type EventFlowRow = typeof botEventFlows.$inferSelect;

export async function listEventFlowRows(executor: DbExecutor, botId: string): Promise<EventFlowRow[]> {
  return executor.select().from(botEventFlows).where(eq(botEventFlows.botId, botId)).orderBy(asc(botEventFlows.event), asc(botEventFlows.id));
}

export async function findEventFlowRow(executor: DbExecutor, botId: string, flowId: string): Promise<EventFlowRow | undefined> {
  const [row] = await executor.select().from(botEventFlows).where(and(eq(botEventFlows.botId, botId), eq(botEventFlows.id, flowId)));
  return row;
}

export async function insertEventFlowRow(executor: DbExecutor, row: typeof botEventFlows.$inferInsert): Promise<EventFlowRow> {
  const [inserted] = await executor.insert(botEventFlows).values(row).returning();
  return inserted!;
}

export async function updateEventFlowRow(executor: DbExecutor, botId: string, flowId: string, changes: Partial<typeof botEventFlows.$inferInsert>): Promise<EventFlowRow | undefined> {
  const [row] = await executor
    .update(botEventFlows)
    .set(changes)
    .where(and(eq(botEventFlows.botId, botId), eq(botEventFlows.id, flowId)))
    .returning();
  return row;
}

export async function deleteEventFlowRow(executor: DbExecutor, botId: string, flowId: string): Promise<boolean> {
  const rows = await executor
    .delete(botEventFlows)
    .where(and(eq(botEventFlows.botId, botId), eq(botEventFlows.id, flowId)))
    .returning({ id: botEventFlows.id });
  return rows.length > 0;
}
