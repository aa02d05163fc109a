import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '@weft/kernel';
import { createHttpApp, type HttpAppOptions } from './create-http-app';
import { writeJson } from './fast-lanes';

const logger = createLogger({ level: 'silent', format: 'json' });
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app on a real socket with one lane under /fast/ that answers who asked, and a Fastify route beside it. */
async function startApp(options: Partial<HttpAppOptions> = {}, handle?: () => Promise<void>): Promise<string> {
  app = await createHttpApp({ logger, bodyLimitBytes: 1024, rateLimitPerMinute: 1_000_000, ...options });
  app.fastLanes.add({
    prefix: '/fast/',
    methods: ['POST', 'GET'],
    handle:
      handle ??
      (async ({ url, ip, requestId }, response) => {
        writeJson(response, 200, { url, ip, requestId }, requestId);
      }),
  });
  app.get('/fast/fastify-only', async () => ({ lane: false }));
  app.get('/slow', async () => ({ lane: false }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return address;
}

describe('fast lanes', () => {
  it('answers matching requests before Fastify, with a request id, and leaves the rest to Fastify', async () => {
    const base = await startApp();
    const fast = await fetch(`${base}/fast/a?b=1`);
    expect(fast.status).toBe(200);
    const body = (await fast.json()) as { url: string; ip: string; requestId: string };
    expect(body).toMatchObject({ url: '/fast/a?b=1', ip: '127.0.0.1' });
    expect(fast.headers.get('x-request-id')).toBe(body.requestId);
    // Fastify's own route and its not-found handler still answer what the lane does not take.
    expect(await (await fetch(`${base}/slow`)).json()).toEqual({ lane: false });
    const other = await fetch(`${base}/fast/a`, { method: 'DELETE' });
    expect([other.status, ((await other.json()) as { error: { code: string } }).error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    // app.inject() never reaches the lane: it goes through Fastify.
    expect((await app!.inject({ method: 'GET', url: '/fast/fastify-only' })).json()).toEqual({ lane: false });
  });

  it('reads the client address with the same proxy trust as Fastify', async () => {
    const base = await startApp({ trustProxy: ['127.0.0.1'] });
    const viaProxy = await fetch(`${base}/fast/ip`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(((await viaProxy.json()) as { ip: string }).ip).toBe('203.0.113.7');
    await app!.close();
    const untrusted = await startApp({ trustProxy: 2 });
    const spoofed = await fetch(`${untrusted}/fast/ip`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    // A hop count alone cannot vouch for the peer (Fastify fails closed too).
    expect(((await spoofed.json()) as { ip: string }).ip).toBe('127.0.0.1');
  });

  it('applies the app URL rewrite before matching', async () => {
    const base = await startApp({ rewriteUrl: (request) => (request.headers.host?.toString().startsWith('hooks.') ? `/fast${request.url}` : (request.url ?? '/')) });
    // fetch() may not set Host: a plain node:http request can.
    const body = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(`${base}/x`, { headers: { host: 'hooks.local' } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      });
      request.on('error', reject);
      request.end();
    });
    expect((JSON.parse(body) as { url: string }).url).toBe('/fast/x');
  });

  it('turns a failing handler into a 500 in the API error shape, without details', async () => {
    const base = await startApp({}, () => Promise.reject(new Error('database password is hunter2')));
    const reply = await fetch(`${base}/fast/boom`);
    expect(reply.status).toBe(500);
    const body = (await reply.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error).toMatchObject({ code: 'INTERNAL', message: 'Something went wrong on our side' });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(reply.headers.get('x-request-id')).toBe(body.error.requestId);
  });
});
