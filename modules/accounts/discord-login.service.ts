import { randomBytes, randomInt } from 'node:crypto';
import { z } from 'zod';
import { AppError, constantTimeEqual, randomToken } from '@weft/kernel';
import type { AccountsContext, RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { replaceManagedGuilds } from './discord-guilds.repository';
import type { DiscordIdentity, DiscordProvider } from './discord.provider';
import { notifySecurityEvent, recordSecurityEvent } from './security-events.service';
import type { StartedSession } from './sessions.service';
import { insertAccount } from './sign-up.service';
import type { SignInService } from './sign-in.service';
import { toUsernameCandidate } from './username-policy';
import {
  deleteOAuthAccountsOf,
  findOAuthAccount,
  findUserByEmail,
  findUserById,
  findUserByUsername,
  insertOAuthAccount,
  updateUser,
  type UserRow,
} from './users.repository';

/** Cookie that binds the `state` sent to Discord to this browser (RFC 6749 §10.12). */
export const OAUTH_STATE_COOKIE = 'weft_oauth_state';
const OAUTH_STATE_LIFETIME_MS = 10 * 60_000;

const OAuthState = z.object({
  state: z.string(),
  /** Set when a signed-in user asked to link Discord to their account. */
  linkUserId: z.string().nullable(),
  ref: z.string().nullable(),
  expiresAt: z.number(),
});
type OAuthState = z.infer<typeof OAuthState>;

export type DiscordOutcome = 'signed-in' | 'signed-up' | 'linked';

export interface DiscordCallback {
  code?: string;
  state?: string;
  error?: string;
}

export function createDiscordLoginService(context: AccountsContext, discord: DiscordProvider, signIn: SignInService) {
  const { clock, database, keys } = context;
  const redirectUri = `${context.config.publicUrl}/api/v1/auth/discord/callback`;

  function requireEnabled(): void {
    if (!discord.isEnabled) throw new AppError(AccountsErrors.AUTH_DISCORD_DISABLED, 'Sign-in with Discord is not configured on this instance');
  }

  function readState(cookie: string | undefined, returned: string | undefined): OAuthState {
    const payload = cookie ? keys.readSignedOAuthState(cookie) : null;
    const parsed = payload ? OAuthState.safeParse(JSON.parse(payload)) : null;
    const isValid =
      parsed?.success && returned !== undefined && parsed.data.expiresAt > clock.now().getTime() && constantTimeEqual(parsed.data.state, returned);
    if (!isValid) throw new AppError(AccountsErrors.AUTH_OAUTH_STATE_INVALID, 'The sign-in attempt expired or did not start here; start again');
    return parsed.data;
  }

  /** A free username from the Discord name: the name itself, else with a number appended. */
  async function pickUsername(identity: DiscordIdentity): Promise<string> {
    const base = toUsernameCandidate(identity.username);
    if (!(await findUserByUsername(database.db, base))) return base;
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = `${base.slice(0, 27)}-${randomInt(1000, 10_000)}`;
      if (!(await findUserByUsername(database.db, candidate))) return candidate;
    }
    // A popular name: a longer random suffix is free for all practical purposes (the unique index decides).
    return `${base.slice(0, 19)}-${randomBytes(6).toString('hex')}`;
  }

  async function linkDiscord(userId: string, identity: DiscordIdentity, meta: RequestMeta): Promise<UserRow> {
    const user = await findUserById(database.db, userId);
    if (!user || user.deactivatedAt) throw new AppError(AccountsErrors.AUTH_OAUTH_STATE_INVALID, 'Sign in again to link Discord');
    const existing = await findOAuthAccount(database.db, 'discord', identity.id);
    if (existing && existing.userId !== userId) {
      throw new AppError(AccountsErrors.ACCOUNTS_DISCORD_ALREADY_LINKED, 'This Discord account is linked to another Weft account');
    }
    if (existing) return user;
    await database.transaction(async (tx) => {
      // Linking another Discord account replaces the previous link.
      await deleteOAuthAccountsOf(tx, 'discord', userId);
      await insertOAuthAccount(tx, { provider: 'discord', providerUserId: identity.id, userId, createdAt: clock.now() });
      await updateUser(tx, userId, { discordId: identity.id });
      await recordSecurityEvent(context, tx, userId, 'discord.linked', meta);
      await context.audit.recordAudit(
        { actor: { type: 'user', id: userId }, action: 'account.discord.linked', target: { type: 'user', id: userId }, ip: meta.ip },
        tx,
      );
    });
    await notifySecurityEvent(context, user, 'discord.linked', meta);
    return user;
  }

  /** Every Discord sign-in or link refreshes the servers the user manages (what lets them edit bot settings there). */
  async function recordManagedGuilds(userId: string, identity: DiscordIdentity): Promise<void> {
    if (identity.managedGuilds === null) return;
    await replaceManagedGuilds(database.db, { userId, discordUserId: identity.id, guilds: identity.managedGuilds, fetchedAt: clock.now() });
  }

  async function signUpWithDiscord(identity: DiscordIdentity, ref: string | null): Promise<UserRow> {
    if (!identity.email || !identity.isEmailVerified) {
      throw new AppError(AccountsErrors.ACCOUNTS_DISCORD_EMAIL_MISSING, 'Your Discord account needs a verified email address to sign up');
    }
    // Never merged silently: whoever controls the Discord account must not take over an existing one.
    if (await findUserByEmail(database.db, identity.email)) {
      throw new AppError(
        AccountsErrors.ACCOUNTS_EMAIL_TAKEN,
        'An account with this email address exists: sign in with your password, then link Discord in the settings',
      );
    }
    const username = await pickUsername(identity);
    return database.transaction((tx) =>
      insertAccount(context, tx, {
        email: identity.email!,
        username,
        passwordHash: null,
        method: 'discord',
        isEmailVerified: true,
        discordId: identity.id,
        referralCode: ref,
      }),
    );
  }

  return {
    /** Where to send the browser, and the signed state cookie to set on the way. */
    startDiscordSignIn(options: { linkUserId: string | null; ref: string | null }) {
      requireEnabled();
      const state: OAuthState = {
        state: randomToken(24),
        linkUserId: options.linkUserId,
        ref: options.ref,
        expiresAt: clock.now().getTime() + OAUTH_STATE_LIFETIME_MS,
      };
      return {
        authorizeUrl: discord.buildAuthorizeUrl(state.state, redirectUri),
        stateCookie: keys.signOAuthState(JSON.stringify(state)),
        expiresAt: new Date(state.expiresAt),
      };
    },

    /**
     * Finishes the flow: links Discord to the signed-in account that started
     * it, signs in the account linked to this Discord user, or signs up.
     */
    async completeDiscordSignIn(
      callback: DiscordCallback,
      stateCookie: string | undefined,
      signedInUserId: string | null,
      meta: RequestMeta,
    ): Promise<{ outcome: DiscordOutcome; user: UserRow; session: StartedSession | null }> {
      requireEnabled();
      const state = readState(stateCookie, callback.state);
      if (callback.error || !callback.code) {
        throw new AppError(AccountsErrors.AUTH_OAUTH_FAILED, 'Discord sign-in was cancelled or refused', { error: callback.error ?? 'missing_code' });
      }
      if (state.linkUserId && state.linkUserId !== signedInUserId) {
        throw new AppError(AccountsErrors.AUTH_OAUTH_STATE_INVALID, 'Sign in again to link Discord');
      }
      const identity = await discord.fetchIdentity(callback.code, redirectUri);
      if (state.linkUserId) {
        const linkedUser = await linkDiscord(state.linkUserId, identity, meta);
        await recordManagedGuilds(linkedUser.id, identity);
        return { outcome: 'linked', user: linkedUser, session: null };
      }
      const linked = await findOAuthAccount(database.db, 'discord', identity.id);
      let user = linked ? await findUserById(database.db, linked.userId) : undefined;
      if (user?.deactivatedAt) throw new AppError(AccountsErrors.AUTH_OAUTH_FAILED, 'This account cannot sign in');
      const outcome: DiscordOutcome = user ? 'signed-in' : 'signed-up';
      user ??= await signUpWithDiscord(identity, state.ref);
      await recordManagedGuilds(user.id, identity);
      return { outcome, user, session: await signIn.startSignedInSession(user, meta) };
    },
  };
}

export type DiscordLoginService = ReturnType<typeof createDiscordLoginService>;
