import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';

let platform: Platform;
beforeAll(async () => {
  platform = await createTestPlatform();
  await platform.app.ready();
});
afterAll(async () => {
  await platform.close();
});

describe('operations endpoints', () => {
  it('GET /healthz answers 200 while the process is up', async () => {
    const res = await platform.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 with the database kind once migrations are applied', async () => {
    const res = await platform.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: platform.database.kind });
  });

  it('GET /api/v1/node-types answers every node as the engine describes it: the contract drops no field', async () => {
    const res = await platform.app.inject({ url: '/api/v1/node-types' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(platform.modules.registry.describe())));
  });

  it('serves an OpenAPI document listing the routes', async () => {
    const res = await platform.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/privacy.json', '/api/v1/admin/audit-log']));
  });

  it('answers an unknown API route with the JSON error shape', async () => {
    const res = await platform.app.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('privacy notice', () => {
  it('GET /privacy renders the inventory as HTML', async () => {
    const res = await platform.app.inject({ url: '/privacy' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('audit_log.ip_hash');
  });

  it('GET /privacy.json lists only personal-data columns with retention and erasure', async () => {
    const res = await platform.app.inject({ url: '/privacy.json' });
    const body = res.json();
    const keys = body.personalData.map((e: { table: string; column: string }) => `${e.table}.${e.column}`);
    expect(keys).toContain('audit_log.actor_id');
    expect(keys).not.toContain('outbox_events.attempts');
    expect(body.personalData.find((e: { column: string }) => e.column === 'ip_hash')).toMatchObject({
      retention: '1 year',
      onErasure: 'deleted',
    });
  });
});

describe('audit log API', () => {
  it('refuses anonymous callers with 401', async () => {
    const res = await platform.app.inject({ url: '/api/v1/admin/audit-log' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('readiness with pending migrations', () => {
  it('GET /readyz answers 503 while a migration is missing', async () => {
    const other = await createTestPlatform();
    await other.database.db.execute(sql`DELETE FROM weft_migrations WHERE tag = '0001_audit_append_only'`);
    const res = await other.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { pending: ['0001_audit_append_only'] } });
    await other.close();
  });
});
