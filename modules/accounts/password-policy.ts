import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { AppError, randomToken } from '@weft/kernel';
import { AccountsErrors } from './accounts.errors';
import commonPasswords from './common-passwords.json' with { type: 'json' };

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@weft/contracts';

// The API's bounds (packages/contracts), so the sign-up form, the schema and this check agree.
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/**
 * Common passwords of at least 10 characters (shorter ones fail the length
 * rule already): the classic leaked-password top lists plus the patterns
 * people build from them (word + year, keyboard walks, digit runs, dates).
 */
const COMMON_PASSWORDS = new Set((commonPasswords as string[]).map((p) => p.toLowerCase()));

/** @node-rs/argon2's `Algorithm.Argon2id`; its const enum cannot be read under isolatedModules. */
const ARGON2ID = 2 as Algorithm;

export function assertPasswordAllowed(password: string, account: { username?: string; email?: string }): void {
  const lower = password.toLowerCase();
  const personal = [account.username?.toLowerCase(), account.email?.toLowerCase(), account.email?.split('@')[0]?.toLowerCase()];
  if (COMMON_PASSWORDS.has(lower) || personal.includes(lower)) {
    throw new AppError(AccountsErrors.ACCOUNTS_PASSWORD_TOO_COMMON, 'This password is too common or too easy to guess; choose another');
  }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against the stored hash, or against a throwaway hash when there is
 * none, so that an unknown login costs the same time as a wrong password.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword(randomToken(16));
  if (!storedHash) {
    await verify(await dummyHash, password);
    return false;
  }
  return verify(storedHash, password);
}
