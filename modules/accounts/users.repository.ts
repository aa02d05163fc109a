import { and, count, eq, gt, inArray, isNull, lt, or } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { emailTokens, oauthAccounts, users } from './accounts.tables';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type EmailTokenPurpose = (typeof emailTokens.$inferSelect)['purpose'];

export async function insertUser(executor: DbExecutor, row: NewUserRow): Promise<UserRow> {
  const [inserted] = await executor.insert(users).values(row).returning();
  return inserted!;
}

export async function findUserById(executor: DbExecutor, id: string): Promise<UserRow | undefined> {
  const [row] = await executor.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUsersByIds(executor: DbExecutor, ids: string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return executor.select().from(users).where(inArray(users.id, ids));
}

/** Instance administrators whose accounts are not erased. */
export async function listAdministrators(executor: DbExecutor): Promise<UserRow[]> {
  return executor.select().from(users).where(and(eq(users.isAdmin, true), isNull(users.deletedAt)));
}

export async function findUserByEmail(executor: DbExecutor, email: string): Promise<UserRow | undefined> {
  const [row] = await executor.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

export async function findUserByUsername(executor: DbExecutor, username: string): Promise<UserRow | undefined> {
  const [row] = await executor.select().from(users).where(eq(users.usernameLower, username.toLowerCase()));
  return row;
}

/** A login is an email address when it contains "@" (usernames cannot). */
export function findUserByLogin(executor: DbExecutor, login: string): Promise<UserRow | undefined> {
  const normalized = login.trim();
  return normalized.includes('@') ? findUserByEmail(executor, normalized) : findUserByUsername(executor, normalized);
}

export async function findUserByReferralCode(executor: DbExecutor, code: string): Promise<UserRow | undefined> {
  const [row] = await executor.select().from(users).where(eq(users.referralCode, code.toUpperCase()));
  return row;
}

export async function updateUser(executor: DbExecutor, id: string, patch: Partial<NewUserRow>): Promise<UserRow | undefined> {
  const [row] = await executor.update(users).set(patch).where(eq(users.id, id)).returning();
  return row;
}

export async function countReferralsOf(executor: DbExecutor, userId: string): Promise<number> {
  const [row] = await executor.select({ value: count() }).from(users).where(eq(users.referredBy, userId));
  return row?.value ?? 0;
}

/** At most one write an hour per user: the value only feeds the inactive-account notice. */
export async function touchUserLastActive(executor: DbExecutor, id: string, now: Date): Promise<void> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  await executor
    .update(users)
    .set({ lastActiveAt: now })
    .where(and(eq(users.id, id), or(isNull(users.lastActiveAt), lt(users.lastActiveAt, hourAgo))));
}

export async function insertOAuthAccount(executor: DbExecutor, row: typeof oauthAccounts.$inferInsert): Promise<void> {
  await executor.insert(oauthAccounts).values(row);
}

export async function findOAuthAccount(executor: DbExecutor, provider: string, providerUserId: string) {
  const [row] = await executor
    .select()
    .from(oauthAccounts)
    .where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.providerUserId, providerUserId)));
  return row;
}

export async function deleteOAuthAccountsOf(executor: DbExecutor, provider: string, userId: string): Promise<void> {
  await executor.delete(oauthAccounts).where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.userId, userId)));
}

export async function insertEmailToken(executor: DbExecutor, row: typeof emailTokens.$inferInsert): Promise<void> {
  await executor.insert(emailTokens).values(row);
}

/**
 * Marks a live token used and returns its user, in one statement: two
 * concurrent uses of the same token cannot both succeed.
 */
export async function consumeEmailToken(
  executor: DbExecutor,
  purpose: EmailTokenPurpose,
  tokenHash: string,
  now: Date,
): Promise<string | null> {
  const [row] = await executor
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning({ userId: emailTokens.userId });
  return row?.userId ?? null;
}

export async function findLiveEmailTokenUser(
  executor: DbExecutor,
  purpose: EmailTokenPurpose,
  tokenHash: string,
  now: Date,
): Promise<string | null> {
  const [row] = await executor
    .select({ userId: emailTokens.userId })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)));
  return row?.userId ?? null;
}

/** Spends a live email-change token in one statement and returns its user and the address it confirms. */
export async function consumeEmailChangeToken(executor: DbExecutor, tokenHash: string, now: Date): Promise<{ userId: string; newEmail: string } | null> {
  const [row] = await executor
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, 'change-email'), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .returning({ userId: emailTokens.userId, newEmail: emailTokens.newEmail });
  return row && row.newEmail ? { userId: row.userId, newEmail: row.newEmail } : null;
}

/** Retires every other live token of that purpose, e.g. older reset links once one was used. */
export async function retireEmailTokens(executor: DbExecutor, userId: string, purpose: EmailTokenPurpose, now: Date): Promise<void> {
  await executor
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}

export async function deleteEmailTokensExpiredBefore(executor: DbExecutor, cutoff: Date): Promise<number> {
  const rows = await executor
    .delete(emailTokens)
    .where(lt(emailTokens.expiresAt, cutoff))
    .returning({ id: emailTokens.id });
  return rows.length;
}
