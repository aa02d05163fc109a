import type { IncomingHttpHeaders } from 'node:http';
import { AppError, CoreErrors, httpStatusForCode } from '@weft/kernel';
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

/** A request under `/hooks/`, whichever server received it. */
export interface IncomingWebhook {
  method: string;
  /** Path and query, starting with `/hooks/`. */
  url: string;
  headers: IncomingHttpHeaders;
  ip: string;
  /** The exact bytes received; undefined when the request has no body. */
  rawBody: Buffer | undefined;
}

/** Never handed to a run: they would end up in the execution log. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];
const EMPTY_BODY = Buffer.alloc(0);
/** The methods a trigger may accept; `/hooks/resume/:token` takes POST and GET. */
export const HOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Everything a webhook request means, from bytes to reply: finding the
 * trigger in memory, the rate limit, method, content type and auth checks,
 * parsing the body, and starting the run. Refusals come back as error
 * replies; only unexpected failures are thrown. Both the fast lane on
 * node:http and the Fastify routes (app.inject) hand their requests here,
 * so they answer alike.
 */
export function createWebhookRequests(hooks: HookDependencies, options: HookRoutesOptions = {}) {
  const limit = options.rateLimit ?? { max: 6000, timeWindowMs: 60_000 };
  const limiter = limit === false ? null : createWebhookRateLimit(limit.max, limit.timeWindowMs);

  async function answerTrigger(request: IncomingWebhook, entry: WebhookTriggerEntry | undefined, query: Record<string, string | string[]>): Promise<WebhookReply> {
    if (!entry) return refuse(new AppError(RunErrors.WEBHOOK_NOT_FOUND, 'No webhook at this address'));
    if (entry.method !== request.method) {
      return refuse(new AppError(RunErrors.WEBHOOK_METHOD_NOT_ALLOWED, `This webhook accepts ${entry.method} only`), { allow: entry.method });
    }
    const kind = readContentKind(request.headers['content-type']);
    const found = hooks.acceptedContent(entry);
    // Usually known from the compiled graph in memory: no await on the hot path.
    const accepted = found instanceof Promise ? await found : found;
    if (kind !== undefined && (kind === 'other' || (accepted !== undefined && !accepted.includes(kind)))) {
      return refuse(
        new AppError(CoreErrors.UNSUPPORTED_MEDIA_TYPE, `This webhook accepts ${accepted === undefined ? 'json, form or text' : accepted.join(', ')} bodies`, {
          contentType: request.headers['content-type'],
        }),
      );
    }
    const auth = entry.auth as WebhookAuth;
    if (auth.type !== 'none') {
      const signed = { headers: request.headers, rawBody: request.rawBody ?? EMPTY_BODY, nowSeconds: Math.floor(Date.now() / 1000) };
      try {
        await verifyWebhookRequest(auth, signed, hooks.loadSecret(entry));
      } catch (error) {
        if (error instanceof AppError) return refuse(error);
        throw error;
      }
    }
    const body = parseBody(kind, request.rawBody);
    if (body instanceof AppError) return refuse(body);
    return hooks.runs.startWebhookRun(entry, { body, query, headers: withoutCredentials(request.headers), method: request.method });
  }

  async function answerCallback(request: IncomingWebhook, token: string, query: Record<string, string | string[]>): Promise<WebhookReply> {
    let payload: unknown = query;
    if (request.method !== 'GET') {
      const kind = readContentKind(request.headers['content-type']);
      const body = kind === 'other' ? null : parseBody(kind, request.rawBody);
      if (body instanceof AppError) return refuse(body);
      payload = body;
    }
    const result = await hooks.resumeFromCallback(token, payload);
    if (result.outcome === 'unknown') {
      return refuse(new AppError(RunErrors.RUN_CALLBACK_NOT_FOUND, 'No waiting run has this callback address, or it expired or was used'));
    }
    if (result.outcome === 'not-waiting') {
      return refuse(new AppError(RunErrors.RUN_NOT_WAITING, 'The run no longer waits for this callback', { runId: result.runId }));
    }
    return { status: 202, body: { runId: result.runId, status: 'resumed' } };
  }

  return {
    async answer(request: IncomingWebhook): Promise<WebhookReply> {
      const queryStart = request.url.indexOf('?');
      const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
      const query = parseQuery(queryStart === -1 ? '' : request.url.slice(queryStart + 1));
      const route = matchHookRoute(request.method, path);
      if (route === undefined) {
        return refuse(new AppError(CoreErrors.ROUTE_NOT_FOUND, `No route for ${request.method} ${path}`));
      }
      const retryAfterSeconds = limiter?.takeToken(request.ip, Date.now()) ?? 0;
      if (retryAfterSeconds > 0) {
        return refuse(new AppError(CoreErrors.RATE_LIMITED, 'Too many requests to this webhook address, slow down', { retryAfterSeconds }), {
          'retry-after': String(retryAfterSeconds),
        });
      }
      if (route.kind === 'callback') return answerCallback(request, route.token, query);
      const pending = hooks.directory.whenCurrent();
      if (pending) await pending;
      const entry = route.kind === 'trigger-id' ? hooks.directory.findById(route.triggerId) : hooks.directory.findByPath(route.workspaceSlug, route.path);
      return answerTrigger(request, entry, query);
    },
  };
}

export type WebhookRequests = ReturnType<typeof createWebhookRequests>;

type HookRoute =
  | { kind: 'callback'; token: string }
  | { kind: 'trigger-id'; triggerId: string }
  | { kind: 'path'; workspaceSlug: string; path: string };

/**
 * The three address shapes, with the precedence Fastify's router gave them:
 * `/hooks/resume/:token` (POST and GET), `/hooks/t/:triggerId`, then
 * `/hooks/:workspaceSlug/*`.
 */
function matchHookRoute(method: string, path: string): HookRoute | undefined {
  const rest = path.slice('/hooks/'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const first = decodeSegment(rest.slice(0, slash));
  const remainder = decodeSegment(rest.slice(slash + 1));
  if (first === undefined || remainder === undefined) return undefined;
  const isSingleSegment = remainder.length > 0 && !remainder.includes('/');
  if (first === 'resume' && isSingleSegment && (method === 'POST' || method === 'GET')) return { kind: 'callback', token: remainder };
  if (first === 't' && isSingleSegment) return { kind: 'trigger-id', triggerId: remainder };
  return { kind: 'path', workspaceSlug: first, path: remainder };
}

function decodeSegment(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** A refusal in the API's error shape, with the status its code means. */
function refuse(error: AppError, headers?: Record<string, string>): WebhookReply {
  return {
    status: httpStatusForCode(error.code),
    error: { code: error.code, message: error.message, details: error.details ?? {} },
    ...(headers ? { headers } : {}),
  };
}

/** The kind of body a request declares; undefined for one with no content type. */
function readContentKind(type: string | undefined): ContentKind | 'other' | undefined {
  if (type === undefined) return undefined;
  // Nearly every caller sends exactly this: no split, trim and lower-casing per request (2 % of W1's CPU).
  if (type === 'application/json') return 'json';
  const essence = type.split(';')[0]!.trim().toLowerCase();
  if (essence === 'application/json' || /^application\/([\w.+-]+\+)?json$/.test(essence)) return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  if (essence === 'text/plain') return 'text';
  return 'other';
}

function parseBody(kind: ContentKind | 'other' | undefined, raw: Buffer | undefined): unknown {
  if (raw === undefined || raw.length === 0 || kind === undefined || kind === 'other') return null;
  const text = raw.toString('utf8');
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(text));
  if (kind === 'text') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return new AppError(CoreErrors.MALFORMED_JSON, 'Body is not valid JSON');
  }
}

/** `a=1&a=2&b=x` → `{ a: ['1', '2'], b: 'x' }`, as Fastify's query parser gives it. */
function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (search.length === 0) return query;
  for (const [name, value] of new URLSearchParams(search)) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[name] = [existing, value];
  }
  return query;
}

function withoutCredentials(headers: IncomingHttpHeaders): WebhookPayload['headers'] {
  // Most requests carry none: node's own object is handed on rather than copied key by key.
  if (!CREDENTIAL_HEADERS.some((name) => headers[name] !== undefined)) return headers;
  const kept: WebhookPayload['headers'] = {};
  for (const name in headers) {
    if (!CREDENTIAL_HEADERS.includes(name)) kept[name] = headers[name];
  }
  return kept;
}
