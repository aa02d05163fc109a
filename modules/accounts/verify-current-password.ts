import { AppError } from '@weft/kernel';
import type { AccountsContext } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { accountThrottleKey, assertNotLocked, recordLoginFailure } from './login-throttle';
import { verifyPassword } from './password-policy';
import type { UserRow } from './users.repository';

/**
 * Re-checks the password before a sensitive change (password, 2FA, deletion).
 * Wrong guesses count towards the same lockout as sign-in, so a stolen
 * session cannot be used to guess the password. Accounts without a password
 * (Discord sign-in only) have none to check.
 */
export async function verifyCurrentPassword(context: AccountsContext, user: UserRow, password: string | undefined): Promise<void> {
  if (!user.passwordHash) return;
  const keys = [accountThrottleKey(user.id, user.email)];
  await assertNotLocked(context, keys);
  if (password && (await verifyPassword(user.passwordHash, password))) return;
  await recordLoginFailure(context, keys);
  throw new AppError(AccountsErrors.ACCOUNTS_PASSWORD_INCORRECT, 'The current password is wrong');
}
