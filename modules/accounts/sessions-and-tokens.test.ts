import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineRoute } from '@weft/http';
import { createAccountsHarness, nextIp, readCookie, type AccountsHarness, type SignedInUser } from './accounts.test-harness';

const WORKSPACE = '0190a0b0-0000-7000-8000-00000000000a';
let h: AccountsHarness;
let alice: SignedInUser;

/** Routes of another module, as a token-scoped API would declare them. */
const probeRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/probe/workflows',
    auth: 'user',
    scope: 'workflows:write',
    summary: 'a write that needs workflows:write',
    response: z.object({ userId: z.string(), via: z.string(), workspace: z.string().nullable() }),
    handler: ({ principal }) => ({ userId: principal!.userId, via: principal!.via, workspace: principal!.tokenWorkspaceId ?? null }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/probe/admin',
    auth: 'admin',
    summary: 'instance administrators only',
    response: z.object({ ok: z.boolean() }),
    handler: () => ({ ok: true }),
  }),
];

beforeAll(async () => {
  h = await createAccountsHarness({ extraRoutes: probeRoutes });
});
afterAll(async () => {
  await h.close();
});

async function createToken(user: SignedInUser, scopes: string[], extra: Record<string, unknown> = {}) {
  const response = await h.injectAs(user, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'script', scopes, workspaceId: WORKSPACE, ...extra } });
  expect(response.statusCode).toBe(201);
  return response.json<{ secret: string; token: { id: string } }>();
}

describe('session cookies and CSRF', () => {
  beforeAll(async () => {
    alice = await h.signUp();
  });

  it('sets an httpOnly, SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: alice.email, password: alice.password }, remoteAddress: nextIp() });
    expect(response.statusCode).toBe(200);
    const session = response.cookies.find((c) => c.name === 'weft_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session.secure).toBeUndefined(); // plain http on localhost
    expect(session.expires!.getTime() - h.clock.now().getTime()).toBe(30 * 86_400_000);
    const csrf = response.cookies.find((c) => c.name === 'weft_csrf')!;
    expect(csrf.httpOnly).toBeUndefined();
    expect(csrf.value).toBe(response.json<{ csrfToken: string }>().csrfToken);
  });

  it('marks cookies Secure when the public URL is https', async () => {
    const secure = await createAccountsHarness({ database: h.database, env: { WEFT_PUBLIC_URL: 'https://weft.example.com' } });
    const response = await secure.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: alice.email, password: alice.password }, remoteAddress: nextIp() });
    expect(response.cookies.find((c) => c.name === 'weft_session')).toMatchObject({ secure: true, httpOnly: true });
    await secure.close();
  });

  it('refuses a cookie-authenticated write without the CSRF token, and changes nothing', async () => {
    const response = await h.injectAs(alice, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'fr' }, withoutCsrf: true });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await h.injectAs(alice, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'fr' }, headers: { 'x-csrf-token': 'forged' } });
    expect(wrong.statusCode).toBe(403);
    const [row] = await h.rows<{ locale: string }>(sql`SELECT locale FROM users WHERE id = ${alice.userId}`);
    expect(row!.locale).toBe('en');
  });

  it('accepts the write with the CSRF token from GET /auth/csrf', async () => {
    const csrf = await h.injectAs(alice, { method: 'GET', url: '/api/v1/auth/csrf' });
    expect(csrf.statusCode).toBe(200);
    const token = csrf.json<{ csrfToken: string }>().csrfToken;
    expect(readCookie(csrf, 'weft_csrf')).toBe(token);
    const response = await h.injectAs({ ...alice, csrf: token }, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'fr' } });
    expect(response.statusCode).toBe(200);
    expect(response.json().locale).toBe('fr');
  });

  it("does not accept another session's CSRF token", async () => {
    const bob = await h.signUp();
    const response = await h.injectAs({ ...alice, csrf: bob.csrf }, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'de' } });
    expect(response.statusCode).toBe(403);
  });

  it('reads the signed-in account without CSRF (GET) and refuses anonymous callers', async () => {
    expect((await h.injectAs(alice, { method: 'GET', url: '/api/v1/me', withoutCsrf: true })).json().id).toBe(alice.userId);
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { weft_session: 'not-a-session' } });
    expect(unknown.statusCode).toBe(401);
  });

  it('lists sessions with device and location, and revokes one', async () => {
    const user = await h.signUp();
    const second = await h.signIn(user.email, user.password);
    const secondSession = readCookie(second, 'weft_session')!;
    const list = await h.injectAs(user, { method: 'GET', url: '/api/v1/me/sessions' });
    const items = list.json<{ items: { id: string; isCurrent: boolean; device: string; location: null }[] }>().items;
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.isCurrent)).toHaveLength(1);
    expect(items.find((s) => s.isCurrent)).toMatchObject({ device: 'Firefox on Linux', location: null });
    const other = items.find((s) => !s.isCurrent)!;
    expect(list.body).not.toMatch(/token|hash/i);

    const revoked = await h.injectAs(user, { method: 'DELETE', url: `/api/v1/me/sessions/${other.id}` });
    expect(revoked.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { weft_session: secondSession } })).statusCode).toBe(401);
    const again = await h.injectAs(user, { method: 'DELETE', url: `/api/v1/me/sessions/${other.id}` });
    expect(again.json().error.code).toBe('ACCOUNTS_SESSION_NOT_FOUND');
  });

  it("cannot revoke another user's session", async () => {
    const bob = await h.signUp();
    const [bobSession] = await h.rows<{ id: string }>(sql`SELECT id FROM sessions WHERE user_id = ${bob.userId}`);
    const response = await h.injectAs(alice, { method: 'DELETE', url: `/api/v1/me/sessions/${bobSession!.id}` });
    expect(response.statusCode).toBe(404);
    expect((await h.injectAs(bob, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
  });

  it('signs out: the session stops working and the cookies are cleared', async () => {
    const user = await h.signUp();
    const response = await h.injectAs(user, { method: 'POST', url: '/api/v1/auth/logout' });
    expect(response.statusCode).toBe(200);
    expect(readCookie(response, 'weft_session')).toBe('');
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('treats a cookie without CSRF on a public write as anonymous rather than as the user', async () => {
    const response = await h.injectAs(alice, { method: 'POST', url: '/api/v1/auth/login', payload: { login: alice.email, password: alice.password }, withoutCsrf: true });
    expect(response.statusCode).toBe(200);
  });

  // Last in this block: it moves the clock past the other sessions' expiry.
  it('slides the session expiry while it is used, and refuses it once it lapsed', async () => {
    const user = await h.signUp();
    h.clock.advance(20 * 86_400_000);
    const used = await h.injectAs(user, { method: 'GET', url: '/api/v1/me' });
    expect(used.statusCode).toBe(200);
    const renewed = used.cookies.find((c) => c.name === 'weft_session')!;
    expect(renewed.value).toBe(user.session);
    expect(renewed.expires!.getTime()).toBe(h.clock.now().getTime() + 30 * 86_400_000);
    h.clock.advance(29 * 86_400_000);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    h.clock.advance(31 * 86_400_000);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });
});

describe('API tokens', () => {
  // A fresh session: the tests above moved the clock past the first one's expiry.
  beforeAll(async () => {
    alice = await h.signUp();
  });

  it('authenticates a bearer token without any CSRF token and binds it to its workspace', async () => {
    const { secret } = await createToken(alice, ['workflows:write']);
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/probe/workflows', headers: { authorization: `Bearer ${secret}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ userId: alice.userId, via: 'token', workspace: WORKSPACE });
  });

  it('enforces scopes: a token without the route scope is refused', async () => {
    const { secret } = await createToken(alice, ['workflows:read']);
    const write = await h.app.inject({ method: 'POST', url: '/api/v1/probe/workflows', headers: { authorization: `Bearer ${secret}` } });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.details).toEqual({ requiredScope: 'workflows:write' });
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });
    expect(me.statusCode).toBe(403);
    const { secret: reader } = await createToken(alice, ['account:read']);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${reader}` } })).statusCode).toBe(200);
  });

  it('cannot change the account or mint more tokens, whatever its scopes', async () => {
    const { secret } = await createToken(alice, ['account:read', 'admin']);
    const headers = { authorization: `Bearer ${secret}` };
    const mint = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name: 'x', scopes: ['admin'], workspaceId: WORKSPACE } });
    expect(mint.json().error.code).toBe('AUTH_SESSION_REQUIRED');
    const password = await h.app.inject({ method: 'POST', url: '/api/v1/me/password', headers, payload: { currentPassword: alice.password, newPassword: 'another long passphrase' } });
    expect(password.statusCode).toBe(403);
    // Alice is no administrator: the admin scope grants nothing on its own.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/probe/admin', headers })).statusCode).toBe(403);
  });

  it('refuses unknown, malformed, revoked and expired tokens with 401', async () => {
    const headers = (secret: string) => ({ authorization: `Bearer ${secret}` });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: headers('weft_nope') })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);

    const revoked = await createToken(alice, ['account:read']);
    const del = await h.injectAs(alice, { method: 'DELETE', url: `/api/v1/tokens/${revoked.token.id}` });
    expect(del.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: headers(revoked.secret) })).statusCode).toBe(401);

    const expiring = await createToken(alice, ['account:read'], { expiresAt: new Date(h.clock.now().getTime() + 3_600_000).toISOString() });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: headers(expiring.secret) })).statusCode).toBe(200);
    h.clock.advance(3_600_001);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: headers(expiring.secret) })).statusCode).toBe(401);
  });

  it('records the last use at most once a minute', async () => {
    const { secret, token } = await createToken(alice, ['account:read']);
    const lastUsed = async () => (await h.rows<{ last_used_at: Date | null }>(sql`SELECT last_used_at FROM api_tokens WHERE id = ${token.id}`))[0]!.last_used_at;
    expect(await lastUsed()).toBeNull();
    const call = () => h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });
    await call();
    const first = new Date((await lastUsed())!).getTime();
    expect(first).toBe(h.clock.now().getTime());
    h.clock.advance(30_000);
    await call();
    expect(new Date((await lastUsed())!).getTime()).toBe(first);
    h.clock.advance(31_000);
    await call();
    expect(new Date((await lastUsed())!).getTime()).toBe(h.clock.now().getTime());
  });

  it('lists tokens without secrets and audits creation and revocation', async () => {
    const { token } = await createToken(alice, ['runs:read']);
    const list = await h.injectAs(alice, { method: 'GET', url: '/api/v1/tokens' });
    const items = list.json<{ items: { id: string }[] }>().items;
    expect(items.map((t) => t.id)).toContain(token.id);
    expect(list.body).not.toMatch(/hash|secret/i);
    await h.injectAs(alice, { method: 'DELETE', url: `/api/v1/tokens/${token.id}` });
    const audit = await h.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE target_id = ${token.id} ORDER BY at`);
    expect(audit.map((a) => a.action)).toEqual(['api-token.created', 'api-token.revoked']);
  });

  it('refuses a token for a workspace the user cannot use, or already expired, and writes nothing', async () => {
    const before = await h.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM api_tokens`);
    const unknown = await h.injectAs(alice, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', scopes: ['runs:read'], workspaceId: 'not-mine' } });
    expect(unknown.statusCode).toBe(404);
    const past = await h.injectAs(alice, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', scopes: ['runs:read'], workspaceId: WORKSPACE, expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past.json().error.code).toBe('ACCOUNTS_API_TOKEN_EXPIRY_INVALID');
    const badScope = await h.injectAs(alice, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', scopes: ['Bad Scope'], workspaceId: WORKSPACE } });
    expect(badScope.json().error.code).toBe('VALIDATION_FAILED');
    expect(await h.rows(sql`SELECT count(*)::int AS n FROM api_tokens`)).toEqual(before);
  });
});
