import { and, eq, lt } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { users } from './accounts.tables';
import { discordManagedGuilds, type ManagedGuild } from './discord-guilds.tables';

export type ManagedGuildsRow = typeof discordManagedGuilds.$inferSelect;

/** One statement: a sign-in replaces the whole list (guilds no longer managed disappear). */
export async function replaceManagedGuilds(executor: DbExecutor, row: { userId: string; discordUserId: string; guilds: ManagedGuild[]; fetchedAt: Date }): Promise<void> {
  await executor
    .insert(discordManagedGuilds)
    .values(row)
    .onConflictDoUpdate({ target: discordManagedGuilds.userId, set: { discordUserId: row.discordUserId, guilds: row.guilds, fetchedAt: row.fetchedAt } });
}

/**
 * The list read for the Discord account linked to the user now: after an
 * unlink (or a link to another Discord account) the old list counts for nothing.
 */
export async function findCurrentManagedGuilds(executor: DbExecutor, userId: string): Promise<ManagedGuildsRow | undefined> {
  const [row] = await executor
    .select({ userId: discordManagedGuilds.userId, discordUserId: discordManagedGuilds.discordUserId, guilds: discordManagedGuilds.guilds, fetchedAt: discordManagedGuilds.fetchedAt })
    .from(discordManagedGuilds)
    .innerJoin(users, and(eq(users.id, discordManagedGuilds.userId), eq(users.discordId, discordManagedGuilds.discordUserId)))
    .where(eq(discordManagedGuilds.userId, userId));
  return row;
}

export async function listManagedGuildsRows(executor: DbExecutor, userId: string): Promise<ManagedGuildsRow[]> {
  return executor.select().from(discordManagedGuilds).where(eq(discordManagedGuilds.userId, userId));
}

export async function deleteManagedGuildsOf(executor: DbExecutor, userId: string): Promise<void> {
  await executor.delete(discordManagedGuilds).where(eq(discordManagedGuilds.userId, userId));
}

export async function deleteManagedGuildsFetchedBefore(executor: DbExecutor, before: Date): Promise<number> {
  const removed = await executor.delete(discordManagedGuilds).where(lt(discordManagedGuilds.fetchedAt, before)).returning({ userId: discordManagedGuilds.userId });
  return removed.length;
}
