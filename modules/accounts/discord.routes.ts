import { AppError, CoreErrors } from '@weft/kernel';
import { DiscordCallbackQuery, DiscordSignInQuery, Redirected } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { AccountsContext } from './accounts.context';
import { OAUTH_STATE_COOKIE, type DiscordLoginService, type DiscordOutcome } from './discord-login.service';
import { RATE_LIMITS, readRequestMeta } from './route-helpers';
import { setSessionCookies } from './session-cookies';

const STATE_COOKIE_PATH = '/api/v1/auth/discord';

/** Where the browser lands in the dashboard after the callback. */
const LANDING: Record<DiscordOutcome, string> = {
  'signed-in': '/',
  'signed-up': '/?welcome=discord',
  linked: '/settings/account?discord=linked',
};

export function createDiscordRoutes(context: AccountsContext, discordLogin: DiscordLoginService): RouteDefinition[] {
  const cookieOptions = { path: STATE_COOKIE_PATH, httpOnly: true, sameSite: 'lax' as const, secure: context.config.secureCookies };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/discord',
      auth: 'public',
      summary: 'Start "Sign in with Discord" (302 to Discord); link=true links Discord to the signed-in account',
      tags: ['accounts'],
      query: DiscordSignInQuery,
      response: Redirected,
      successStatus: 302,
      handler: ({ query, principal, reply }) => {
        const isLinking = query.link === 'true';
        if (isLinking && principal?.via !== 'session') throw new AppError(CoreErrors.UNAUTHENTICATED, 'Sign in to link Discord');
        const started = discordLogin.startDiscordSignIn({ linkUserId: isLinking ? principal!.userId : null, ref: query.ref ?? null });
        reply.setCookie(OAUTH_STATE_COOKIE, started.stateCookie, { ...cookieOptions, expires: started.expiresAt });
        reply.header('location', started.authorizeUrl);
        return {};
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/discord/callback',
      auth: 'public',
      summary: 'Discord sends the browser back here; signs in, signs up or links, then redirects to the dashboard',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.discordCallback,
      query: DiscordCallbackQuery,
      response: Redirected,
      successStatus: 302,
      handler: async ({ query, principal, request, reply }) => {
        // Spent whatever happens next: a state is good for one callback.
        reply.clearCookie(OAUTH_STATE_COOKIE, cookieOptions);
        const signedInUserId = principal?.via === 'session' ? principal.userId : null;
        const result = await discordLogin.completeDiscordSignIn(query, request.cookies[OAUTH_STATE_COOKIE], signedInUserId, readRequestMeta(request));
        if (result.session) setSessionCookies(reply, context, result.session);
        reply.header('location', `${context.config.publicUrl}${LANDING[result.outcome]}`);
        return {};
      },
    }),
  ];
}
