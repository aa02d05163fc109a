import type { FastifyInstance } from 'fastify';
import { createHttpApp, registerRoutes, type Principal, type RouteDefinition } from '@weft/http';
import { createLogger } from '@weft/kernel';

/** Who a module test's request comes from: a user id, and whether they administer the instance. */
export interface TestCaller {
  id: string;
  isAdmin?: boolean;
}

/** The headers `startRoutesApp`'s stand-in authenticator reads for `caller` (none: anonymous). */
export function testCallerHeaders(caller: TestCaller | null): Record<string, string> {
  if (!caller) return {};
  return caller.isAdmin ? { 'x-test-user': caller.id, 'x-test-admin': 'yes' } : { 'x-test-user': caller.id };
}

/**
 * A module's routes on the HTTP app apps/server builds (schemas, error shape,
 * limits), with a stand-in for sign-in: `x-test-user` is the caller's id and
 * `x-test-admin: yes` makes them an instance administrator (an API token, so
 * no CSRF token is needed). Close it in `afterAll`.
 */
export async function startRoutesApp(routes: RouteDefinition[], options: { bodyLimitBytes?: number } = {}): Promise<FastifyInstance> {
  const app = await createHttpApp({ logger: createLogger({ level: 'silent', format: 'json' }), bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024, rateLimitPerMinute: 10_000 });
  registerRoutes(app, routes, async (request) => {
    const userId = request.headers['x-test-user'];
    if (typeof userId !== 'string') return null;
    return { userId, isAdmin: request.headers['x-test-admin'] === 'yes', via: 'token' } satisfies Principal;
  });
  await app.ready();
  return app;
}

/**
 * A dependency a test can break for one call (the audit log, the mail server), to check that a
 * change fails whole: `call` forwards to `fn` until `breakNext()`, then throws `message` once.
 */
export function breakableOnce<Args extends unknown[], Result>(fn: (...args: Args) => Promise<Result>, message: string) {
  let isBroken = false;
  return {
    call: async (...args: Args): Promise<Result> => {
      if (isBroken) {
        isBroken = false;
        throw new Error(message);
      }
      return fn(...args);
    },
    breakNext: () => {
      isBroken = true;
    },
  };
}
