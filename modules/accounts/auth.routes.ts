import {
  Accepted,
  CsrfReply,
  Done,
  EmailTokenBody,
  LogInBody,
  PasswordResetBody,
  PasswordResetRequestBody,
  SignedInReply,
  SignUpBody,
} from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { AccountsContext } from './accounts.context';
import type { EmailFlowsService } from './email-flows.service';
import type { ProfileService } from './profile.service';
import { RATE_LIMITS, readRequestMeta, requireSession } from './route-helpers';
import { clearSessionCookies, setCsrfCookie, setSessionCookies } from './session-cookies';
import type { SignInService } from './sign-in.service';
import type { SignUpService } from './sign-up.service';
import type { SessionsService } from './sessions.service';

export interface AuthRouteServices {
  context: AccountsContext;
  signUp: SignUpService;
  signIn: SignInService;
  sessions: SessionsService;
  emailFlows: EmailFlowsService;
  profile: ProfileService;
}

export function createAuthRoutes({ context, signUp, signIn, sessions, emailFlows, profile }: AuthRouteServices): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/signup',
      auth: 'public',
      summary: 'Create an account with email and password; signs in and mails a verification link',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.signUp,
      body: SignUpBody,
      response: SignedInReply,
      successStatus: 201,
      handler: async ({ body, request, reply }) => {
        const { user, session } = await signUp.signUp(body, readRequestMeta(request));
        const csrfToken = setSessionCookies(reply, context, session);
        return { user: await profile.showAccount(user), csrfToken };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/login',
      auth: 'public',
      summary: 'Sign in with email or username, password and, when 2FA is on, a code or recovery code',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.signIn,
      body: LogInBody,
      response: SignedInReply,
      handler: async ({ body, request, reply }) => {
        const { user, session } = await signIn.signIn(body, readRequestMeta(request));
        const csrfToken = setSessionCookies(reply, context, session);
        return { user: await profile.showAccount(user), csrfToken };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/logout',
      auth: 'user',
      summary: 'Sign out this browser session',
      tags: ['accounts'],
      response: Done,
      handler: async ({ principal, reply }) => {
        const session = requireSession(principal);
        await sessions.revokeSession(session.userId, session.sessionId);
        clearSessionCookies(reply, context);
        return { status: 'ok' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/csrf',
      auth: 'user',
      summary: 'The CSRF token to send as x-csrf-token on cookie-authenticated writes (also set as the weft_csrf cookie)',
      tags: ['accounts'],
      response: CsrfReply,
      handler: ({ principal, reply }) => {
        const session = requireSession(principal);
        return { csrfToken: setCsrfCookie(reply, context, session.sessionId, new Date(context.clock.now().getTime() + 30 * 86_400_000)) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/verify-email/request',
      auth: 'user',
      summary: 'Mail a new verification link to the account address',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.emailLink,
      response: Accepted,
      successStatus: 202,
      handler: async ({ principal }) => {
        await emailFlows.requestEmailVerification(requireSession(principal).userId);
        return { status: 'accepted' as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      auth: 'public',
      summary: 'Confirm the email address with the token from the mailed link (single use, 24 hours)',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.tokenCheck,
      body: EmailTokenBody,
      response: Done,
      handler: async ({ body }) => {
        await emailFlows.verifyEmail(body.token);
        return { status: 'ok' as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      auth: 'public',
      summary: 'Mail a password reset link; answers the same whether or not the address has an account',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.emailLink,
      body: PasswordResetRequestBody,
      response: Accepted,
      successStatus: 202,
      handler: async ({ body }) => {
        await emailFlows.requestPasswordReset(body.email);
        return { status: 'accepted' as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      auth: 'public',
      summary: 'Set a new password with the token from the mailed link (single use, 1 hour); signs every session out',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.tokenCheck,
      body: PasswordResetBody,
      response: Done,
      handler: async ({ body, request, reply }) => {
        await emailFlows.resetPassword(body.token, body.newPassword, readRequestMeta(request));
        clearSessionCookies(reply, context);
        return { status: 'ok' as const };
      },
    }),
  ];
}
