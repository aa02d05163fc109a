import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '@weft/http';
import { readRequestBody } from './webhook-lane';
import { buildTestNode, buildW1Graph, createRunsHarness, linkTestNodes, silentLogger, type RunsHarness } from './test-fixtures/runs-harness';

/**
 * The webhook fast lane on a real socket answers as the Fastify routes do
 * through app.inject(): same bodies, statuses, headers and error shapes.
 */
let h: RunsHarness;
let base: string;
beforeAll(async () => {
  h = await createRunsHarness();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  await h.publishWorkflow(buildW1Graph('lane-w1'), { savingPolicy: 'failed' });
  await h.publishWorkflow(
    {
      nodes: [
        buildTestNode('hook', 'trigger.webhook', { path: 'echo', method: 'POST' }),
        buildTestNode('reply', 'respond', { status: 201, body: '{{ { "body": $input.body, "query": $input.query } }}', headers: { 'X-Echo': 'yes' } }),
      ],
      edges: [linkTestNodes('hook', 'reply')],
    },
    { savingPolicy: 'none' },
  );
});
afterAll(async () => {
  await h.close();
});

function send(path: string, init: RequestInit = {}) {
  return fetch(`${base}/hooks/${path}`, init);
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the webhook fast lane', () => {
  it('runs W1 and names the request and the run in headers', async () => {
    const reply = await send('alpha/lane-w1', json({ a: 41, name: 'bob' }));
    expect(reply.status).toBe(200);
    expect(await reply.text()).toBe('{"sum":42,"greeting":"hi bob"}');
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers.get('x-weft-run-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('parses query strings, JSON, forms and text exactly as the Fastify routes do', async () => {
    const requests: { url: string; type: string; payload: string }[] = [
      { url: 'alpha/echo?a=1&a=2&b=x%20y', type: 'application/json', payload: '{"n":[1,2]}' },
      { url: 'alpha/echo', type: 'application/x-www-form-urlencoded', payload: 'name=ada&city=Paris' },
      { url: 'alpha/echo', type: 'text/plain; charset=utf-8', payload: 'hello' },
      { url: 'alpha/echo', type: 'application/vnd.api+json', payload: '{"data":{}}' },
    ];
    for (const { url, type, payload } of requests) {
      const lane = await send(url, { method: 'POST', headers: { 'content-type': type }, body: payload });
      const injected = await h.app.inject({ method: 'POST', url: `/hooks/${url}`, headers: { 'content-type': type }, payload });
      const body = await lane.json();
      expect([lane.status, lane.headers.get('x-echo')], url).toEqual([201, 'yes']);
      expect(body).toEqual(injected.json());
    }
    const first = await send('alpha/echo?a=1&a=2&b=x%20y', json({ n: 1 }));
    expect(await first.json()).toEqual({ body: { n: 1 }, query: { a: ['1', '2'], b: 'x y' } });
  });

  it('refuses what the routes refuse, in the API error shape', async () => {
    const cases: { path: string; init: RequestInit; status: number; code: string }[] = [
      { path: 'alpha/nothing-here', init: json({}), status: 404, code: 'WEBHOOK_NOT_FOUND' },
      { path: 'alpha/lane-w1', init: { method: 'GET' }, status: 405, code: 'WEBHOOK_METHOD_NOT_ALLOWED' },
      { path: 'alpha/lane-w1', init: { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { path: 'alpha/lane-w1', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' }, status: 400, code: 'MALFORMED_JSON' },
      { path: 'resume/not-a-token', init: json({}), status: 404, code: 'RUN_CALLBACK_NOT_FOUND' },
    ];
    for (const { path, init, status, code } of cases) {
      const reply = await send(path, init);
      const body = (await reply.json()) as { error: { code: string; requestId: string } };
      expect([reply.status, body.error.code], path).toEqual([status, code]);
      expect(body.error.requestId).toBe(reply.headers.get('x-request-id'));
      const injected = await h.app.inject({ method: (init.method ?? 'GET') as 'GET', url: `/hooks/${path}`, headers: init.headers as Record<string, string>, payload: init.body as string });
      expect(injected.statusCode, path).toBe(status);
    }
    expect((await send('alpha/lane-w1', { method: 'GET' })).headers.get('allow')).toBe('POST');
  });

  it('answers 413 above the body limit without reading the rest', async () => {
    const reply = await send('alpha/lane-w1', json({ a: 1, name: 'x'.repeat(1_100_000) }));
    expect(reply.status).toBe(413);
    expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('leaves HEAD to Fastify, which has no webhook route for it', async () => {
    const reply = await send('alpha/lane-w1', { method: 'HEAD' });
    expect(reply.status).toBe(404);
  });
});

describe('the fast lane rate limit', () => {
  let app: FastifyInstance;
  afterAll(async () => {
    await app.close();
  });

  it('limits per client address with a Retry-After', async () => {
    app = await createHttpApp({ logger: silentLogger, bodyLimitBytes: 65_536, rateLimitPerMinute: 1_000_000 });
    h.runs.registerHookRoutes(app, { rateLimit: { max: 2, timeWindowMs: 60_000 } });
    const limited = await app.listen({ port: 0, host: '127.0.0.1' });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await fetch(`${limited}/hooks/alpha/lane-w1`, json({ a: 1, name: 'x' }));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });
});

describe('a client that hangs up mid-body', () => {
  it('ends the body read with a refusal instead of waiting for an end that never comes', async () => {
    const request = new IncomingMessage(new Socket());
    request.headers = { 'content-length': '100', 'content-type': 'application/json' };
    const reading = readRequestBody(request, 1_000);
    request.push(Buffer.from('{"a":'));
    request.destroy();
    await expect(reading).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
