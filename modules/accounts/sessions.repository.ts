import { and, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { users } from './accounts.tables';
import { apiTokens, sessions } from './sessions.tables';
import type { UserRow } from './users.repository';

export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertSession(executor: DbExecutor, row: typeof sessions.$inferInsert): Promise<void> {
  await executor.insert(sessions).values(row);
}

/** A live session (not revoked, not expired) with its user. */
export async function findLiveSessionByTokenHash(
  executor: DbExecutor,
  tokenHash: string,
  now: Date,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await executor
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  return row;
}

export async function slideSession(executor: DbExecutor, id: string, now: Date, expiresAt: Date): Promise<void> {
  await executor.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
}

export async function listLiveSessionsOf(executor: DbExecutor, userId: string, now: Date): Promise<SessionRow[]> {
  return executor
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}

/** Revokes one of the user's own sessions; false when it is not theirs or already over. */
export async function revokeSessionOf(executor: DbExecutor, userId: string, id: string, now: Date): Promise<boolean> {
  const rows = await executor
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function revokeSessionsOf(executor: DbExecutor, userId: string, now: Date, exceptId?: string): Promise<number> {
  const rows = await executor
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), exceptId ? ne(sessions.id, exceptId) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
}

/** Whether the user signed in before, and whether from this network and browser. */
export async function findDeviceHistory(
  executor: DbExecutor,
  userId: string,
  ipHash: string | null,
  userAgent: string | null,
): Promise<{ hasAnySession: boolean; hasSeenDevice: boolean }> {
  const [row] = await executor
    .select({
      total: sql<number>`count(*)::int`,
      same: sql<number>`count(*) FILTER (WHERE ${sessions.ipHash} IS NOT DISTINCT FROM ${ipHash} AND ${sessions.userAgent} IS NOT DISTINCT FROM ${userAgent})::int`,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId));
  return { hasAnySession: (row?.total ?? 0) > 0, hasSeenDevice: (row?.same ?? 0) > 0 };
}

/** Sessions are kept 30 days after they end so the "new device" check remembers recent devices. */
export async function deleteSessionsEndedBefore(executor: DbExecutor, cutoff: Date): Promise<number> {
  const rows = await executor
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, cutoff), lt(sessions.revokedAt, cutoff)))
    .returning({ id: sessions.id });
  return rows.length;
}

export async function insertApiToken(executor: DbExecutor, row: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [inserted] = await executor.insert(apiTokens).values(row).returning();
  return inserted!;
}

/** A live token (not revoked, not expired) with its user. */
export async function findLiveApiTokenByHash(
  executor: DbExecutor,
  tokenHash: string,
  now: Date,
): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const [row] = await executor
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    );
  return row;
}

/** At most one write a minute per token: busy scripts must not turn every call into an UPDATE. */
export async function touchApiToken(executor: DbExecutor, id: string, now: Date): Promise<void> {
  const minuteAgo = new Date(now.getTime() - 60_000);
  await executor
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, minuteAgo))));
}

export async function listApiTokensOf(executor: DbExecutor, userId: string): Promise<ApiTokenRow[]> {
  return executor
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiTokenOf(executor: DbExecutor, userId: string, id: string, now: Date): Promise<boolean> {
  const rows = await executor
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export async function revokeApiTokensOf(executor: DbExecutor, userId: string, now: Date): Promise<void> {
  await executor.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}

export async function deleteApiTokensEndedBefore(executor: DbExecutor, cutoff: Date): Promise<number> {
  const rows = await executor
    .delete(apiTokens)
    .where(or(lt(apiTokens.expiresAt, cutoff), lt(apiTokens.revokedAt, cutoff)))
    .returning({ id: apiTokens.id });
  return rows.length;
}
