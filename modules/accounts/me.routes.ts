import {
  Accepted,
  AccountItemParams,
  AccountReply,
  ChangeEmailBody,
  ChangePasswordBody,
  DeleteAccountBody,
  Done,
  EmailTokenBody,
  ReferralReply,
  SecurityEventList,
  SessionList,
  UnlinkDiscordBody,
  UpdateProfileBody,
} from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { AccountsContext } from './accounts.context';
import type { AccountIdentityService } from './account-identity.service';
import type { ProfileService } from './profile.service';
import { ACCOUNT_READ_SCOPE, RATE_LIMITS, readRequestMeta, requireSession } from './route-helpers';
import { listSecurityEvents } from './security-events.service';
import { clearSessionCookies } from './session-cookies';
import type { SessionsService } from './sessions.service';

export interface MeRouteServices {
  context: AccountsContext;
  profile: ProfileService;
  sessions: SessionsService;
  identity: AccountIdentityService;
}

export function createMeRoutes({ context, profile, sessions, identity }: MeRouteServices): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/email',
      auth: 'user',
      summary: 'Change the email address: a link goes to the new address, which counts once confirmed; the old one is told',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.emailLink,
      body: ChangeEmailBody,
      response: Accepted,
      successStatus: 202,
      handler: async ({ principal, body, request }) => {
        await identity.requestEmailChange(requireSession(principal), body, readRequestMeta(request));
        return { status: 'accepted' as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/confirm-email-change',
      auth: 'public',
      summary: 'Confirm a new email address with the token from the mailed link',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.tokenCheck,
      body: EmailTokenBody,
      response: Done,
      handler: async ({ body, request }) => {
        await identity.confirmEmailChange(body.token, readRequestMeta(request));
        return { status: 'ok' as const };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/me/discord',
      auth: 'user',
      summary: 'Unlink the Discord account (the account must have a password to sign in with)',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.secondFactor,
      body: UnlinkDiscordBody,
      response: Done,
      handler: async ({ principal, body, request }) => {
        await identity.unlinkDiscord(requireSession(principal), body, readRequestMeta(request));
        return { status: 'ok' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/me',
      auth: 'user',
      scope: ACCOUNT_READ_SCOPE,
      summary: 'The signed-in account',
      tags: ['accounts'],
      response: AccountReply,
      handler: ({ principal }) => profile.findAccount(principal!.userId),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/me',
      auth: 'user',
      summary: 'Change the username or the language',
      tags: ['accounts'],
      body: UpdateProfileBody,
      response: AccountReply,
      handler: ({ principal, body }) => profile.updateProfile(requireSession(principal).userId, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/password',
      auth: 'user',
      summary: 'Change the password (the current one is required when the account has one); signs other sessions out',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.secondFactor,
      body: ChangePasswordBody,
      response: Done,
      handler: async ({ principal, body, request }) => {
        await profile.changePassword(requireSession(principal), body, readRequestMeta(request));
        return { status: 'ok' as const };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/me',
      auth: 'user',
      summary: 'Delete the account: deactivated at once, then erased; needs the password and, with 2FA on, a code',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.secondFactor,
      body: DeleteAccountBody,
      response: Accepted,
      successStatus: 202,
      handler: async ({ principal, body, request, reply }) => {
        await profile.deleteAccount(requireSession(principal), body, readRequestMeta(request));
        clearSessionCookies(reply, context);
        return { status: 'accepted' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/me/sessions',
      auth: 'user',
      scope: ACCOUNT_READ_SCOPE,
      summary: 'Signed-in sessions of the account, most recently used first',
      tags: ['accounts'],
      response: SessionList,
      handler: async ({ principal }) => ({ items: await sessions.listSessions(principal!.userId, principal!.sessionId) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/me/sessions/:id',
      auth: 'user',
      summary: 'Sign one of your sessions out',
      tags: ['accounts'],
      params: AccountItemParams,
      response: Done,
      handler: async ({ principal, params, reply }) => {
        const session = requireSession(principal);
        await sessions.revokeSession(session.userId, params.id);
        if (params.id === session.sessionId) clearSessionCookies(reply, context);
        return { status: 'ok' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/me/security-events',
      auth: 'user',
      scope: ACCOUNT_READ_SCOPE,
      summary: 'Recent security events of the account (new devices, password and 2FA changes)',
      tags: ['accounts'],
      response: SecurityEventList,
      handler: async ({ principal }) => ({ items: await listSecurityEvents(context, principal!.userId) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/me/referral',
      auth: 'user',
      scope: ACCOUNT_READ_SCOPE,
      summary: 'Your referral code, the sign-up link that carries it, and how many people signed up with it',
      tags: ['accounts'],
      response: ReferralReply,
      handler: ({ principal }) => profile.showReferral(principal!.userId),
    }),
  ];
}
