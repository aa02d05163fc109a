import type { FastifyRequest } from 'fastify';
import type { DataRights, PeriodicJob } from '@weft/kernel';
import { createAccountsContext, type AccountsDeps } from './accounts.context';
import { emailTokensInventory, oauthAccountsInventory, usersInventory } from './accounts.tables';
import { createApiTokenRoutes } from './api-tokens.routes';
import { createApiTokensService, type CreateApiTokenInput } from './api-tokens.service';
import { createAuthRoutes } from './auth.routes';
import { createAuthenticator } from './authenticate-request';
import { createDataRightsService } from './data-rights.service';
import { createDiscordGuildsService } from './discord-guilds.service';
import { discordManagedGuildsInventory } from './discord-guilds.tables';
import { createDiscordLoginService } from './discord-login.service';
import { createDiscordProvider } from './discord.provider';
import { createDiscordRoutes } from './discord.routes';
import { createEmailFlowsService } from './email-flows.service';
import { createMeRoutes } from './me.routes';
import { createProfileService } from './profile.service';
import { createAccountIdentityService } from './account-identity.service';
import { createHttpRegistration } from './register-http';
import { loginThrottlesInventory, recoveryCodesInventory, securityEventsInventory, totpFactorsInventory } from './security.tables';
import { apiTokensInventory, sessionsInventory } from './sessions.tables';
import { createSessionsService } from './sessions.service';
import { createSignInService } from './sign-in.service';
import { createSignUpService } from './sign-up.service';
import { createTwoFactorRoutes } from './two-factor.routes';
import { createTwoFactorService } from './two-factor.service';
import { findUserByLogin, findUsersByIds, listAdministrators, type UserRow } from './users.repository';

export type { AccountsDeps } from './accounts.context';
export { AccountsErrors } from './accounts.errors';
export { AccountsEvents, type UserDeactivatedPayload, type UserSignedUpPayload } from './accounts.events';
export { ADMIN_SCOPE, API_TOKEN_PREFIX, type CreateApiTokenInput } from './api-tokens.service';
export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './session-cookies';
export type { ManagedDiscordGuilds } from './discord-guilds.service';

/** A user as other modules see it: never a hash, a secret or a session. */
export interface UserSummary {
  id: string;
  email: string;
  username: string;
  isAdmin: boolean;
  locale: string;
  isEmailVerified: boolean;
  createdAt: Date;
  isDeactivated: boolean;
}

function summarizeUser(user: UserRow): UserSummary {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    isAdmin: user.isAdmin,
    locale: user.locale,
    isEmailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt,
    isDeactivated: user.deactivatedAt !== null,
  };
}

export function createAccountsModule(deps: AccountsDeps) {
  const context = createAccountsContext(deps);
  const renewals = new WeakMap<FastifyRequest, Date>();
  const sessions = createSessionsService(context);
  const apiTokens = createApiTokensService(context);
  const twoFactor = createTwoFactorService(context);
  const signUp = createSignUpService(context, sessions);
  const signIn = createSignInService(context, sessions, twoFactor);
  const emailFlows = createEmailFlowsService(context);
  const profile = createProfileService(context, twoFactor);
  const identity = createAccountIdentityService(context, profile.requireActiveUser);
  const discordLogin = createDiscordLoginService(context, createDiscordProvider(context.config), signIn);
  const dataRightsService = createDataRightsService(context);
  const discordGuilds = createDiscordGuildsService(context);

  const purgeJob: PeriodicJob = {
    name: 'accounts.purge-expired',
    intervalMs: 3_600_000,
    async run({ logger }) {
      const removed = { ...(await dataRightsService.purgeExpiredAccountData()), discordManagedGuilds: await discordGuilds.purgeExpiredManagedGuilds() };
      if (Object.values(removed).some((count) => count > 0)) logger.info({ removed }, 'purged expired account data');
    },
  };
  const dataRights: DataRights = {
    module: 'accounts',
    exportSubject: async (subject) => ({ ...(await dataRightsService.exportSubject(subject)), discord_managed_guilds: await discordGuilds.exportManagedGuilds(subject.userId) }),
    async eraseSubject(subject) {
      await discordGuilds.eraseManagedGuilds(subject.userId);
      await dataRightsService.eraseSubject(subject);
    },
  };

  return {
    routes: [
      ...createAuthRoutes({ context, signUp, signIn, sessions, emailFlows, profile }),
      ...createMeRoutes({ context, profile, sessions, identity }),
      ...createTwoFactorRoutes({ context, twoFactor, profile }),
      ...createApiTokenRoutes(apiTokens),
      ...createDiscordRoutes(context, discordLogin),
    ],
    api: {
      /** The authenticator for `registerRoutes` (sessions with CSRF, and bearer API tokens). */
      authenticate: createAuthenticator(context, sessions, apiTokens, renewals),
      /** Call once on the HTTP app before registering routes. */
      registerHttpPlugins: createHttpRegistration(context, renewals),
      async findUsersByIds(ids: string[]): Promise<UserSummary[]> {
        return (await findUsersByIds(context.database.db, ids)).map(summarizeUser);
      },
      /** The instance's administrators (e.g. to tell them about a new support request). */
      async listAdministrators(): Promise<UserSummary[]> {
        return (await listAdministrators(context.database.db)).map(summarizeUser);
      },
      /** The Discord account linked to a user, or null: other modules find a person's Discord-side data by it. */
      async findDiscordId(userId: string): Promise<string | null> {
        return (await findUsersByIds(context.database.db, [userId]))[0]?.discordId ?? null;
      },
      /** The Discord servers the user manages, as read at their last Discord sign-in (bots: guild staff), or null. */
      findManagedDiscordGuilds: discordGuilds.findManagedDiscordGuilds,
      /** By email address or username (case-insensitive). */
      async findUserByLogin(login: string): Promise<UserSummary | null> {
        const user = await findUserByLogin(context.database.db, login);
        return user ? summarizeUser(user) : null;
      },
      /** An operator-made account (CLI `weft admin create-user`), with the same policies as sign-up. */
      async createUser(input: { email: string; username: string; password: string; isAdmin?: boolean }): Promise<UserSummary> {
        return summarizeUser(await signUp.createUser(input));
      },
      /** Returns the secret once (CLI `weft tokens create`). */
      createApiToken: (input: CreateApiTokenInput) => apiTokens.createApiToken(input, null),
    },
    jobs: [purgeJob],
    inventories: [
      usersInventory,
      oauthAccountsInventory,
      discordManagedGuildsInventory,
      emailTokensInventory,
      sessionsInventory,
      apiTokensInventory,
      totpFactorsInventory,
      recoveryCodesInventory,
      loginThrottlesInventory,
      securityEventsInventory,
    ],
    dataRights,
  };
}

export type AccountsModule = ReturnType<typeof createAccountsModule>;
