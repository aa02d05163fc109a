import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { AccountsContext } from './accounts.context';
import { approximateLocations } from './route-helpers';
import { renewSessionCookie } from './session-cookies';

/**
 * What the HTTP app needs from accounts before routes are registered:
 * cookie parsing, the sliding session cookie, and `Retry-After` on 429
 * replies that name `retryAfterSeconds` (lockouts; RFC 9110 §10.2.3).
 */
export function createHttpRegistration(context: AccountsContext, renewals: WeakMap<FastifyRequest, Date>) {
  return async function registerHttpPlugins(app: FastifyInstance): Promise<void> {
    await app.register(fastifyCookie);
    const geoHeader = context.config.http.geoHeader;
    if (geoHeader !== undefined) {
      app.addHook('onRequest', (request, _reply, done) => {
        const value = request.headers[geoHeader];
        const location = typeof value === 'string' ? value.trim() : '';
        // Only what a location header plausibly holds: letters, digits, spaces and a few separators, kept short.
        if (location.length > 0 && location.length <= 64 && /^[\p{L}\p{N} ,.'()-]+$/u.test(location) && location.toUpperCase() !== 'XX') {
          approximateLocations.set(request, location);
        }
        done();
      });
    }
    // Added after the cookie plugin, so its own onSend has run and cookies set here are written at once.
    app.addHook('onSend', async (request, reply, payload) => {
      const renewal = renewals.get(request);
      if (renewal && reply.statusCode < 400) renewSessionCookie(request, reply, context, renewal);
      if (reply.statusCode === 429 && !reply.hasHeader('retry-after') && typeof payload === 'string') {
        const seconds = readRetryAfterSeconds(payload);
        if (seconds) reply.header('retry-after', String(seconds));
      }
      return payload;
    });
  };
}

function readRetryAfterSeconds(payload: string): number | null {
  try {
    const body = JSON.parse(payload) as { error?: { details?: { retryAfterSeconds?: unknown } } };
    const seconds = body.error?.details?.retryAfterSeconds;
    return typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : null;
  } catch {
    return null;
  }
}
