import { AppError } from '@weft/kernel';
import type { AccountsContext, RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { accountThrottleKey, assertNotLocked, clearLoginFailures, networkThrottleKey, recordLoginFailure } from './login-throttle';
import { verifyPassword } from './password-policy';
import { notifySecurityEvent, recordSecurityEvent } from './security-events.service';
import type { SessionsService, StartedSession } from './sessions.service';
import type { SecondFactorProof, TwoFactorService } from './two-factor.service';
import { findUserByLogin, touchUserLastActive, type UserRow } from './users.repository';

export interface SignInInput extends SecondFactorProof {
  /** Email address or username. */
  login: string;
  password: string;
}

/** One message for every wrong login, password or deactivated account: nothing to learn from it. */
const INVALID_CREDENTIALS = 'The login or the password is wrong';

export function createSignInService(context: AccountsContext, sessions: SessionsService, twoFactor: TwoFactorService) {
  const { database } = context;

  /** Opens a session after any successful sign-in (password or Discord) and reports new devices. */
  async function startSignedInSession(user: UserRow, meta: RequestMeta): Promise<StartedSession> {
    const session = await database.transaction(async (tx) => {
      const started = await sessions.startSession(tx, user.id, meta);
      if (started.isNewDevice) await recordSecurityEvent(context, tx, user.id, 'login.new-device', meta);
      await touchUserLastActive(tx, user.id, context.clock.now());
      return started;
    });
    if (session.isNewDevice) await notifySecurityEvent(context, user, 'login.new-device', meta);
    return session;
  }

  return {
    startSignedInSession,

    /**
     * Checks lockouts first (so a right password during a lockout is refused
     * too), then the password, then the second factor. Unknown logins run a
     * dummy argon2 verification and count failures like real accounts, so
     * neither the reply nor its timing tells whether an account exists.
     */
    async signIn(input: SignInInput, meta: RequestMeta): Promise<{ user: UserRow; session: StartedSession }> {
      const user = await findUserByLogin(database.db, input.login);
      const accountKey = accountThrottleKey(user?.id, input.login);
      const throttleKeys = [accountKey, networkThrottleKey(context, meta.ip)];
      await assertNotLocked(context, throttleKeys);

      const isPasswordRight = await verifyPassword(user?.passwordHash, input.password);
      if (!user || !isPasswordRight || user.deactivatedAt) {
        await recordLoginFailure(context, throttleKeys);
        throw new AppError(AccountsErrors.AUTH_INVALID_CREDENTIALS, INVALID_CREDENTIALS);
      }

      if (await twoFactor.isTotpEnabled(user.id)) {
        if (!input.totp && !input.recoveryCode) {
          throw new AppError(AccountsErrors.AUTH_SECOND_FACTOR_REQUIRED, 'Enter the code from your authenticator app or a recovery code');
        }
        // Second-factor guesses count like password guesses: six digits must not be brute-forced.
        if (!(await twoFactor.verifySecondFactor(user.id, input))) {
          await recordLoginFailure(context, throttleKeys);
          throw new AppError(AccountsErrors.AUTH_SECOND_FACTOR_INVALID, 'The code is wrong or was used already');
        }
      }

      await clearLoginFailures(context, accountKey);
      return { user, session: await startSignedInSession(user, meta) };
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
