import { AppError } from '@weft/kernel';
import type { Principal } from '@weft/http';
import { writeOutboxEvent } from '@weft/db';
import type { AccountsContext, RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { AccountsEvents, type UserDeactivatedPayload } from './accounts.events';
import { assertPasswordAllowed, hashPassword } from './password-policy';
import { notifySecurityEvent, recordSecurityEvent } from './security-events.service';
import { revokeApiTokensOf, revokeSessionsOf } from './sessions.repository';
import { assertUsernameAllowed } from './sign-up.service';
import type { SecondFactorProof, TwoFactorService } from './two-factor.service';
import { isUniqueViolation } from './unique-violation';
import { countReferralsOf, findUserById, findUserByUsername, updateUser, type UserRow } from './users.repository';
import { verifyCurrentPassword } from './verify-current-password';

export interface AccountView {
  id: string;
  email: string;
  isEmailVerified: boolean;
  username: string;
  locale: string;
  isAdmin: boolean;
  hasPassword: boolean;
  isTotpEnabled: boolean;
  isDiscordLinked: boolean;
  createdAt: Date;
}

export function createProfileService(context: AccountsContext, twoFactor: TwoFactorService) {
  const { clock, database } = context;

  async function requireActiveUser(userId: string): Promise<UserRow> {
    const user = await findUserById(database.db, userId);
    if (!user || user.deactivatedAt) throw new AppError(AccountsErrors.ACCOUNTS_USER_NOT_FOUND, 'No such user');
    return user;
  }

  async function showAccount(user: UserRow): Promise<AccountView> {
    return {
      id: user.id,
      email: user.email,
      isEmailVerified: user.emailVerifiedAt !== null,
      username: user.username,
      locale: user.locale,
      isAdmin: user.isAdmin,
      hasPassword: user.passwordHash !== null,
      isTotpEnabled: await twoFactor.isTotpEnabled(user.id),
      isDiscordLinked: user.discordId !== null,
      createdAt: user.createdAt,
    };
  }

  const audit = (userId: string, action: string, meta: RequestMeta) => ({
    actor: { type: 'user' as const, id: userId },
    action,
    target: { type: 'user', id: userId },
    ip: meta.ip,
  });

  return {
    showAccount,
    requireActiveUser,

    async findAccount(userId: string): Promise<AccountView> {
      return showAccount(await requireActiveUser(userId));
    },

    async updateProfile(userId: string, patch: { username?: string; locale?: string }): Promise<AccountView> {
      const user = await requireActiveUser(userId);
      if (patch.username !== undefined && patch.username.toLowerCase() !== user.usernameLower) {
        assertUsernameAllowed(patch.username);
        if (await findUserByUsername(database.db, patch.username)) {
          throw new AppError(AccountsErrors.ACCOUNTS_USERNAME_TAKEN, 'This username is taken', { field: 'username' });
        }
      }
      try {
        const updated = await updateUser(database.db, userId, {
          ...(patch.username !== undefined ? { username: patch.username, usernameLower: patch.username.toLowerCase() } : {}),
          ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        });
        return showAccount(updated!);
      } catch (error) {
        if (isUniqueViolation(error, 'users_username_lower_key')) {
          throw new AppError(AccountsErrors.ACCOUNTS_USERNAME_TAKEN, 'This username is taken', { field: 'username' });
        }
        throw error;
      }
    },

    /** Signs every other session out: whoever knew the old password loses access. */
    async changePassword(principal: Principal, input: { currentPassword?: string; newPassword: string }, meta: RequestMeta): Promise<void> {
      const user = await requireActiveUser(principal.userId);
      await verifyCurrentPassword(context, user, input.currentPassword);
      assertPasswordAllowed(input.newPassword, user);
      const passwordHash = await hashPassword(input.newPassword);
      await database.transaction(async (tx) => {
        await updateUser(tx, user.id, { passwordHash });
        await revokeSessionsOf(tx, user.id, clock.now(), principal.sessionId);
        await recordSecurityEvent(context, tx, user.id, 'password.changed', meta);
        await context.audit.recordAudit(audit(user.id, 'account.password.changed', meta), tx);
      });
      await notifySecurityEvent(context, user, 'password.changed', meta);
    },

    /**
     * Deactivates at once (sign-in, sessions and tokens stop), then hands the
     * subject to the privacy module's erasure. `accounts.user.deactivated` is
     * written with the change, so erasure can be retried from the outbox if
     * the direct call fails.
     */
    async deleteAccount(principal: Principal, proof: SecondFactorProof & { password?: string }, meta: RequestMeta): Promise<void> {
      const user = await requireActiveUser(principal.userId);
      await verifyCurrentPassword(context, user, proof.password);
      const now = clock.now();
      const isTotpEnabled = await twoFactor.isTotpEnabled(user.id);
      await database.transaction(async (tx) => {
        if (isTotpEnabled && !(await twoFactor.verifySecondFactor(user.id, proof, tx))) {
          throw new AppError(AccountsErrors.ACCOUNTS_TOTP_CODE_INVALID, 'Enter a valid code from your authenticator app or a recovery code');
        }
        await updateUser(tx, user.id, { deactivatedAt: now });
        await revokeSessionsOf(tx, user.id, now);
        await revokeApiTokensOf(tx, user.id, now);
        await recordSecurityEvent(context, tx, user.id, 'account.deleted', meta);
        await context.audit.recordAudit(audit(user.id, 'account.deleted', meta), tx);
        const payload: UserDeactivatedPayload = { userId: user.id };
        await writeOutboxEvent(tx, AccountsEvents.userDeactivated, payload);
      });
      // Mailed before erasure anonymizes the address.
      await notifySecurityEvent(context, user, 'account.deleted', meta);
      try {
        await context.eraseSubject({ userId: user.id });
      } catch (error) {
        context.logger.error({ err: error, userId: user.id }, 'erasure after account deletion failed; the outbox event lets it be retried');
      }
    },

    async showReferral(userId: string): Promise<{ code: string; link: string; referredCount: number }> {
      const user = await requireActiveUser(userId);
      return {
        code: user.referralCode,
        link: `${context.config.publicUrl}/signup?ref=${user.referralCode}`,
        referredCount: await countReferralsOf(database.db, user.id),
      };
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
