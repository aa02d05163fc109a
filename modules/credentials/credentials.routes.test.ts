import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { createHttpApp, registerRoutes } from '@weft/http';
import { createLogger } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createMasterKeys, createTestCredentialsModule, createTestKeyring, principalOf, type TestWorkspace } from './credentials-fixtures';

let database: TestDatabase;
let app: FastifyInstance;
let workspaceA: TestWorkspace;
let workspaceB: TestWorkspace;
/** Every response body this file received; none may contain a secret. */
const bodies: string[] = [];
const secrets: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const keyring = createTestKeyring(createMasterKeys(1));
  const { module, directory } = createTestCredentialsModule(database, { loadKeyring: () => keyring });
  workspaceA = directory.addWorkspace('alpha', { alice: 'owner', victor: 'viewer' });
  workspaceB = directory.addWorkspace('bravo', { bob: 'owner' });
  app = await createHttpApp({ logger: createLogger({ level: 'silent', format: 'json' }), bodyLimitBytes: 1024 * 1024, rateLimitPerMinute: 100_000 });
  registerRoutes(app, module.routes, async (request) => {
    const user = request.headers['x-test-user'];
    return typeof user === 'string' ? principalOf(user) : null;
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function call(user: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const response = await app.inject({ method, url, headers: user ? { 'x-test-user': user } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  bodies.push(response.body);
  return { status: response.statusCode, body: response.json() };
}

/** A secret unique to the test, registered for the final no-leak check. */
function secretFor(label: string): string {
  const secret = `S3cr3t-${label}-${Math.random().toString(36).slice(2)}`;
  secrets.push(secret);
  return secret;
}

async function countCredentials(workspaceId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM credentials WHERE workspace_id = ${workspaceId}`);
  return Number(row!.n);
}

const VALID_DATA: Record<string, (secret: string) => Record<string, unknown>> = {
  'api-key': (s) => ({ placement: 'query', name: 'api_key', key: s }),
  'basic-auth': (s) => ({ username: 'svc', password: s }),
  'bearer-token': (s) => ({ token: s }),
  'oauth2-client-credentials': (s) => ({ tokenUrl: 'https://auth.example.com/token', clientId: 'client-1', scope: 'read', clientSecret: s }),
  'hmac-secret': (s) => ({ secret: s }),
  smtp: (s) => ({ host: 'smtp.example.com', port: 587, user: 'mailer', password: s, from: 'Bot <bot@example.com>' }),
  'discord-bot-token': (s) => ({ applicationId: '123456789012345678', publicKey: 'ab'.repeat(32), token: `MTIz.${s}.xyz` }),
  'generic-json': (s) => ({ nested: { deep: [s] }, flag: true }),
};

describe('the credentials API never returns a secret', () => {
  it('creates, lists, reads, updates and deletes every credential type without echoing a secret', async () => {
    for (const [type, build] of Object.entries(VALID_DATA)) {
      const created = await call('alice', 'POST', '/api/v1/workspaces/alpha/credentials', { type, name: `my ${type}`, data: build(secretFor(type)) });
      expect(created.status).toBe(201);
      expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'publicFields', 'type', 'updatedAt']);
      const id = created.body.id as string;
      expect((await call('alice', 'GET', `/api/v1/workspaces/alpha/credentials/${id}`)).status).toBe(200);
      const patched = await call('alice', 'PATCH', `/api/v1/workspaces/alpha/credentials/${id}`, { name: `renamed ${type}`, data: build(secretFor(`${type}-new`)) });
      expect(patched).toMatchObject({ status: 200, body: { name: `renamed ${type}` } });
    }
    const list = await call('alice', 'GET', '/api/v1/workspaces/alpha/credentials?limit=200');
    expect(list.body.items).toHaveLength(8);
    expect(list.body.items.find((c: { type: string }) => c.type === 'basic-auth').publicFields).toEqual({ username: 'svc' });
    expect(list.body.items.find((c: { type: string }) => c.type === 'generic-json').publicFields).toEqual({});
    const victim = list.body.items[0].id as string;
    expect(await call('alice', 'DELETE', `/api/v1/workspaces/alpha/credentials/${victim}`)).toEqual({ status: 200, body: { deleted: true, id: victim } });
    expect(bodies.join('\n')).toContain('svc'); // the public field does come back, so the check above is meaningful
  });

  it('lists pages by name with a cursor', async () => {
    const first = await call('alice', 'GET', '/api/v1/workspaces/alpha/credentials?limit=3');
    expect(first.body.items).toHaveLength(3);
    const second = await call('alice', 'GET', `/api/v1/workspaces/alpha/credentials?limit=3&cursor=${first.body.nextCursor}`);
    const names = [...first.body.items, ...second.body.items].map((c: { name: string }) => c.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(6);
  });

  it('describes every credential type with JSON Schemas for its public and secret fields', async () => {
    const { status, body } = await call('victor', 'GET', '/api/v1/credential-types');
    expect(status).toBe(200);
    expect(body.items.map((t: { type: string }) => t.type)).toEqual(Object.keys(VALID_DATA));
    const basic = body.items.find((t: { type: string }) => t.type === 'basic-auth');
    expect(basic.publicSchema.properties).toHaveProperty('username');
    expect(basic.secretSchema.properties).toHaveProperty('password');
    expect(basic.secretSchema.required).toEqual(['password']);
    expect((await call(null, 'GET', '/api/v1/credential-types')).status).toBe(401);
  });
});

describe('tenant isolation', () => {
  it('a member of workspace A cannot list, read, change or delete credentials of workspace B, nor B those of A', async () => {
    const ofA = await call('alice', 'POST', '/api/v1/workspaces/alpha/credentials', { type: 'bearer-token', name: 'A only', data: { token: secretFor('a-only') } });
    const ofB = await call('bob', 'POST', `/api/v1/workspaces/${workspaceB.id}/credentials`, { type: 'bearer-token', name: 'B only', data: { token: secretFor('b-only') } });
    expect([ofA.status, ofB.status]).toEqual([201, 201]);
    const pairs: [string, string, string, string][] = [
      ['alice', 'alpha', 'bravo', ofB.body.id],
      ['bob', 'bravo', 'alpha', ofA.body.id],
    ];
    for (const [user, own, other, foreignId] of pairs) {
      expect((await call(user, 'GET', `/api/v1/workspaces/${other}/credentials`)).body.error.code).toBe('NOT_FOUND');
      expect((await call(user, 'GET', `/api/v1/workspaces/${other}/credentials/${foreignId}`)).status).toBe(404);
      // Through their own workspace, the foreign id does not exist.
      for (const [method, payload] of [['GET', undefined], ['PATCH', { name: 'hijacked' }], ['DELETE', undefined]] as const) {
        const response = await call(user, method, `/api/v1/workspaces/${own}/credentials/${foreignId}`, payload);
        expect(response).toMatchObject({ status: 404, body: { error: { code: 'CREDENTIAL_NOT_FOUND' } } });
      }
    }
    expect(await countCredentials(workspaceB.id)).toBe(1);
    const [row] = await queryRows<{ name: string }>(database.db, sql`SELECT name FROM credentials WHERE id = ${ofB.body.id}`);
    expect(row!.name).toBe('B only');
  });

  it('a viewer may list but not create, change or delete', async () => {
    const before = await countCredentials(workspaceA.id);
    expect((await call('victor', 'GET', '/api/v1/workspaces/alpha/credentials')).status).toBe(200);
    const denied = await call('victor', 'POST', '/api/v1/workspaces/alpha/credentials', { type: 'bearer-token', name: 'nope', data: { token: 'viewer-token' } });
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const some = (await call('victor', 'GET', '/api/v1/workspaces/alpha/credentials')).body.items[0].id;
    expect((await call('victor', 'PATCH', `/api/v1/workspaces/alpha/credentials/${some}`, { name: 'x' })).status).toBe(403);
    expect((await call('victor', 'DELETE', `/api/v1/workspaces/alpha/credentials/${some}`)).status).toBe(403);
    expect(await countCredentials(workspaceA.id)).toBe(before);
  });
});

describe('bad input', () => {
  it.each([
    ['api-key', { placement: 'body', key: 'x' }, 'data.placement'],
    ['basic-auth', { password: 'pw-only' }, 'data.username'],
    ['bearer-token', { token: 42 }, 'data.token'],
    ['oauth2-client-credentials', { tokenUrl: 'not a url', clientId: 'c', clientSecret: 's' }, 'data.tokenUrl'],
    ['hmac-secret', { secret: 'x', encoding: 'base32' }, 'data.encoding'],
    ['smtp', { host: 'bad host!', from: 'x@example.com' }, 'data.host'],
    ['discord-bot-token', { applicationId: '123456789012345678', publicKey: 'short', token: 'a.b.c' }, 'data.publicKey'],
    ['generic-json', {}, 'data'],
  ])('refuses invalid %s data with 400 CREDENTIAL_DATA_INVALID and writes nothing', async (type, data, path) => {
    const before = await countCredentials(workspaceA.id);
    const { status, body } = await call('alice', 'POST', '/api/v1/workspaces/alpha/credentials', { type, name: `invalid ${type}`, data });
    expect(status).toBe(400);
    expect(body.error.code).toBe('CREDENTIAL_DATA_INVALID');
    expect(body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(await countCredentials(workspaceA.id)).toBe(before);
  });

  it('answers an unknown type, a missing name, a bad id and a taken name with their codes', async () => {
    const before = await countCredentials(workspaceA.id);
    const base = '/api/v1/workspaces/alpha/credentials';
    expect((await call('alice', 'POST', base, { type: 'carrier-pigeon', name: 'x', data: {} })).body.error.code).toBe('CREDENTIAL_TYPE_UNKNOWN');
    expect((await call('alice', 'POST', base, { type: 'bearer-token', data: { token: 't' } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call('alice', 'GET', `${base}/not-a-uuid`)).status).toBe(400);
    expect((await call('alice', 'PATCH', `${base}/01900000-0000-7000-8000-000000000000`, {})).body.error.code).toBe('VALIDATION_FAILED');
    expect(await countCredentials(workspaceA.id)).toBe(before);
    await call('alice', 'POST', base, { type: 'bearer-token', name: 'dup', data: { token: 'dup-token-1' } });
    const taken = await call('alice', 'POST', base, { type: 'bearer-token', name: 'dup', data: { token: 'dup-token-2' } });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'CREDENTIAL_NAME_TAKEN' } } });
    expect(await countCredentials(workspaceA.id)).toBe(before + 1);
  });

  it('requires a signed-in caller', async () => {
    expect((await call(null, 'GET', '/api/v1/workspaces/alpha/credentials')).status).toBe(401);
  });
});

// Runs last (tests of a file run in order): checks every reply of every test above.
describe('every reply of this file', () => {
  it('contains none of the secrets that were sent', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(18);
    expect(bodies.length).toBeGreaterThan(50);
    for (const secret of secrets) {
      for (const body of bodies) {
        expect(body).not.toContain(secret);
        expect(body).not.toContain(Buffer.from(secret).toString('base64'));
      }
    }
  });
});
