import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, createLogger, registerErrorCodes } from '@weft/kernel';
import { createHttpApp } from './create-http-app';
import { defineRoute, type Principal } from './define-route';
import { buildOpenApiDocument } from './openapi';
import { registerRoutes } from './register-routes';

const TestErrors = registerErrorCodes({ TEST_WIDGET_TAKEN: 409 });
const saved: unknown[] = [];

const routes = [
  defineRoute({
    method: 'POST',
    url: '/widgets',
    auth: 'public',
    summary: 'create a widget',
    body: z.object({ name: z.string().min(1).max(20), size: z.number().int().positive() }),
    response: z.object({ id: z.string(), name: z.string() }),
    successStatus: 201,
    handler: ({ body }) => {
      if (body.name === 'taken') throw new AppError(TestErrors.TEST_WIDGET_TAKEN, 'That name is taken', { name: body.name });
      saved.push(body);
      // The extra `secret` must never reach the client: the response schema strips it.
      return { id: 'w1', name: body.name, secret: 's3cr3t' };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/widgets/:id',
    auth: 'user',
    summary: 'read a widget',
    params: z.object({ id: z.uuid() }),
    response: z.object({ id: z.string(), viewer: z.string() }),
    handler: ({ params, principal }) => ({ id: params.id, viewer: principal!.userId }),
  }),
  defineRoute({
    method: 'GET',
    url: '/admin/things',
    auth: 'admin',
    summary: 'admins only',
    response: z.object({ ok: z.boolean() }),
    handler: () => ({ ok: true }),
  }),
  defineRoute({
    method: 'POST',
    url: '/pictures',
    auth: 'public',
    summary: 'a file as the body',
    upload: { contentTypes: ['image/png'], maxBytes: 4096 },
    response: z.object({ bytes: z.number(), first: z.number() }),
    handler: ({ request }) => ({ bytes: (request.body as Buffer).length, first: (request.body as Buffer)[0]! }),
  }),
  defineRoute({
    method: 'GET',
    url: '/broken',
    auth: 'public',
    summary: 'a handler bug',
    response: z.object({ ok: z.boolean() }),
    handler: () => {
      throw new Error('database password is hunter2');
    },
  }),
];

let app: FastifyInstance;
beforeAll(async () => {
  app = await createHttpApp({
    logger: createLogger({ level: 'silent', format: 'json' }),
    bodyLimitBytes: 1024,
    rateLimitPerMinute: 1000,
  });
  registerRoutes(app, routes, async (request) => {
    const auth = request.headers.authorization;
    if (auth === 'Bearer user') return { userId: 'u1', isAdmin: false, via: 'token' } satisfies Principal;
    if (auth === 'Bearer admin') return { userId: 'a1', isAdmin: true, via: 'token' } satisfies Principal;
    return null;
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

function post(payload: string, contentType = 'application/json') {
  return app.inject({ method: 'POST', url: '/widgets', headers: { 'content-type': contentType }, payload });
}

describe('http app', () => {
  it('validates a good body and strips keys the response schema does not declare', async () => {
    const res = await post(JSON.stringify({ name: 'gear', size: 3 }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: 'w1', name: 'gear' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed JSON body with 400 MALFORMED_JSON and saves nothing', async () => {
    const before = saved.length;
    const res = await post('{"name": "gear",');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'MALFORMED_JSON', requestId: expect.any(String) });
    expect(saved.length).toBe(before);
  });

  it('lists every invalid field with its path', async () => {
    const res = await post(JSON.stringify({ name: '', size: -1, extra: true }));
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'size']);
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(2000), size: 1 }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await post('name=gear', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND in the error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/nothing/here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'No route for GET /nothing/here', requestId: expect.any(String) },
    });
  });

  it('maps a module error code to its registered status with details', async () => {
    const res = await post(JSON.stringify({ name: 'taken', size: 1 }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'TEST_WIDGET_TAKEN', details: { name: 'taken' } });
  });

  it('requires a principal on user routes and admin rights on admin routes', async () => {
    const id = '01900000-0000-7000-8000-000000000000';
    expect((await app.inject({ url: `/widgets/${id}` })).statusCode).toBe(401);
    const ok = await app.inject({ url: `/widgets/${id}`, headers: { authorization: 'Bearer user' } });
    expect(ok.json()).toEqual({ id, viewer: 'u1' });
    const bad = await app.inject({ url: '/widgets/not-a-uuid', headers: { authorization: 'Bearer user' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ path: 'id', in: 'params' });
    expect((await app.inject({ url: '/admin/things', headers: { authorization: 'Bearer user' } })).json().error.code).toBe('FORBIDDEN');
    expect((await app.inject({ url: '/admin/things', headers: { authorization: 'Bearer admin' } })).statusCode).toBe(200);
  });

  it('hides the cause of an internal error from the client', async () => {
    const res = await app.inject({ url: '/broken' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json().error.code).toBe('INTERNAL');
  });

  it('sends security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/nothing' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a Fastify JSON schema on a route: zod validates, and Ajv is not part of the server', async () => {
    const other = await createHttpApp({ logger: createLogger({ level: 'silent', format: 'json' }), bodyLimitBytes: 1024, rateLimitPerMinute: 1000 });
    other.post('/raw', { schema: { body: { type: 'object' } } }, async () => ({}));
    await expect(other.ready()).rejects.toThrow(/validate with zod through defineRoute/);
    await other.close();
  });

  it('documents every route in OpenAPI with its schemas', () => {
    const doc = buildOpenApiDocument(routes, { title: 't', version: '1' });
    const create = doc.paths['/widgets']!.post as { requestBody: { content: Record<string, { schema: { required: string[] } }> } };
    expect(create.requestBody.content['application/json']!.schema.required).toEqual(['name', 'size']);
    expect(Object.keys(doc.paths)).toEqual(['/widgets', '/widgets/{id}', '/admin/things', '/pictures', '/broken']);
    expect((doc.paths['/pictures']!.post as { requestBody: unknown }).requestBody).toEqual({
      required: true,
      content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
    });
  });

  it('hands an upload route the body as bytes, with its own size limit and content types', async () => {
    const send = (type: string, payload: Buffer | string) => app.inject({ method: 'POST', url: '/pictures', headers: { 'content-type': type }, payload });
    // Over the app's 1 KB limit, within the route's 4 KB.
    const ok = await send('image/png', Buffer.alloc(3000, 7));
    expect([ok.statusCode, ok.json()]).toEqual([200, { bytes: 3000, first: 7 }]);
    expect((await send('image/png', Buffer.alloc(5000))).json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await send('image/gif', Buffer.alloc(10))).json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { contentTypes: ['image/png'] } });
    expect((await send('application/json', '{"a":1}')).json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await send('image/png', Buffer.alloc(0))).json().error.code).toBe('VALIDATION_FAILED');
    // Bytes sent to a JSON route are not a body it accepts.
    expect((await post('not json', 'image/png')).json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After once an IP used its budget', async () => {
    const limited = await createHttpApp({
      logger: createLogger({ level: 'silent', format: 'json' }),
      bodyLimitBytes: 1024,
      rateLimitPerMinute: 3,
    });
    registerRoutes(limited, [routes[2]!], async () => ({ userId: 'a', isAdmin: true, via: 'token' }));
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await limited.inject({ url: '/admin/things' });
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 429]);
    expect(last!.json().error.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    await limited.close();
  });
});
