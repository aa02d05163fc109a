import { setTimeout as wait } from 'node:timers/promises';
import { AppError } from '@weft/kernel';
import { z } from 'zod';
import { defineNode } from '../define-node';
import { EngineErrors } from '../engine.errors';
import { requireService, type HttpResponse, type HttpService } from '../node-services';
import { HTTP_AUTH_TYPES, planHttpAuth, type HttpAuthPlan, type HttpAuthType } from './http/http-auth';
import { copyHeaders, describeTarget, parseResponseBody, readRetryAfter } from './http/http-response';
import { createOAuth2TokenCache, type OAuth2TokenCache } from './http/oauth2-token-cache';

const MIB = 1024 * 1024;
const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const FieldValue = z.union([Scalar, z.array(Scalar)]);
/** RFC 9110 §5.1 token characters. */
const HeaderName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,200}$/, 'is not a valid header name');

const RequestBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('json'), value: z.unknown().describe('Any JSON, templates included') }),
  z.object({ type: z.literal('form'), fields: z.record(z.string().min(1), FieldValue).describe('Sent as application/x-www-form-urlencoded') }),
  z.object({
    type: z.literal('raw'),
    content: z.string().max(10 * MIB).describe('The body as text, or base64 with encoding "base64"'),
    contentType: z.string().min(1).max(200).default('text/plain; charset=utf-8'),
    encoding: z.enum(['utf8', 'base64']).default('utf8'),
  }),
]);

export const HttpRequestParams = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET').describe('HTTP method'),
    url: z.url({ protocol: /^https?$/ }).max(8192).describe('http(s) URL; the host refuses private and loopback targets unless it allows them'),
    query: z.record(z.string().min(1).max(200), FieldValue).optional().describe('Added to the URL; a list repeats the parameter'),
    headers: z.record(HeaderName, z.string().max(8192)).optional().describe('Request headers; names are sent in lower case'),
    body: RequestBody.default({ type: 'none' }).describe('none, json, form or raw'),
    auth: z
      .enum(['none', ...HTTP_AUTH_TYPES])
      .default('none')
      .describe('Uses the node credential of that type; its header wins over one set in headers'),
    timeoutMs: z.number().int().min(1).max(300_000).default(30_000).describe('Per request, redirects included'),
    retries: z.number().int().min(0).max(10).default(2).describe('Further tries after a 429 or 5xx reply'),
    maxRetryDelayMs: z
      .number()
      .int()
      .min(0)
      .max(300_000)
      .default(30_000)
      .describe('Longest wait between tries; a Retry-After asking for more ends the retries'),
    maxResponseBytes: z.number().int().min(1).max(50 * MIB).default(10 * MIB).describe('Larger responses fail the step'),
    maxRedirects: z.number().int().min(0).max(10).default(5).describe('0 returns a 3xx response as it is'),
    responseFormat: z.enum(['auto', 'json', 'text', 'binary']).default('auto').describe('binary gives the body as base64'),
    failOnStatus: z.boolean().default(true).describe('Fail the step when the final status is 4xx or 5xx'),
    sendIdempotencyKey: z.boolean().default(false).describe('Send Idempotency-Key: the same on every retry and resume of this step'),
  })
  .refine((params) => !(['GET', 'HEAD'].includes(params.method) && params.body.type !== 'none'), {
    message: 'GET and HEAD requests carry no body',
    path: ['body'],
  });
export type HttpRequestParams = z.infer<typeof HttpRequestParams>;

export interface HttpRequestOutput {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: unknown;
}

/** One per process: tokens are reused across runs until they near expiry. */
const oauth2Tokens: OAuth2TokenCache = createOAuth2TokenCache({ maxEntries: 500 });

/** The first retry waits about a second; each further one twice as long, jittered, below the cap. */
const BASE_RETRY_DELAY_MS = 1000;

function buildUrl(params: HttpRequestParams, auth: HttpAuthPlan | undefined, nodeId: string): string {
  let url: URL;
  try {
    url = new URL(params.url);
  } catch {
    throw new AppError(EngineErrors.ENGINE_HTTP_URL_INVALID, `Node ${nodeId} has an invalid URL`, { nodeId });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(EngineErrors.ENGINE_HTTP_URL_INVALID, `Node ${nodeId} can only call http(s) URLs`, { nodeId });
  }
  for (const [name, value] of Object.entries(params.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
  for (const [name, value] of auth?.query ?? []) url.searchParams.set(name, value);
  return url.toString();
}

function buildBody(body: HttpRequestParams['body']): { content: Buffer | string | undefined; contentType?: string } {
  switch (body.type) {
    case 'none':
      return { content: undefined };
    case 'json':
      return { content: JSON.stringify(body.value ?? null), contentType: 'application/json' };
    case 'form': {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(body.fields)) {
        for (const item of Array.isArray(value) ? value : [value]) form.append(name, String(item));
      }
      return { content: form.toString(), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'raw':
      return { content: body.encoding === 'base64' ? Buffer.from(body.content, 'base64') : body.content, contentType: body.contentType };
  }
}

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The delay before try `retry` (1-based), or undefined when the server asks for longer than allowed. */
function findRetryDelay(response: HttpResponse, retry: number, maxDelayMs: number): number | undefined {
  const asked = readRetryAfter(response.headers);
  if (asked !== undefined) return asked <= maxDelayMs ? asked : undefined;
  return Math.floor(Math.random() * Math.min(maxDelayMs, BASE_RETRY_DELAY_MS * 2 ** (retry - 1)));
}

/** Calls an HTTP API through the host's egress client; see README for auth, retries and parsing. */
export const httpRequestNode = defineNode({
  type: 'http.request',
  version: 1,
  name: 'HTTP request',
  description: 'Calls an HTTP API: query, headers, JSON/form/raw body, credential auth, retries on 429/5xx, parsed response.',
  kind: 'action',
  params: HttpRequestParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  credentialTypes: HTTP_AUTH_TYPES,
  // Read as stored, so the auth mode cannot be a template: validation must know which credential to check.
  rawParams: ['auth'],
  selectCredentialType: (params) => HTTP_AUTH_TYPES.find((type) => type === params.auth),
  async run({ nodeId, params, services, credentials, signal, sleep, idempotencyKey }) {
    const http = requireService<HttpService>(services, 'http', 'http.request');
    const auth = params.auth === 'none' ? undefined : planHttpAuth(params.auth as HttpAuthType, await credentials.get(), nodeId);
    const url = buildUrl(params, auth, nodeId);
    const { content, contentType } = buildBody(params.body);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(params.headers ?? {})) headers[name.toLowerCase()] = value;
    if (contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = contentType;
    if (params.sendIdempotencyKey) headers['idempotency-key'] = idempotencyKey;
    Object.assign(headers, auth?.headers);
    const pause = sleep ?? ((ms: number) => wait(ms, undefined, { signal }));

    const send = async (): Promise<HttpResponse> => {
      if (auth?.oauth2 !== undefined) headers.authorization = `Bearer ${await oauth2Tokens.getToken(auth.oauth2, http, signal)}`;
      const request = { method: params.method, url, headers: { ...headers }, body: content, timeoutMs: params.timeoutMs };
      return http.request({ ...request, maxResponseBytes: params.maxResponseBytes, maxRedirects: params.maxRedirects, signal });
    };
    let response = await send();
    if (response.status === 401 && auth?.oauth2 !== undefined) {
      // The token may have been revoked before its expiry: fetch a new one, once.
      oauth2Tokens.forgetToken(auth.oauth2);
      response = await send();
    }
    for (let retry = 1; retry <= params.retries && isRetryable(response.status); retry++) {
      const delay = findRetryDelay(response, retry, params.maxRetryDelayMs);
      if (delay === undefined) break;
      await pause(delay);
      response = await send();
    }

    if (response.body.length > params.maxResponseBytes) {
      const message = `The response to node ${nodeId} exceeds ${params.maxResponseBytes} bytes`;
      throw new AppError(EngineErrors.ENGINE_HTTP_RESPONSE_TOO_LARGE, message, { nodeId });
    }
    const output: HttpRequestOutput = {
      status: response.status,
      headers: copyHeaders(response.headers),
      body: params.method === 'HEAD' ? null : parseResponseBody(response, params.responseFormat, nodeId),
    };
    if (params.failOnStatus && response.status >= 400) {
      const message = `${params.method} ${describeTarget(url)} answered ${response.status}`;
      throw new AppError(EngineErrors.ENGINE_HTTP_STATUS, message, { nodeId, status: response.status, body: previewBody(output.body) });
    }
    return { output };
  },
});

/** Enough of an error reply to see why, not a whole page. */
function previewBody(body: unknown): unknown {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text === undefined || text.length <= 2048) return body;
  return `${text.slice(0, 2048)}…`;
}
