import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { AccountsContext } from './accounts.context';

export const SESSION_COOKIE = 'weft_session';
/** Readable by the dashboard's script, which echoes it in the x-csrf-token header. */
export const CSRF_COOKIE = 'weft_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** SameSite=Lax keeps the cookie off cross-site POSTs; the CSRF token covers the rest. */
function cookieOptions(context: AccountsContext, expires: Date) {
  return { path: '/', sameSite: 'lax' as const, secure: context.config.secureCookies, expires };
}

export function setSessionCookies(reply: FastifyReply, context: AccountsContext, session: { id: string; token: string; expiresAt: Date }): string {
  reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(context, session.expiresAt), httpOnly: true });
  return setCsrfCookie(reply, context, session.id, session.expiresAt);
}

export function setCsrfCookie(reply: FastifyReply, context: AccountsContext, sessionId: string, expires: Date): string {
  const csrfToken = context.keys.csrfTokenFor(sessionId);
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...cookieOptions(context, expires), httpOnly: false });
  return csrfToken;
}

export function clearSessionCookies(reply: FastifyReply, context: AccountsContext): void {
  const options = { path: '/', sameSite: 'lax' as const, secure: context.config.secureCookies };
  reply.clearCookie(SESSION_COOKIE, { ...options, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, options);
}

/**
 * Renews the session cookie's expiry when the authenticator slid the
 * session, unless the route already set or cleared that cookie itself.
 */
export function renewSessionCookie(request: FastifyRequest, reply: FastifyReply, context: AccountsContext, expires: Date): void {
  const written = reply.getHeader('set-cookie');
  const lines = Array.isArray(written) ? written : written === undefined ? [] : [String(written)];
  if (lines.some((line) => line.startsWith(`${SESSION_COOKIE}=`))) return;
  const token = request.cookies[SESSION_COOKIE];
  if (token) reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(context, expires), httpOnly: true });
}
