import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { bots } from './bots.tables';
import { botGuilds, type SyncedChannel, type SyncedRole } from './gateway.tables';

export type BotGuildRow = typeof botGuilds.$inferSelect;

export async function findGuildRow(executor: DbExecutor, botId: string, guildId: string): Promise<BotGuildRow | undefined> {
  const [row] = await executor.select().from(botGuilds).where(and(eq(botGuilds.botId, botId), eq(botGuilds.guildId, guildId)));
  return row;
}

export async function listGuildRows(executor: DbExecutor, botId: string, guildIds?: string[]): Promise<BotGuildRow[]> {
  const conditions = [eq(botGuilds.botId, botId)];
  if (guildIds) {
    if (guildIds.length === 0) return [];
    conditions.push(inArray(botGuilds.guildId, guildIds));
  }
  return executor.select().from(botGuilds).where(and(...conditions)).orderBy(asc(botGuilds.name), asc(botGuilds.guildId));
}

/** GUILD_CREATE and GUILD_UPDATE: the whole guild; `joined_at` keeps the first sighting. */
export async function upsertGuildRow(
  executor: DbExecutor,
  row: { botId: string; guildId: string; name: string; icon: string | null; ownerId: string | null; channels?: SyncedChannel[]; roles?: SyncedRole[]; at: Date },
): Promise<void> {
  const lists = { ...(row.channels ? { channels: row.channels } : {}), ...(row.roles ? { roles: row.roles } : {}) };
  await executor
    .insert(botGuilds)
    .values({ botId: row.botId, guildId: row.guildId, name: row.name, icon: row.icon, ownerId: row.ownerId, ...lists, joinedAt: row.at, syncedAt: row.at })
    .onConflictDoUpdate({ target: [botGuilds.botId, botGuilds.guildId], set: { name: row.name, icon: row.icon, ownerId: row.ownerId, ...lists, syncedAt: row.at } });
}

/** Role and channel events change one entry; the gateway session is the only writer for a bot, in order. */
export async function replaceGuildLists(executor: DbExecutor, botId: string, guildId: string, lists: { channels?: SyncedChannel[]; roles?: SyncedRole[] }, at: Date): Promise<void> {
  await executor
    .update(botGuilds)
    .set({ ...lists, syncedAt: at })
    .where(and(eq(botGuilds.botId, botId), eq(botGuilds.guildId, guildId)));
}

export async function deleteGuildRow(executor: DbExecutor, botId: string, guildId: string): Promise<boolean> {
  const rows = await executor
    .delete(botGuilds)
    .where(and(eq(botGuilds.botId, botId), eq(botGuilds.guildId, guildId)))
    .returning({ guildId: botGuilds.guildId });
  return rows.length > 0;
}

export async function listGuildRowsOwnedBy(executor: DbExecutor, discordUserId: string): Promise<BotGuildRow[]> {
  return executor.select().from(botGuilds).where(eq(botGuilds.ownerId, discordUserId));
}

export async function anonymizeGuildOwner(executor: DbExecutor, discordUserId: string): Promise<void> {
  await executor.update(botGuilds).set({ ownerId: null }).where(eq(botGuilds.ownerId, discordUserId));
}

/** Every bot (of any workspace) present in these guilds, with the guild as that bot synced it: the guild staff's list. */
export async function listBotsInGuilds(executor: DbExecutor, guildIds: string[]): Promise<(BotGuildRow & { botName: string })[]> {
  if (guildIds.length === 0) return [];
  const rows = await executor
    .select({ guild: botGuilds, botName: bots.name })
    .from(botGuilds)
    .innerJoin(bots, eq(bots.id, botGuilds.botId))
    .where(inArray(botGuilds.guildId, guildIds))
    .orderBy(asc(botGuilds.name), asc(botGuilds.guildId), asc(bots.name), asc(bots.id));
  return rows.map((row) => ({ ...row.guild, botName: row.botName }));
}
