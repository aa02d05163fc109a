import { AppError, sha256Hex } from '@weft/kernel';
import { sendMailQuietly, type AccountsContext, type RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { composeResetPasswordMail, composeVerifyEmailMail } from './accounts.mails';
import { issueEmailLink } from './email-tokens';
import { accountThrottleKey, clearLoginFailures } from './login-throttle';
import { assertPasswordAllowed, hashPassword } from './password-policy';
import { notifySecurityEvent, recordSecurityEvent } from './security-events.service';
import { revokeSessionsOf } from './sessions.repository';
import { consumeEmailToken, findLiveEmailTokenUser, findUserByEmail, findUserById, retireEmailTokens, updateUser } from './users.repository';

const INVALID_TOKEN = 'This link is invalid, expired or used already; ask for a new one';

export function createEmailFlowsService(context: AccountsContext) {
  const { clock, database } = context;

  return {
    /** Mails a fresh verification link; does nothing for an address that is verified already. */
    async requestEmailVerification(userId: string): Promise<void> {
      const user = await findUserById(database.db, userId);
      if (!user || user.emailVerifiedAt) return;
      const link = await issueEmailLink(context, database.db, user.id, 'verify-email');
      await sendMailQuietly(context, composeVerifyEmailMail(user.email, user.username, link), 'verify-email');
    },

    async verifyEmail(token: string): Promise<void> {
      const now = clock.now();
      await database.transaction(async (tx) => {
        const userId = await consumeEmailToken(tx, 'verify-email', sha256Hex(token), now);
        if (!userId) throw new AppError(AccountsErrors.AUTH_EMAIL_TOKEN_INVALID, INVALID_TOKEN);
        await updateUser(tx, userId, { emailVerifiedAt: now });
        await retireEmailTokens(tx, userId, 'verify-email', now);
      });
    },

    /**
     * Answers the same whether or not the address has an account. The mail is
     * sent without waiting for the SMTP server, whose latency would otherwise
     * tell the two cases apart.
     */
    async requestPasswordReset(email: string): Promise<void> {
      const user = await findUserByEmail(database.db, email);
      if (!user || user.deactivatedAt) return;
      const link = await issueEmailLink(context, database.db, user.id, 'reset-password');
      void sendMailQuietly(context, composeResetPasswordMail(user.email, user.username, link), 'reset-password');
    },

    /** Sets the new password, signs every session out and lifts a sign-in lockout. */
    async resetPassword(token: string, newPassword: string, meta: RequestMeta): Promise<void> {
      const now = clock.now();
      const tokenHash = sha256Hex(token);
      // Checked (not spent) before the policy and the slow hash: a bad link answers fast, and a
      // refused password leaves the link usable for a second try.
      const userId = await findLiveEmailTokenUser(database.db, 'reset-password', tokenHash, now);
      const user = userId ? await findUserById(database.db, userId) : undefined;
      if (!user) throw new AppError(AccountsErrors.AUTH_EMAIL_TOKEN_INVALID, INVALID_TOKEN);
      assertPasswordAllowed(newPassword, user);
      const passwordHash = await hashPassword(newPassword);
      await database.transaction(async (tx) => {
        // Spending the token in one statement is what makes it single-use under concurrency.
        const spentBy = await consumeEmailToken(tx, 'reset-password', tokenHash, clock.now());
        if (spentBy !== user.id) throw new AppError(AccountsErrors.AUTH_EMAIL_TOKEN_INVALID, INVALID_TOKEN);
        // Receiving the mail proves the address too.
        await updateUser(tx, user.id, { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now });
        await retireEmailTokens(tx, user.id, 'reset-password', now);
        await revokeSessionsOf(tx, user.id, now);
        await recordSecurityEvent(context, tx, user.id, 'password.reset', meta);
        await context.audit.recordAudit(
          { actor: { type: 'user', id: user.id }, action: 'account.password.reset', target: { type: 'user', id: user.id }, ip: meta.ip },
          tx,
        );
      });
      await clearLoginFailures(context, accountThrottleKey(user.id, user.email));
      await notifySecurityEvent(context, user, 'password.reset', meta);
    },
  };
}

export type EmailFlowsService = ReturnType<typeof createEmailFlowsService>;
