import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { queryRows, type DbExecutor } from '@weft/db';
import { loginThrottles, recoveryCodes, securityEvents, totpFactors } from './security.tables';

export type TotpFactorRow = typeof totpFactors.$inferSelect;
export type SecurityEventRow = typeof securityEvents.$inferSelect;

export async function findTotpFactor(executor: DbExecutor, userId: string): Promise<TotpFactorRow | undefined> {
  const [row] = await executor.select().from(totpFactors).where(eq(totpFactors.userId, userId));
  return row;
}

/** Starts (or restarts) enrolment with a fresh secret; never called while a factor is confirmed. */
export async function upsertPendingTotpFactor(executor: DbExecutor, row: typeof totpFactors.$inferInsert): Promise<void> {
  await executor
    .insert(totpFactors)
    .values(row)
    .onConflictDoUpdate({
      target: totpFactors.userId,
      set: { secretCiphertext: row.secretCiphertext, keyVersion: row.keyVersion, createdAt: row.createdAt, confirmedAt: null, lastUsedStep: null },
      where: isNull(totpFactors.confirmedAt),
    });
}

/**
 * Records the time step of an accepted code; false when that step (or a
 * later one) was already used, which makes every code single-use even across
 * processes.
 */
export async function claimTotpStep(executor: DbExecutor, userId: string, step: number, confirmAt?: Date): Promise<boolean> {
  const rows = await executor
    .update(totpFactors)
    .set(confirmAt ? { lastUsedStep: step, confirmedAt: confirmAt } : { lastUsedStep: step })
    .where(and(eq(totpFactors.userId, userId), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step))))
    .returning({ userId: totpFactors.userId });
  return rows.length > 0;
}

export async function deleteTotpFactor(executor: DbExecutor, userId: string): Promise<void> {
  await executor.delete(totpFactors).where(eq(totpFactors.userId, userId));
}

export async function replaceRecoveryCodes(executor: DbExecutor, userId: string, codeHashes: string[], now: Date): Promise<void> {
  await executor.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await executor.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: now })));
}

/** Uses a recovery code in one statement, so a code works exactly once. */
export async function useRecoveryCode(executor: DbExecutor, userId: string, codeHash: string, now: Date): Promise<boolean> {
  const rows = await executor
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ userId: recoveryCodes.userId });
  return rows.length > 0;
}

export async function deleteRecoveryCodes(executor: DbExecutor, userId: string): Promise<void> {
  await executor.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

/** The latest end of a running lockout among `keys`, if any. */
export async function findLockedUntil(executor: DbExecutor, keys: string[], now: Date): Promise<Date | null> {
  const rows = await executor
    .select({ lockedUntil: loginThrottles.lockedUntil })
    .from(loginThrottles)
    .where(and(inArray(loginThrottles.key, keys), gt(loginThrottles.lockedUntil, now)));
  const ends = rows.map((row) => row.lockedUntil!.getTime());
  return ends.length ? new Date(Math.max(...ends)) : null;
}

/**
 * Counts one failure atomically (INSERT … ON CONFLICT), so concurrent
 * attempts on several server processes all count. A counter idle since
 * `resetBefore` starts again from one.
 */
export async function countLoginFailure(executor: DbExecutor, key: string, now: Date, resetBefore: Date): Promise<number> {
  const rows = await queryRows<{ failures: number }>(
    executor,
    sql`INSERT INTO login_throttles (key, failures, updated_at) VALUES (${key}, 1, ${now.toISOString()})
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN login_throttles.updated_at < ${resetBefore.toISOString()} THEN 1 ELSE login_throttles.failures + 1 END,
          updated_at = EXCLUDED.updated_at
        RETURNING failures`,
  );
  return Number(rows[0]!.failures);
}

export async function lockThrottleKey(executor: DbExecutor, key: string, until: Date): Promise<void> {
  await executor.update(loginThrottles).set({ lockedUntil: until }).where(eq(loginThrottles.key, key));
}

export async function clearThrottleKey(executor: DbExecutor, key: string): Promise<void> {
  await executor.delete(loginThrottles).where(eq(loginThrottles.key, key));
}

export async function deleteIdleThrottles(executor: DbExecutor, idleSince: Date, now: Date): Promise<number> {
  const rows = await executor
    .delete(loginThrottles)
    .where(and(lt(loginThrottles.updatedAt, idleSince), or(isNull(loginThrottles.lockedUntil), lt(loginThrottles.lockedUntil, now))))
    .returning({ key: loginThrottles.key });
  return rows.length;
}

export async function insertSecurityEvent(executor: DbExecutor, row: typeof securityEvents.$inferInsert): Promise<void> {
  await executor.insert(securityEvents).values(row);
}

export async function listSecurityEventsOf(executor: DbExecutor, userId: string, limit = 100): Promise<SecurityEventRow[]> {
  return executor
    .select()
    .from(securityEvents)
    .where(eq(securityEvents.userId, userId))
    .orderBy(desc(securityEvents.createdAt))
    .limit(limit);
}

export async function deleteSecurityEventsBefore(executor: DbExecutor, cutoff: Date): Promise<number> {
  const rows = await executor.delete(securityEvents).where(lt(securityEvents.createdAt, cutoff)).returning({ id: securityEvents.id });
  return rows.length;
}
