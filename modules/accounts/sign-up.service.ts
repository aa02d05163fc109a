import { z } from 'zod';
import { describeZodIssues } from '@weft/http';
import { AppError, CoreErrors, newId } from '@weft/kernel';
import { writeOutboxEvent, type DbExecutor, type Tx } from '@weft/db';
import { sendMailQuietly, type AccountsContext, type RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { AccountsEvents, type SignUpMethod, type UserSignedUpPayload } from './accounts.events';
import { composeVerifyEmailMail } from './accounts.mails';
// The API's own field shapes, checked again here for callers outside a route (weft admin create-user).
import { Email, Password, Username } from '@weft/contracts';
import { issueEmailLink } from './email-tokens';
import { assertPasswordAllowed, hashPassword } from './password-policy';
import { generateReferralCode } from './referral-code';
import type { SessionsService, StartedSession } from './sessions.service';
import { isUniqueViolation } from './unique-violation';
import { isUsernameReserved } from './username-policy';
import { findUserByEmail, findUserByReferralCode, findUserByUsername, insertOAuthAccount, insertUser, type UserRow } from './users.repository';

const OperatorAccount = z.object({ email: Email, username: Username, password: Password, isAdmin: z.boolean().optional() });

export interface NewAccount {
  email: string;
  username: string;
  passwordHash: string | null;
  method: SignUpMethod;
  isAdmin?: boolean;
  isEmailVerified?: boolean;
  discordId?: string | null;
  referralCode?: string | null;
}

export function assertUsernameAllowed(username: string): void {
  if (isUsernameReserved(username)) {
    throw new AppError(AccountsErrors.ACCOUNTS_USERNAME_RESERVED, 'This username is reserved; choose another', { field: 'username' });
  }
}

/** Friendly 409s before any write; the unique indexes still decide races (see `insertAccount`). */
export async function assertAccountAvailable(executor: DbExecutor, email: string, username: string): Promise<void> {
  if (await findUserByEmail(executor, email)) {
    throw new AppError(AccountsErrors.ACCOUNTS_EMAIL_TAKEN, 'An account with this email address exists already', { field: 'email' });
  }
  if (await findUserByUsername(executor, username)) {
    throw new AppError(AccountsErrors.ACCOUNTS_USERNAME_TAKEN, 'This username is taken', { field: 'username' });
  }
}

/**
 * Inserts the user and everything a new account comes with, inside the
 * caller's transaction: the Discord link, the composition root's
 * `onUserCreated` (personal workspace) and the `accounts.user.signed-up`
 * event. Any failure rolls all of it back.
 */
export async function insertAccount(context: AccountsContext, tx: Tx, account: NewAccount): Promise<UserRow> {
  const now = context.clock.now();
  const referrer = account.referralCode ? await findUserByReferralCode(tx, account.referralCode) : undefined;
  let user: UserRow;
  try {
    user = await insertUser(tx, {
      id: newId(),
      email: account.email.toLowerCase(),
      emailVerifiedAt: account.isEmailVerified ? now : null,
      username: account.username,
      usernameLower: account.username.toLowerCase(),
      passwordHash: account.passwordHash,
      isAdmin: account.isAdmin ?? false,
      discordId: account.discordId ?? null,
      referralCode: generateReferralCode(),
      referredBy: referrer && !referrer.deactivatedAt ? referrer.id : null,
      createdAt: now,
      lastActiveAt: now,
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) {
      throw new AppError(AccountsErrors.ACCOUNTS_EMAIL_TAKEN, 'An account with this email address exists already', { field: 'email' });
    }
    if (isUniqueViolation(error, 'users_username_lower_key')) {
      throw new AppError(AccountsErrors.ACCOUNTS_USERNAME_TAKEN, 'This username is taken', { field: 'username' });
    }
    throw error;
  }
  if (account.discordId) {
    await insertOAuthAccount(tx, { provider: 'discord', providerUserId: account.discordId, userId: user.id, createdAt: now });
  }
  await context.onUserCreated(tx, { userId: user.id, username: user.username });
  const payload: UserSignedUpPayload = { userId: user.id, method: account.method, referredBy: user.referredBy };
  await writeOutboxEvent(tx, AccountsEvents.userSignedUp, payload);
  return user;
}

export interface SignUpInput {
  email: string;
  username: string;
  password: string;
  ref?: string;
}

export function createSignUpService(context: AccountsContext, sessions: SessionsService) {
  const { database } = context;
  return {
    /** Email + password sign-up: the account, its first session and a verification mail. */
    async signUp(input: SignUpInput, meta: RequestMeta): Promise<{ user: UserRow; session: StartedSession }> {
      assertUsernameAllowed(input.username);
      assertPasswordAllowed(input.password, input);
      await assertAccountAvailable(database.db, input.email, input.username);
      const passwordHash = await hashPassword(input.password);
      const { user, session, link } = await database.transaction(async (tx) => {
        const created = await insertAccount(context, tx, {
          email: input.email,
          username: input.username,
          passwordHash,
          method: 'password',
          referralCode: input.ref ?? null,
        });
        const verifyLink = await issueEmailLink(context, tx, created.id, 'verify-email');
        return { user: created, session: await sessions.startSession(tx, created.id, meta), link: verifyLink };
      });
      await sendMailQuietly(context, composeVerifyEmailMail(user.email, user.username, link), 'verify-email');
      return { user, session };
    },

    /** An account made by an operator (CLI): trusted email, optional admin rights, audited. */
    async createUser(raw: { email: string; username: string; password: string; isAdmin?: boolean }): Promise<UserRow> {
      // The CLI has no route schema in front of it: the same field rules apply here.
      const parsed = OperatorAccount.safeParse(raw);
      if (!parsed.success) throw new AppError(CoreErrors.VALIDATION_FAILED, 'Invalid account', describeZodIssues(parsed.error));
      const input = parsed.data;
      assertUsernameAllowed(input.username);
      assertPasswordAllowed(input.password, input);
      await assertAccountAvailable(database.db, input.email, input.username);
      const passwordHash = await hashPassword(input.password);
      return database.transaction(async (tx) => {
        const user = await insertAccount(context, tx, {
          email: input.email,
          username: input.username,
          passwordHash,
          method: 'admin',
          isAdmin: input.isAdmin ?? false,
          isEmailVerified: true,
        });
        await context.audit.recordAudit(
          { actor: { type: 'system' }, action: 'user.created', target: { type: 'user', id: user.id }, details: { isAdmin: user.isAdmin } },
          tx,
        );
        return user;
      });
    },
  };
}

export type SignUpService = ReturnType<typeof createSignUpService>;
