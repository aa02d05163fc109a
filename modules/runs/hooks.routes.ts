import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { AppError, CoreErrors } from '@weft/kernel';
import type { WebhookTriggerEntry } from '@weft/workflows';
import { RunErrors } from './runs.errors';
import type { WebhookDirectory } from './webhook-directory';
import { createWebhookRateLimit } from './webhook-rate-limit';
import type { WebhookPayload, WebhookReply, WebhookRuns } from './run-webhook';

export interface HookRoutesOptions {
  /** Per-IP limit of the webhook routes (default 6000 a minute); false turns it off (e.g. behind a proxy that limits). */
  rateLimit?: { max: number; timeWindowMs: number } | false;
}

type RouteConfig = NonNullable<Parameters<FastifyInstance['route']>[0]['config']>;

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Never handed to a run: they would end up in the execution log. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);

/**
 * The webhook entry points, registered on Fastify directly rather than
 * through registerRoutes: they are public, their body is whatever the
 * caller's workflow expects, and they are the hot path — a trigger lookup
 * in memory, no zod pass, no per-request info log (`logLevel: 'warn'`).
 */
export function registerHookRoutes(
  app: FastifyInstance,
  hooks: { directory: WebhookDirectory; runs: WebhookRuns },
  options: HookRoutesOptions = {},
): void {
  const limit = options.rateLimit ?? { max: 6000, timeWindowMs: 60_000 };
  const limiter = limit === false ? null : createWebhookRateLimit(limit.max, limit.timeWindowMs);
  // The global plugin is replaced by the cheap limiter above on this hot path.
  const config = { rateLimit: false } as RouteConfig;

  function enforceRateLimit(request: FastifyRequest): void {
    const retryAfterSeconds = limiter?.takeToken(request.ip, Date.now()) ?? 0;
    if (retryAfterSeconds > 0) {
      throw new AppError(CoreErrors.RATE_LIMITED, 'Too many requests to this webhook address, slow down', { retryAfterSeconds });
    }
  }

  async function answer(request: FastifyRequest, reply: FastifyReply, entry: WebhookTriggerEntry | undefined): Promise<FastifyReply> {
    enforceRateLimit(request);
    if (!entry) throw new AppError(RunErrors.WEBHOOK_NOT_FOUND, 'No webhook at this address');
    if (entry.method !== request.method) {
      reply.header('allow', entry.method);
      throw new AppError(RunErrors.WEBHOOK_METHOD_NOT_ALLOWED, `This webhook accepts ${entry.method} only`);
    }
    verifyWebhookAuth(entry, request);
    const result = await hooks.runs.startWebhookRun(entry, toPayload(request));
    return sendWebhookReply(reply, result, request.id);
  }

  app.route({
    method: METHODS,
    url: '/hooks/t/:triggerId',
    logLevel: 'warn',
    // A HEAD (a monitor's ping) must not start a run the way the GET it mirrors would.
    exposeHeadRoute: false,
    // JSON for machines: browser security headers (CSP …) are work without a reader here.
    helmet: false,
    config,
    handler: async (request, reply) => {
      const pending = hooks.directory.whenCurrent();
      if (pending) await pending;
      return answer(request, reply, hooks.directory.findById((request.params as { triggerId: string }).triggerId));
    },
  });
  app.route({
    method: METHODS,
    url: '/hooks/:workspaceSlug/*',
    logLevel: 'warn',
    exposeHeadRoute: false,
    // JSON for machines: browser security headers (CSP …) are work without a reader here.
    helmet: false,
    config,
    handler: async (request, reply) => {
      const pending = hooks.directory.whenCurrent();
      if (pending) await pending;
      const params = request.params as { workspaceSlug: string; '*': string };
      return answer(request, reply, hooks.directory.findByPath(params.workspaceSlug, params['*']));
    },
  });
}

/**
 * Triggers that ask for a bearer secret or an HMAC signature need the
 * credentials module (secrets) to be checked against `request.rawBody`;
 * until then they are refused, never let through unchecked.
 */
function verifyWebhookAuth(entry: WebhookTriggerEntry, _request: FastifyRequest): void {
  if (entry.auth.type !== 'none') {
    throw new AppError(RunErrors.WEBHOOK_UNAUTHORIZED, 'This webhook requires authentication that this instance cannot verify yet');
  }
}

function toPayload(request: FastifyRequest): WebhookPayload {
  const headers: WebhookPayload['headers'] = {};
  for (const name in request.headers) {
    if (!CREDENTIAL_HEADERS.has(name)) headers[name] = request.headers[name];
  }
  return { body: request.body ?? null, query: request.query ?? {}, headers, method: request.method };
}

function sendWebhookReply(reply: FastifyReply, result: WebhookReply, requestId: string): FastifyReply {
  reply.status(result.status);
  if (result.error) {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify({ error: { ...result.error, requestId } }));
  }
  if (result.headers) reply.headers(result.headers);
  const body = result.body;
  if (body === undefined) return reply.send();
  if (typeof body === 'string' || Buffer.isBuffer(body)) return reply.send(body);
  if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8');
  return reply.send(JSON.stringify(body));
}
