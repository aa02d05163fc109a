import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { AppError, CoreErrors } from '@weft/kernel';
import type { WebhookTriggerEntry } from '@weft/workflows';
import { RunErrors } from './runs.errors';
import type { WebhookDirectory } from './webhook-directory';
import { createWebhookRateLimit } from './webhook-rate-limit';
import type { WebhookPayload, WebhookReply, WebhookRuns } from './run-webhook';
import type { CallbackResult } from './run-waits.repository';
import { verifyWebhookRequest, type LoadWebhookSecret, type WebhookAuth } from './webhook-auth';

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
export interface HookDependencies {
  directory: WebhookDirectory;
  runs: WebhookRuns;
  /** The accepted content kinds of a trigger (from its params), or undefined for any. */
  acceptedContent(entry: WebhookTriggerEntry): readonly ContentKind[] | undefined | Promise<readonly ContentKind[] | undefined>;
  /** Reads a credential of the trigger's workspace for its auth check. */
  loadSecret(entry: WebhookTriggerEntry): LoadWebhookSecret;
  resumeFromCallback(token: string, payload: unknown): Promise<CallbackResult>;
}

export type ContentKind = 'json' | 'form' | 'text';

const EMPTY_BODY = Buffer.alloc(0);

/** The kind of body a request declares; undefined for one with no body. */
function readContentKind(request: FastifyRequest): ContentKind | 'other' | undefined {
  const type = request.headers['content-type'];
  if (type === undefined) return undefined;
  const essence = type.split(';')[0]!.trim().toLowerCase();
  if (/^application\/([\w.+-]+\+)?json$/.test(essence)) return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  if (essence === 'text/plain') return 'text';
  return 'other';
}

export function registerHookRoutes(app: FastifyInstance, hooks: HookDependencies, options: HookRoutesOptions = {}): void {
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
    const kind = readContentKind(request);
    const found = hooks.acceptedContent(entry);
    // Usually known from the compiled graph in memory: no await on the hot path.
    const accepted = found instanceof Promise ? await found : found;
    if (kind !== undefined && (kind === 'other' || (accepted !== undefined && !accepted.includes(kind)))) {
      throw new AppError(CoreErrors.UNSUPPORTED_MEDIA_TYPE, `This webhook accepts ${accepted === undefined ? 'json, form or text' : accepted.join(', ')} bodies`, {
        contentType: request.headers['content-type'],
      });
    }
    const auth = entry.auth as WebhookAuth;
    if (auth.type !== 'none') {
      const signed = { headers: request.headers, rawBody: request.rawBody ?? EMPTY_BODY, nowSeconds: Math.floor(Date.now() / 1000) };
      await verifyWebhookRequest(auth, signed, hooks.loadSecret(entry));
    }
    const result = await hooks.runs.startWebhookRun(entry, toPayload(request));
    return sendWebhookReply(reply, result, request.id);
  }

  // Forms and plain text are common webhook bodies; parsed in this scope only, keeping the raw bytes for signatures.
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, Object.fromEntries(new URLSearchParams((body as Buffer).toString('utf8'))));
    });
    scope.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, (body as Buffer).toString('utf8'));
    });
    // Anything else reaches the handler unparsed, so the trigger can answer 415 in the API's error shape.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, null);
    });
    registerRoutes(scope);
  });

  function registerRoutes(app: FastifyInstance): void {
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
  app.route({
    method: ['POST', 'GET'],
    url: '/hooks/resume/:token',
    logLevel: 'warn',
    exposeHeadRoute: false,
    helmet: false,
    config,
    handler: async (request, reply) => {
      enforceRateLimit(request);
      const { token } = request.params as { token: string };
      const result = await hooks.resumeFromCallback(token, request.method === 'GET' ? (request.query ?? {}) : (request.body ?? null));
      if (result.outcome === 'unknown') throw new AppError(RunErrors.RUN_CALLBACK_NOT_FOUND, 'No waiting run has this callback address, or it expired or was used');
      if (result.outcome === 'not-waiting') throw new AppError(RunErrors.RUN_NOT_WAITING, 'The run no longer waits for this callback', { runId: result.runId });
      return reply.status(202).type('application/json; charset=utf-8').send(JSON.stringify({ runId: result.runId, status: 'resumed' }));
    },
  });
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
  if (result.runId !== undefined) reply.header('x-weft-run-id', result.runId);
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
