import { eq } from 'drizzle-orm';
import type { DbExecutor, Tx } from '@weft/db';
import { emailTokens, oauthAccounts, users } from './accounts.tables';
import { loginThrottles, recoveryCodes, securityEvents, totpFactors } from './security.tables';
import { apiTokens, sessions } from './sessions.tables';

/**
 * Everything held about one user, per table. Hashes, ciphertexts and secrets
 * are left out: they are credentials, not information about the person, and
 * an export must never be usable to sign in.
 */
export async function listSubjectRows(executor: DbExecutor, userId: string): Promise<Record<string, unknown[]>> {
  const accounts = await executor.select().from(users).where(eq(users.id, userId));
  const sessionRows = await executor.select().from(sessions).where(eq(sessions.userId, userId));
  const tokenRows = await executor.select().from(apiTokens).where(eq(apiTokens.userId, userId));
  const factors = await executor.select().from(totpFactors).where(eq(totpFactors.userId, userId));
  const codes = await executor.select().from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const mailTokens = await executor.select().from(emailTokens).where(eq(emailTokens.userId, userId));
  const identities = await executor.select().from(oauthAccounts).where(eq(oauthAccounts.userId, userId));
  const events = await executor.select().from(securityEvents).where(eq(securityEvents.userId, userId));
  return {
    users: accounts.map(({ passwordHash, ...row }) => ({ ...row, hasPassword: passwordHash !== null })),
    sessions: sessionRows.map(({ tokenHash: _hash, ...row }) => row),
    api_tokens: tokenRows.map(({ tokenHash: _hash, ...row }) => row),
    totp_factors: factors.map(({ secretCiphertext: _secret, lastUsedStep: _step, ...row }) => row),
    recovery_codes: codes.map(({ codeHash: _hash, ...row }) => row),
    email_tokens: mailTokens.map(({ tokenHash: _hash, ...row }) => row),
    oauth_accounts: identities,
    security_events: events,
  };
}

/**
 * Erasure per the inventory: credentials, sessions, tokens, links and events
 * are deleted; the account row stays, anonymized, so that references from
 * other modules (and records kept by law) still resolve to "an erased user".
 */
export async function eraseSubjectRows(tx: Tx, userId: string, replacement: { email: string; username: string; referralCode: string }, now: Date): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.delete(apiTokens).where(eq(apiTokens.userId, userId));
  await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.delete(emailTokens).where(eq(emailTokens.userId, userId));
  await tx.delete(oauthAccounts).where(eq(oauthAccounts.userId, userId));
  await tx.delete(securityEvents).where(eq(securityEvents.userId, userId));
  await tx.delete(loginThrottles).where(eq(loginThrottles.key, `account:${userId}`));
  const [current] = await tx.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, userId));
  if (!current) return;
  await tx
    .update(users)
    .set({
      email: replacement.email,
      emailVerifiedAt: null,
      username: replacement.username,
      usernameLower: replacement.username.toLowerCase(),
      passwordHash: null,
      isAdmin: false,
      discordId: null,
      locale: 'en',
      referralCode: replacement.referralCode,
      referredBy: null,
      lastActiveAt: null,
      deactivatedAt: current.deactivatedAt ?? now,
      deletedAt: now,
    })
    .where(eq(users.id, userId));
}
