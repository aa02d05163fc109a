import { AppError, sha256Hex } from '@weft/kernel';
import type { Principal } from '@weft/http';
import { sendMailQuietly, type AccountsContext, type RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { composeConfirmEmailChangeMail } from './accounts.mails';
import { issueEmailLink } from './email-tokens';
import { notifySecurityEvent, recordSecurityEvent } from './security-events.service';
import { isUniqueViolation } from './unique-violation';
import { deleteManagedGuildsOf } from './discord-guilds.repository';
import { consumeEmailChangeToken, findUserByEmail, findUserById, retireEmailTokens, updateUser, type UserRow } from './users.repository';
import { verifyCurrentPassword } from './verify-current-password';

const INVALID_TOKEN = 'This link is invalid, expired or used already; ask for a new one';

/**
 * Changing how a person is reached and signs in: the email address (only
 * once the new address proves it receives mail, with the old address told)
 * and unlinking Discord (only when a password remains to sign in with).
 */
export function createAccountIdentityService(context: AccountsContext, requireActiveUser: (userId: string) => Promise<UserRow>) {
  const { clock, database } = context;
  const audit = (userId: string, action: string, meta: RequestMeta, details: Record<string, unknown> = {}) => ({
    actor: { type: 'user' as const, id: userId },
    action,
    target: { type: 'user', id: userId },
    ip: meta.ip,
    details,
  });

  return {
    /**
     * Mails a confirmation link to the new address and a notice to the old
     * one. An address already in use gets no mail, and the answer is the
     * same either way: the endpoint does not tell which addresses have accounts.
     */
    async requestEmailChange(principal: Principal, input: { email: string; currentPassword?: string }, meta: RequestMeta): Promise<void> {
      const user = await requireActiveUser(principal.userId);
      await verifyCurrentPassword(context, user, input.currentPassword);
      const email = input.email.toLowerCase();
      if (email === user.email) throw new AppError(AccountsErrors.ACCOUNTS_EMAIL_UNCHANGED, 'This is already the address of your account', { field: 'email' });
      await recordSecurityEvent(context, database.db, user.id, 'email.change-requested', meta);
      await notifySecurityEvent(context, user, 'email.change-requested', meta);
      if (await findUserByEmail(database.db, email)) return;
      const link = await issueEmailLink(context, database.db, user.id, 'change-email', email);
      void sendMailQuietly(context, composeConfirmEmailChangeMail(email, user.username, link), 'change-email');
    },

    /** Spends the link and switches the address; the old address hears about it. */
    async confirmEmailChange(token: string, meta: RequestMeta): Promise<void> {
      const now = clock.now();
      let previous: UserRow | undefined;
      try {
        await database.transaction(async (tx) => {
          const change = await consumeEmailChangeToken(tx, sha256Hex(token), now);
          previous = change ? await findUserById(tx, change.userId) : undefined;
          if (!change || !previous || previous.deactivatedAt) throw new AppError(AccountsErrors.AUTH_EMAIL_TOKEN_INVALID, INVALID_TOKEN);
          await updateUser(tx, change.userId, { email: change.newEmail, emailVerifiedAt: now });
          await retireEmailTokens(tx, change.userId, 'change-email', now);
          await recordSecurityEvent(context, tx, change.userId, 'email.changed', meta);
          await context.audit.recordAudit(audit(change.userId, 'account.email.changed', meta), tx);
        });
      } catch (error) {
        if (isUniqueViolation(error, 'users_email_key')) {
          throw new AppError(AccountsErrors.ACCOUNTS_EMAIL_TAKEN, 'Another account took this address meanwhile', { field: 'email' });
        }
        throw error;
      }
      await notifySecurityEvent(context, previous!, 'email.changed', meta);
    },

    /** Without a password the account could no longer sign in: set one first. */
    async unlinkDiscord(principal: Principal, input: { currentPassword?: string }, meta: RequestMeta): Promise<void> {
      const user = await requireActiveUser(principal.userId);
      if (!user.discordId) throw new AppError(AccountsErrors.ACCOUNTS_DISCORD_NOT_LINKED, 'No Discord account is linked');
      if (!user.passwordHash) {
        throw new AppError(AccountsErrors.ACCOUNTS_PASSWORD_REQUIRED, 'Set a password first: without Discord it is how you will sign in');
      }
      await verifyCurrentPassword(context, user, input.currentPassword);
      await database.transaction(async (tx) => {
        await updateUser(tx, user.id, { discordId: null });
        // The servers they manage were known through that Discord account: forgotten with it.
        await deleteManagedGuildsOf(tx, user.id);
        await recordSecurityEvent(context, tx, user.id, 'discord.unlinked', meta);
        await context.audit.recordAudit(audit(user.id, 'account.discord.unlinked', meta), tx);
      });
      await notifySecurityEvent(context, user, 'discord.unlinked', meta);
    },
  };
}

export type AccountIdentityService = ReturnType<typeof createAccountIdentityService>;
