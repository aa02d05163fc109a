import type { FastifyRequest } from 'fastify';
import { AppError, CoreErrors } from '@weft/kernel';
import type { Authenticate } from '@weft/http';
import type { AccountsContext } from './accounts.context';
import type { ApiTokensService } from './api-tokens.service';
import { CSRF_HEADER, SESSION_COOKIE } from './session-cookies';
import type { SessionsService } from './sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller from `Authorization: Bearer weft_…` or the session
 * cookie. A bearer header that does not check out is refused outright (no
 * fallback to the cookie). A cookie-authenticated write must carry the CSRF
 * token: on a route that needs a user it is refused with 403; on a public
 * route the cookie is simply ignored, so a stale tab cannot act as the user.
 * `renewals` collects sessions whose expiry slid, for the cookie to follow.
 */
export function createAuthenticator(
  context: AccountsContext,
  sessions: SessionsService,
  apiTokens: ApiTokensService,
  renewals: WeakMap<FastifyRequest, Date>,
): Authenticate {
  return async (request, route) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
      const principal = bearer ? await apiTokens.findTokenPrincipal(bearer) : null;
      if (!principal) throw new AppError(CoreErrors.UNAUTHENTICATED, 'The API token is missing, invalid, expired or revoked');
      return principal;
    }

    const token = request.cookies?.[SESSION_COOKIE];
    if (!token) return null;
    const found = await sessions.findSessionPrincipal(token);
    if (!found) return null;
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (!context.keys.isCsrfTokenValid(found.principal.sessionId!, typeof header === 'string' ? header : undefined)) {
        if (route.auth === 'public') return null;
        throw new AppError(
          CoreErrors.CSRF_TOKEN_INVALID,
          `Missing or wrong CSRF token: get one from GET /api/v1/auth/csrf and send it in the ${CSRF_HEADER} header`,
        );
      }
    }
    if (found.slidTo) renewals.set(request, found.slidTo);
    return found.principal;
  };
}
