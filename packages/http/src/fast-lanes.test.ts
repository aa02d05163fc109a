import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '@weft/kernel';
import { createHttpApp, type HttpAppOptions } from './create-http-app';
import { writeJson, type FastLane } from './fast-lanes';

const logger = createLogger({ level: 'silent', format: 'json' });
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app on a real socket with one lane under /fast/ that answers who asked, and a Fastify route beside it. */
async function startApp(options: Partial<HttpAppOptions> = {}, handle?: FastLane['handle']): Promise<string> {
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

  it('sends the replies of a burst together, each to its own request, in order on a pipelined connection', async () => {
    const base = await startApp();
    const burst = await Promise.all(Array.from({ length: 80 }, (_, index) => fetch(`${base}/fast/burst-${index}`, { method: 'POST' })));
    const urls = await Promise.all(burst.map(async (reply) => ((await reply.json()) as { url: string }).url));
    expect(urls).toEqual(Array.from({ length: 80 }, (_, index) => `/fast/burst-${index}`));
    // Two requests in one write on one socket: the replies come back in the order asked.
    const { port } = new URL(base);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('GET /fast/first HTTP/1.1\r\nHost: x\r\n\r\nGET /fast/second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw.indexOf('/fast/first')).toBeGreaterThan(0);
    expect(raw.indexOf('/fast/second')).toBeGreaterThan(raw.indexOf('/fast/first'));
    expect(raw.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
  });

  it('still answers the others when a client hangs up before its reply leaves', async () => {
    const base = await startApp({}, async ({ raw, url, requestId }, response) => {
      // The client is gone between the reply being made and being sent.
      if (url.endsWith('/gone')) raw.socket.destroy();
      writeJson(response, 200, { url }, requestId);
    });
    const [gone, kept] = await Promise.allSettled([fetch(`${base}/fast/gone`), fetch(`${base}/fast/kept`)]);
    expect(gone.status).toBe('rejected');
    expect(kept.status === 'fulfilled' && ((await kept.value.json()) as { url: string }).url).toBe('/fast/kept');
    expect(((await (await fetch(`${base}/fast/after`)).json()) as { url: string }).url).toBe('/fast/after');
  });

  it('answers 500 when a handler sets a header node cannot send, before anything is written', async () => {
    const base = await startApp({}, async ({ requestId }, response) => {
      writeJson(response, 200, { ok: true }, requestId, { 'x-bad': 'line\nbreak' });
    });
    const reply = await fetch(`${base}/fast/bad-header`);
    expect(reply.status).toBe(500);
    expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
  });

  it('sends a reply at the end of the event-loop turn it was made in', async () => {
    const seen: boolean[] = [];
    const base = await startApp({}, async ({ url, requestId }, response) => {
      writeJson(response, 200, { url }, requestId);
      seen.push(response.writableEnded);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(response.writableEnded);
    });
    expect((await fetch(`${base}/fast/turn`)).status).toBe(200);
    expect(seen).toEqual([false, true]);
  });
});
