import { AppError, hashIpAddress, sha256Hex } from '@weft/kernel';
import { AccountsErrors } from './accounts.errors';
import type { AccountsContext } from './accounts.context';
import { clearThrottleKey, countLoginFailure, findLockedUntil, lockThrottleKey } from './security.repository';

/**
 * Failed sign-ins are counted per account and per network in the database,
 * so every server process sees the same counts. From the threshold on, each
 * further failure locks the key for twice as long as the last time (1 minute
 * doubling up to 1 hour). A lockout refuses even the right password.
 */
export interface ThrottleKey {
  key: string;
  threshold: number;
}

const ACCOUNT_THRESHOLD = 10;
/** Many people can share one network (NAT, offices), so a network gets more tries than an account. */
const NETWORK_THRESHOLD = 50;
const FIRST_LOCK_MS = 60_000;
const LONGEST_LOCK_MS = 3_600_000;
/** A counter left alone this long starts again from zero. */
const FORGET_AFTER_MS = 86_400_000;

/**
 * Unknown logins are counted under a hash of the login itself and lock the
 * same way, so a lockout tells nothing about whether the account exists.
 */
export function accountThrottleKey(userId: string | undefined, login: string): ThrottleKey {
  return { key: userId ? `account:${userId}` : `login:${sha256Hex(login.trim().toLowerCase())}`, threshold: ACCOUNT_THRESHOLD };
}

export function networkThrottleKey(context: AccountsContext, ip: string): ThrottleKey {
  return { key: `ip:${hashIpAddress(ip, context.keys.ipHashKey)}`, threshold: NETWORK_THRESHOLD };
}

export async function assertNotLocked(context: AccountsContext, keys: ThrottleKey[]): Promise<void> {
  const now = context.clock.now();
  const lockedUntil = await findLockedUntil(context.database.db, keys.map((k) => k.key), now);
  if (lockedUntil) throw lockedError(lockedUntil, now);
}

/** Counts a failure on every key; throws AUTH_LOCKED when this failure started a lockout. */
export async function recordLoginFailure(context: AccountsContext, keys: ThrottleKey[]): Promise<void> {
  const now = context.clock.now();
  const lockEnds = await context.database.transaction(async (tx) => {
    const ends: Date[] = [];
    for (const { key, threshold } of keys) {
      const failures = await countLoginFailure(tx, key, now, new Date(now.getTime() - FORGET_AFTER_MS));
      if (failures < threshold) continue;
      const lockMs = Math.min(FIRST_LOCK_MS * 2 ** Math.min(failures - threshold, 12), LONGEST_LOCK_MS);
      const until = new Date(now.getTime() + lockMs);
      await lockThrottleKey(tx, key, until);
      ends.push(until);
    }
    return ends;
  });
  if (lockEnds.length) throw lockedError(new Date(Math.max(...lockEnds.map((d) => d.getTime()))), now);
}

export async function clearLoginFailures(context: AccountsContext, key: ThrottleKey): Promise<void> {
  await clearThrottleKey(context.database.db, key.key);
}

function lockedError(until: Date, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError(AccountsErrors.AUTH_LOCKED, 'Too many failed attempts; try again later', { retryAfterSeconds });
}
