import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, HttpService } from '../node-services';
import { validateGraph } from '../validate-graph';
import { buildNode, linkNodes, runAfterTrigger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';
import { HttpRequestParams } from './http-request.node';

type Reply = Partial<Omit<HttpResponse, 'body'>> & { body?: Buffer | string | object };

/** A stand-in for the host's egress client: records every request and answers from a script. */
function createFakeHttp(answer: (request: HttpRequest, index: number) => Reply) {
  const calls: HttpRequest[] = [];
  const http = {
    request(request: HttpRequest): Promise<HttpResponse> {
      calls.push(request);
      const reply = answer(request, calls.length - 1);
      const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      return Promise.resolve({ status: 200, headers: {}, url: request.url, ...reply, body });
    },
  };
  return { calls, http };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function runHttp(params: Record<string, unknown>, http: HttpService, extra: { credential?: Record<string, unknown>; input?: unknown; sleeps?: number[] } = {}) {
  const node = buildNode('call', 'http.request', params, extra.credential ? { credentialId: 'cred-1' } : {});
  return runAfterTrigger(node, extra.input ?? {}, {
    services: { http },
    credentials: () => Promise.resolve(extra.credential ?? {}),
    sleep: (ms) => (extra.sleeps?.push(ms), Promise.resolve()),
  });
}

describe('http.request: request building', () => {
  it('sends method, URL with query, headers and limits, and outputs { status, headers, body } with JSON parsed', async () => {
    const { calls, http } = createFakeHttp(() => ({ status: 201, headers: { ...JSON_HEADERS, 'set-cookie': ['a=1', 'b=2'] }, body: { id: 9 } }));
    const outcome = await runHttp(
      {
        method: 'POST',
        url: 'https://api.example.com/items?fixed=1',
        query: { tag: ['a', 'b'], page: '{{ page }}' },
        headers: { 'X-Trace': 'run {{ page }}' },
        body: { type: 'json', value: { name: '{{ name }}', page: '{{ page }}' } },
        timeoutMs: 5000,
        maxResponseBytes: 1000,
        maxRedirects: 0,
      },
      http,
      { input: { page: 2, name: 'ada' } },
    );
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[1]!.output).toEqual({ status: 201, headers: { 'content-type': 'application/json; charset=utf-8', 'set-cookie': ['a=1', 'b=2'] }, body: { id: 9 } });
    const [request] = calls;
    expect(request).toMatchObject({
      method: 'POST',
      url: 'https://api.example.com/items?fixed=1&tag=a&tag=b&page=2',
      headers: { 'x-trace': 'run 2', 'content-type': 'application/json' },
      body: '{"name":"ada","page":2}',
      timeoutMs: 5000,
      maxResponseBytes: 1000,
      maxRedirects: 0,
    });
    expect(request!.signal).toBeInstanceOf(AbortSignal);
  });

  it('encodes form and raw bodies, keeping a content type the user set', async () => {
    const { calls, http } = createFakeHttp(() => ({}));
    await runHttp({ method: 'POST', url: 'https://x.test/f', body: { type: 'form', fields: { q: 'a b&c', n: [1, 2] } } }, http);
    expect(calls[0]).toMatchObject({ body: 'q=a+b%26c&n=1&n=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await runHttp({ method: 'PUT', url: 'https://x.test/r', headers: { 'Content-Type': 'image/png' }, body: { type: 'raw', content: 'iVBORw==', encoding: 'base64' } }, http);
    expect(calls[1]!.headers['content-type']).toBe('image/png');
    expect(calls[1]!.body).toEqual(Buffer.from('iVBORw==', 'base64'));
  });

  it('sends an idempotency key stable across attempts when asked', async () => {
    const { calls, http } = createFakeHttp(() => ({}));
    await runHttp({ method: 'POST', url: 'https://x.test/pay', sendIdempotencyKey: true }, http);
    expect(calls[0]!.headers['idempotency-key']).toBe('test-run:call');
  });

  it('refuses a body on GET, a non-http URL and an auth mode without credential', () => {
    expect(HttpRequestParams.safeParse({ url: 'https://x.test', body: { type: 'json', value: 1 } }).success).toBe(false);
    expect(HttpRequestParams.safeParse({ url: 'file:///etc/passwd' }).success).toBe(false);
    const graph = {
      nodes: [buildNode('start', 'trigger.manual'), buildNode('call', 'http.request', { url: 'https://x.test', auth: 'bearer-token' })],
      edges: [linkNodes('start', 'call')],
    };
    expect(validateGraph(graph, createCoreNodeRegistry())).toEqual([expect.objectContaining({ code: 'missing_credential', nodeId: 'call', message: expect.stringContaining('bearer-token') })]);
  });

  it('fails before any request when a template yields a non-http URL', async () => {
    const { calls, http } = createFakeHttp(() => ({}));
    const outcome = await runHttp({ url: '{{ target }}' }, http, { input: { target: 'ftp://x.test/file' } });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_PARAMS_INVALID' } });
    expect(calls).toEqual([]);
  });
});

describe('http.request: auth from the node credential', () => {
  it('puts an API key in a header (vault fields) or in the query (short fields), and asks for the right type', async () => {
    const { calls, http } = createFakeHttp(() => ({}));
    const types: (string | undefined)[] = [];
    const node = buildNode('call', 'http.request', { url: 'https://x.test/a', auth: 'api-key' }, { credentialId: 'k' });
    await runAfterTrigger(node, {}, {
      services: { http },
      credentials: (_node, type) => (types.push(type), Promise.resolve({ placement: 'header', name: 'X-Key', prefix: 'Token ', key: 'k-123' })),
    });
    expect(types).toEqual(['api-key']);
    expect(calls[0]!.headers['x-key']).toBe('Token k-123');
    await runHttp({ url: 'https://x.test/a?x=1', auth: 'api-key' }, http, { credential: { queryParam: 'apikey', key: 'k-456' } });
    expect(calls[1]!.url).toBe('https://x.test/a?x=1&apikey=k-456');
  });

  it('sends Basic (RFC 7617) and Bearer (RFC 6750) authorization, overriding a header set by hand', async () => {
    const { calls, http } = createFakeHttp(() => ({}));
    await runHttp({ url: 'https://x.test', auth: 'basic-auth', headers: { Authorization: 'nope' } }, http, { credential: { username: 'ada', password: 'pässword' } });
    expect(calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ada:pässword').toString('base64')}`);
    await runHttp({ url: 'https://x.test', auth: 'bearer-token' }, http, { credential: { token: 't-1' } });
    expect(calls[1]!.headers.authorization).toBe('Bearer t-1');
  });

  it('fails naming the missing fields, never their values, when the credential does not fit', async () => {
    const { calls, http } = createFakeHttp(() => ({}));
    const outcome = await runHttp({ url: 'https://x.test', auth: 'basic-auth' }, http, { credential: { user: 'ada', secret: 'hunter22' } });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_CREDENTIAL_INVALID', message: expect.stringContaining('username') } });
    expect(JSON.stringify(outcome.error)).not.toContain('hunter22');
    expect(calls).toEqual([]);
  });

  it('fetches an OAuth2 client-credentials token once, reuses it across runs, and renews it after a 401', async () => {
    const credential = { tokenUrl: 'https://auth.test/token', clientId: 'app', clientSecret: 's3cret', scope: 'read write' };
    let issued = 0;
    let isRevoked = false;
    const { calls, http } = createFakeHttp((request) => {
      if (request.url === credential.tokenUrl) return { headers: JSON_HEADERS, body: { access_token: `tok-${++issued}`, token_type: 'Bearer', expires_in: 3600 } };
      if (isRevoked && request.headers.authorization === 'Bearer tok-1') return { status: 401 };
      return { headers: JSON_HEADERS, body: { seen: request.headers.authorization } };
    });
    const first = await runHttp({ url: 'https://api.test/me', auth: 'oauth2-client-credentials' }, http, { credential });
    const second = await runHttp({ url: 'https://api.test/me', auth: 'oauth2-client-credentials' }, http, { credential });
    expect([first.steps[1]!.output, second.steps[1]!.output]).toMatchObject([{ body: { seen: 'Bearer tok-1' } }, { body: { seen: 'Bearer tok-1' } }]);
    const tokenCall = calls.find((call) => call.url === credential.tokenUrl)!;
    expect(tokenCall).toMatchObject({ method: 'POST', maxRedirects: 0, headers: { authorization: `Basic ${Buffer.from('app:s3cret').toString('base64')}` } });
    expect(new URLSearchParams(tokenCall.body as string).toString()).toBe('grant_type=client_credentials&scope=read+write');
    isRevoked = true;
    const third = await runHttp({ url: 'https://api.test/me', auth: 'oauth2-client-credentials' }, http, { credential });
    expect(third.steps[1]!.output).toMatchObject({ status: 200, body: { seen: 'Bearer tok-2' } });
    expect(issued).toBe(2);
  });

  it('fails clearly when the token endpoint refuses', async () => {
    const { http } = createFakeHttp(() => ({ status: 400, headers: JSON_HEADERS, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }));
    const credential = { tokenUrl: 'https://auth.test/token', clientId: 'other', clientSecret: 'bad-secret' };
    const outcome = await runHttp({ url: 'https://api.test/me', auth: 'oauth2-client-credentials' }, http, { credential });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_HTTP_AUTH_FAILED', message: expect.stringContaining('invalid_client') } });
    expect(JSON.stringify(outcome.error)).not.toContain('bad-secret');
  });
});

describe('http.request: retries and status', () => {
  it('retries 503 and 429, honouring Retry-After in seconds and as an HTTP date', async () => {
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    const replies: Reply[] = [{ status: 503, headers: { 'retry-after': '3' } }, { status: 429, headers: { 'retry-after': inTwoSeconds } }, { status: 200, body: 'ok' }];
    const { calls, http } = createFakeHttp((_request, index) => replies[index]!);
    const sleeps: number[] = [];
    const outcome = await runHttp({ url: 'https://x.test', retries: 3 }, http, { sleeps });
    expect(outcome.steps[1]!.output).toMatchObject({ status: 200, body: 'ok' });
    expect(calls).toHaveLength(3);
    expect(sleeps[0]).toBe(3000);
    expect(sleeps[1]).toBeGreaterThan(0);
    expect(sleeps[1]).toBeLessThanOrEqual(2000);
  });

  it('backs off exponentially below the cap without Retry-After, then fails with the last status', async () => {
    const { calls, http } = createFakeHttp(() => ({ status: 500, body: 'down' }));
    const sleeps: number[] = [];
    const outcome = await runHttp({ url: 'https://x.test/p?key=abc-secret', retries: 3, maxRetryDelayMs: 1500 }, http, { sleeps });
    expect(calls).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, index) => expect(ms).toBeLessThanOrEqual(Math.min(1500, 1000 * 2 ** index)));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_HTTP_STATUS', message: 'GET https://x.test/p answered 500', details: { status: 500, body: 'down' } } });
    expect(outcome.error!.message).not.toContain('abc-secret');
  });

  it('stops retrying when Retry-After asks for longer than the cap', async () => {
    const { calls, http } = createFakeHttp(() => ({ status: 429, headers: { 'retry-after': '120' } }));
    const outcome = await runHttp({ url: 'https://x.test', retries: 5, maxRetryDelayMs: 60_000 }, http);
    expect(calls).toHaveLength(1);
    expect(outcome.error).toMatchObject({ code: 'ENGINE_HTTP_STATUS', details: { status: 429 } });
  });

  it('does not retry 4xx, and outputs error statuses when failOnStatus is off', async () => {
    const { calls, http } = createFakeHttp(() => ({ status: 404, headers: JSON_HEADERS, body: { error: 'missing' } }));
    const outcome = await runHttp({ url: 'https://x.test', failOnStatus: false }, http);
    expect(calls).toHaveLength(1);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[1]!.output).toMatchObject({ status: 404, body: { error: 'missing' } });
  });
});

describe('http.request: responses', () => {
  it('parses by content type, or as asked: text, binary as base64, strict JSON', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]);
    const cases: [Reply, string, unknown][] = [
      [{ headers: { 'content-type': 'text/html' }, body: '<p>hi</p>' }, 'auto', '<p>hi</p>'],
      [{ headers: { 'content-type': 'application/problem+json' }, body: '{"a":1}' }, 'auto', { a: 1 }],
      [{ headers: JSON_HEADERS, body: 'not json' }, 'auto', 'not json'],
      [{ headers: { 'content-type': 'image/png' }, body: png }, 'auto', png.toString('base64')],
      [{ body: png }, 'auto', png.toString('base64')],
      [{ headers: JSON_HEADERS, body: '{"a":1}' }, 'text', '{"a":1}'],
      [{ headers: { 'content-type': 'text/plain' }, body: 'abc' }, 'binary', 'YWJj'],
      [{ body: '[1,2]' }, 'json', [1, 2]],
    ];
    for (const [reply, responseFormat, body] of cases) {
      const { http } = createFakeHttp(() => reply);
      const outcome = await runHttp({ url: 'https://x.test', responseFormat }, http);
      expect(outcome.steps[1]!.output, `${responseFormat} ${JSON.stringify(reply.headers)}`).toMatchObject({ body });
    }
  });

  it('fails on invalid JSON when JSON is required, and on a body over the limit', async () => {
    const { http } = createFakeHttp(() => ({ body: '{oops' }));
    expect(await runHttp({ url: 'https://x.test', responseFormat: 'json' }, http)).toMatchObject({ error: { code: 'ENGINE_HTTP_RESPONSE_INVALID' } });
    const big = createFakeHttp(() => ({ body: 'x'.repeat(101) }));
    expect(await runHttp({ url: 'https://x.test', maxResponseBytes: 100 }, big.http)).toMatchObject({ error: { code: 'ENGINE_HTTP_RESPONSE_TOO_LARGE' } });
  });

  it('records the input it received when it fails', async () => {
    const { http } = createFakeHttp(() => ({ status: 502 }));
    const outcome = await runHttp({ url: 'https://x.test', retries: 0 }, http, { input: { orderId: 12 } });
    expect(outcome.steps[1]).toMatchObject({ status: 'failed', input: { orderId: 12 } });
  });
});
