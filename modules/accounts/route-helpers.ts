import type { FastifyRequest } from 'fastify';
import { AppError } from '@weft/kernel';
import type { Principal } from '@weft/http';
import type { RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';

/** Filled by an onRequest hook when the instance trusts a proxy's location header (`WEFT_GEO_HEADER`). */
export const approximateLocations = new WeakMap<FastifyRequest, string>();

export function readRequestMeta(request: FastifyRequest): RequestMeta {
  const userAgent = request.headers['user-agent'];
  const location = approximateLocations.get(request);
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null, ...(location === undefined ? {} : { location }) };
}

/**
 * Account-changing routes are for a person at the dashboard: an API token,
 * even a leaked one, must not change the password, 2FA or mint more tokens.
 */
export function requireSession(principal: Principal | null): Principal & { sessionId: string } {
  if (principal?.via !== 'session' || !principal.sessionId) {
    throw new AppError(AccountsErrors.AUTH_SESSION_REQUIRED, 'Only a signed-in browser session can do this, not an API token');
  }
  return principal as Principal & { sessionId: string };
}

/** Scope an API token needs to read the account routes (sessions need none). */
export const ACCOUNT_READ_SCOPE = 'account:read';

/** Per-IP limits of the routes that guess at secrets; the lockout in login_throttles comes on top. */
export const RATE_LIMITS = {
  signUp: { max: 20, timeWindowMs: 3_600_000 },
  signIn: { max: 60, timeWindowMs: 60_000 },
  emailLink: { max: 10, timeWindowMs: 15 * 60_000 },
  tokenCheck: { max: 20, timeWindowMs: 15 * 60_000 },
  secondFactor: { max: 10, timeWindowMs: 60_000 },
  discordCallback: { max: 30, timeWindowMs: 60_000 },
};
