import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, CoreErrors } from '@weft/kernel';
import type { z } from 'zod';
import type { Principal, RouteDefinition } from './define-route';
import { describeZodIssues } from './error-reply';

/** Resolves the caller of a request, or null for an anonymous one. May throw (e.g. bad CSRF token). */
export type Authenticate = (request: FastifyRequest, route: RouteDefinition) => Promise<Principal | null>;

export const anonymousOnly: Authenticate = async () => null;

export function registerRoutes(app: FastifyInstance, routes: RouteDefinition[], authenticate: Authenticate): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      config: route.rateLimit ? { rateLimit: { max: route.rateLimit.max, timeWindow: route.rateLimit.timeWindowMs } } : {},
      ...(route.upload ? { bodyLimit: route.upload.maxBytes } : {}),
      handler: async (request, reply) => {
        const principal = await authenticate(request, route);
        authorize(route, principal);
        if (route.upload) checkUpload(route.upload, request);
        const params = parseInput(route.params, request.params, 'params');
        const query = parseInput(route.query, request.query, 'query');
        const body = parseInput(route.body, request.body, 'body');
        const result = await route.handler({
          params,
          query,
          body,
          principal,
          request,
          reply,
          ip: request.ip,
          requestId: request.id,
        } as Parameters<RouteDefinition['handler']>[0]);
        // A handler that answered itself (redirect, stream) returns the reply; during
        // async onSend hooks `reply.sent` is still false, so check both.
        if (reply.sent || (result as unknown) === reply) return reply;
        reply.status(route.successStatus ?? 200);
        if (route.responseType === 'html') return reply.type('text/html; charset=utf-8').send(result);
        if (route.responseType === 'text') return reply.type('text/plain; charset=utf-8').send(result);
        // The response schema strips unknown keys; a mismatch is our bug and becomes a 500.
        return reply.type('application/json; charset=utf-8').send(route.response.parse(result));
      },
    });
  }
}

function authorize(route: RouteDefinition, principal: Principal | null): void {
  if (route.auth === 'public') return;
  if (!principal) throw new AppError(CoreErrors.UNAUTHENTICATED, 'Sign in to do this');
  if (route.auth === 'admin' && !principal.isAdmin) {
    throw new AppError(CoreErrors.FORBIDDEN, 'Only instance administrators can do this');
  }
  if (route.scope && principal.scopes && !principal.scopes.includes(route.scope)) {
    throw new AppError(CoreErrors.FORBIDDEN, `This API token lacks the scope ${route.scope}`, { requiredScope: route.scope });
  }
}

/** The upload's content type is one the route takes and it has bytes; the size was checked while reading. */
function checkUpload(upload: NonNullable<RouteDefinition['upload']>, request: FastifyRequest): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!upload.contentTypes.includes(type) || !Buffer.isBuffer(request.body)) {
    throw new AppError(CoreErrors.UNSUPPORTED_MEDIA_TYPE, `Send the file as the request body with one of these content types: ${upload.contentTypes.join(', ')}`, {
      contentTypes: upload.contentTypes,
    });
  }
  if (request.body.length === 0) throw new AppError(CoreErrors.VALIDATION_FAILED, 'The file is empty', [{ path: '', message: 'The file is empty', code: 'too_small', in: 'body' }]);
}

function parseInput(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success) {
    throw new AppError(CoreErrors.VALIDATION_FAILED, `Invalid ${where}`, describeZodIssues(parsed.error).map((d) => ({ ...d, in: where })));
  }
  return parsed.data;
}
