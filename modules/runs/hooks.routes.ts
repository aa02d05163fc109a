import type { FastifyInstance, FastifyReply } from 'fastify';
import type { WebhookReply } from './run-webhook';
import { HOOK_METHODS, type WebhookRequests } from './webhook-requests';

/**
 * The webhook entry points on Fastify: what `app.inject()` reaches, and any
 * server without the fast lane. Real sockets are served by the fast lane
 * (webhook-lane.ts); both hand the request to the same `WebhookRequests`.
 * Registered directly rather than through registerRoutes: they are public,
 * their body is whatever the caller's workflow expects, and they are the
 * hot path (`logLevel: 'warn'`, no helmet, the cheap limiter of their own).
 */
export function registerHookRoutes(app: FastifyInstance, requests: WebhookRequests): void {
  void app.register(async (scope) => {
    // Every body reaches the handler as its raw bytes: parsing (and signature checks) happen there.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const options = { logLevel: 'warn', exposeHeadRoute: false, helmet: false, config: { rateLimit: false } } as const;
    const handler = async (request: { method: string; url: string; headers: Record<string, string | string[] | undefined>; ip: string; body: unknown; id: string }, reply: FastifyReply) => {
      const result = await requests.answer({
        method: request.method,
        url: request.url,
        headers: request.headers,
        ip: request.ip,
        rawBody: Buffer.isBuffer(request.body) ? request.body : undefined,
      });
      return sendWebhookReply(reply, result, request.id);
    };
    // A HEAD (a monitor's ping) must not start a run the way the GET it mirrors would: no HEAD route.
    scope.route({ ...options, method: [...HOOK_METHODS], url: '/hooks/t/:triggerId', handler });
    scope.route({ ...options, method: [...HOOK_METHODS], url: '/hooks/:workspaceSlug/*', handler });
    scope.route({ ...options, method: ['POST', 'GET'], url: '/hooks/resume/:token', handler });
  });
}

function sendWebhookReply(reply: FastifyReply, result: WebhookReply, requestId: string): FastifyReply {
  reply.status(result.status);
  if (result.runId !== undefined) reply.header('x-weft-run-id', result.runId);
  if (result.headers) reply.headers(result.headers);
  if (result.error) {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify({ error: { ...result.error, requestId } }));
  }
  const body = result.body;
  if (body === undefined) return reply.send();
  if (typeof body === 'string' || Buffer.isBuffer(body)) return reply.send(body);
  if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8');
  return reply.send(JSON.stringify(body));
}
