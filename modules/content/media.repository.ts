import { desc, eq, lt } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { media } from './media.tables';

export type MediaRow = typeof media.$inferSelect;

export async function insertMedia(executor: DbExecutor, row: typeof media.$inferInsert): Promise<MediaRow> {
  const [inserted] = await executor.insert(media).values(row).returning();
  return inserted!;
}

export async function findMedia(executor: DbExecutor, id: string): Promise<MediaRow | undefined> {
  const [row] = await executor.select().from(media).where(eq(media.id, id));
  return row;
}

export async function deleteMedia(executor: DbExecutor, id: string): Promise<MediaRow | undefined> {
  const [row] = await executor.delete(media).where(eq(media.id, id)).returning();
  return row;
}

/** Newest first; ids are time-ordered (UUIDv7), so the cursor is the last id shown. */
export async function listMedia(executor: DbExecutor, beforeId: string | undefined, limit: number): Promise<MediaRow[]> {
  return executor
    .select()
    .from(media)
    .where(beforeId ? lt(media.id, beforeId) : undefined)
    .orderBy(desc(media.id))
    .limit(limit);
}

export async function listMediaByUploader(executor: DbExecutor, userId: string): Promise<MediaRow[]> {
  return executor.select().from(media).where(eq(media.uploadedBy, userId)).orderBy(desc(media.id));
}

export async function forgetMediaUploader(executor: DbExecutor, userId: string): Promise<void> {
  await executor.update(media).set({ uploadedBy: null }).where(eq(media.uploadedBy, userId));
}
