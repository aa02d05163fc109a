import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Tx } from '@weft/db';
import { createAccountsHarness, nextIp, STRONG_PASSWORD, type AccountsHarness } from './accounts.test-harness';

let h: AccountsHarness;
/** The composition root's hook; a test can make it fail to prove the sign-up rolls back. */
let onUserCreated: (tx: Tx, user: { userId: string; username: string }) => Promise<void> = async () => {};

beforeAll(async () => {
  h = await createAccountsHarness({ onUserCreated: (tx, user) => onUserCreated(tx, user) });
});
afterAll(async () => {
  await h.close();
});

const TABLES = ['users', 'sessions', 'email_tokens', 'oauth_accounts', 'outbox_events', 'audit_log'];

async function countRows(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await h.rows<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
    counts[table] = row!.n;
  }
  return counts;
}

function signUp(payload: unknown) {
  return h.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: payload as Record<string, unknown>, remoteAddress: nextIp() });
}

describe('sign-up', () => {
  it('creates the account, its personal hook, the signed-up event and a session in one go', async () => {
    const seen: string[] = [];
    onUserCreated = async (tx, user) => {
      // Runs inside the sign-up transaction: the new user is visible on `tx`.
      const rows = (await tx.execute(sql`SELECT username FROM users WHERE id = ${user.userId}`)) as unknown as { rows: { username: string }[] };
      seen.push(rows.rows[0]!.username);
    };
    const response = await signUp({ email: 'New.Person@Example.com', username: 'NewPerson', password: STRONG_PASSWORD });
    onUserCreated = async () => {};
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.user).toMatchObject({ email: 'new.person@example.com', username: 'NewPerson', isEmailVerified: false, hasPassword: true, isTotpEnabled: false });
    expect(body.csrfToken).toEqual(expect.any(String));
    expect(response.body).not.toMatch(/argon2|passwordHash|password_hash/);
    expect(seen).toEqual(['NewPerson']);
    const events = await h.rows<{ name: string; payload: { userId: string; method: string } }>(
      sql`SELECT name, payload FROM outbox_events WHERE name = 'accounts.user.signed-up'`,
    );
    expect(events.map((e) => e.payload)).toContainEqual({ userId: body.user.id, method: 'password', referredBy: null });
  });

  it('rolls everything back when the workspace hook fails', async () => {
    const before = await countRows();
    onUserCreated = async () => {
      throw new Error('personal workspace could not be created');
    };
    const response = await signUp({ email: 'rollback@example.com', username: 'rollback_me', password: STRONG_PASSWORD });
    onUserCreated = async () => {};
    expect(response.statusCode).toBe(500);
    expect(await countRows()).toEqual(before);
    expect((await signUp({ email: 'rollback@example.com', username: 'rollback_me', password: STRONG_PASSWORD })).statusCode).toBe(201);
  });

  it('records the referral of a sign-up with ?ref=', async () => {
    const referrer = await h.signUp();
    const { code, link } = (await h.injectAs(referrer, { method: 'GET', url: '/api/v1/me/referral' })).json<{ code: string; link: string }>();
    expect(link).toBe(`http://localhost:3000/signup?ref=${code}`);
    const response = await signUp({ email: 'referred@example.com', username: 'referred_one', password: STRONG_PASSWORD, ref: code.toLowerCase() });
    const [row] = await h.rows<{ referred_by: string }>(sql`SELECT referred_by FROM users WHERE id = ${response.json().user.id}`);
    expect(row!.referred_by).toBe(referrer.userId);
    const after = (await h.injectAs(referrer, { method: 'GET', url: '/api/v1/me/referral' })).json();
    expect(after.referredCount).toBe(1);
    // An unknown code does not block the sign-up.
    const unknownRef = await signUp({ email: 'stray@example.com', username: 'stray_ref', password: STRONG_PASSWORD, ref: 'ZZZZZZZZ' });
    expect(unknownRef.statusCode).toBe(201);
  });

  describe('refuses bad input with its code and writes nothing', () => {
    const valid = { email: 'fresh@example.com', username: 'fresh_user', password: STRONG_PASSWORD };
    const cases: [string, unknown, number, string][] = [
      ['missing body', undefined, 400, 'VALIDATION_FAILED'],
      ['missing email', { ...valid, email: undefined }, 400, 'VALIDATION_FAILED'],
      ['missing username', { ...valid, username: undefined }, 400, 'VALIDATION_FAILED'],
      ['missing password', { ...valid, password: undefined }, 400, 'VALIDATION_FAILED'],
      ['email of the wrong type', { ...valid, email: 42 }, 400, 'VALIDATION_FAILED'],
      ['password of the wrong type', { ...valid, password: ['a'] }, 400, 'VALIDATION_FAILED'],
      ['malformed email', { ...valid, email: 'not-an-email' }, 400, 'VALIDATION_FAILED'],
      ['too long email', { ...valid, email: `${'a'.repeat(250)}@example.com` }, 400, 'VALIDATION_FAILED'],
      ['too short username', { ...valid, username: 'ab' }, 400, 'VALIDATION_FAILED'],
      ['too long username', { ...valid, username: 'a'.repeat(33) }, 400, 'VALIDATION_FAILED'],
      ['username with a space', { ...valid, username: 'two words' }, 400, 'VALIDATION_FAILED'],
      ['too short password', { ...valid, password: 'short1!' }, 400, 'VALIDATION_FAILED'],
      ['too long password', { ...valid, password: 'p'.repeat(201) }, 400, 'VALIDATION_FAILED'],
      ['common password', { ...valid, password: 'password123' }, 400, 'ACCOUNTS_PASSWORD_TOO_COMMON'],
      ['common password, capitalised', { ...valid, password: 'Qwertyuiop123' }, 400, 'ACCOUNTS_PASSWORD_TOO_COMMON'],
      ['password equal to the username', { ...valid, username: 'averylonguser', password: 'AVeryLongUser' }, 400, 'ACCOUNTS_PASSWORD_TOO_COMMON'],
      ['reserved username', { ...valid, username: 'Admin' }, 400, 'ACCOUNTS_USERNAME_RESERVED'],
      ['reserved username (support)', { ...valid, username: 'support' }, 400, 'ACCOUNTS_USERNAME_RESERVED'],
      ['username posing as an erased account', { ...valid, username: 'erased-1234' }, 400, 'ACCOUNTS_USERNAME_RESERVED'],
      ['malformed referral code', { ...valid, ref: '../../x' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [name, payload, status, code] of cases) {
      it(name, async () => {
        const before = await countRows();
        const response = await signUp(payload);
        expect(response.statusCode).toBe(status);
        expect(response.json().error.code).toBe(code);
        expect(await countRows()).toEqual(before);
        expect(response.cookies).toEqual([]);
      });
    }

    it('a taken email, in any case', async () => {
      const existing = await h.signUp();
      const before = await countRows();
      const response = await signUp({ ...valid, email: existing.email.toUpperCase() });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('ACCOUNTS_EMAIL_TAKEN');
      expect(await countRows()).toEqual(before);
    });

    it('a taken username, in any case', async () => {
      const existing = await h.signUp({ username: 'CamelName' });
      const before = await countRows();
      const response = await signUp({ ...valid, username: 'camelNAME' });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('ACCOUNTS_USERNAME_TAKEN');
      expect(await countRows()).toEqual(before);
      expect(existing.username).toBe('CamelName');
    });

    it('malformed JSON', async () => {
      const before = await countRows();
      const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: '{"email":', headers: { 'content-type': 'application/json' }, remoteAddress: nextIp() });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('MALFORMED_JSON');
      expect(await countRows()).toEqual(before);
    });
  });

  it('refuses a username change to a taken or reserved name, leaving the profile as it was', async () => {
    const first = await h.signUp({ username: 'first_person' });
    const second = await h.signUp();
    const taken = await h.injectAs(second, { method: 'PATCH', url: '/api/v1/me', payload: { username: 'FIRST_person' } });
    expect(taken.json().error.code).toBe('ACCOUNTS_USERNAME_TAKEN');
    const reserved = await h.injectAs(second, { method: 'PATCH', url: '/api/v1/me', payload: { username: 'root' } });
    expect(reserved.json().error.code).toBe('ACCOUNTS_USERNAME_RESERVED');
    const empty = await h.injectAs(second, { method: 'PATCH', url: '/api/v1/me', payload: {} });
    expect(empty.json().error.code).toBe('VALIDATION_FAILED');
    const badLocale = await h.injectAs(second, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'not a locale' } });
    expect(badLocale.json().error.code).toBe('VALIDATION_FAILED');
    expect((await h.injectAs(second, { method: 'GET', url: '/api/v1/me' })).json()).toMatchObject({ username: second.username, locale: 'en' });
    const renamed = await h.injectAs(first, { method: 'PATCH', url: '/api/v1/me', payload: { username: 'First_Person', locale: 'pt-BR' } });
    expect(renamed.json()).toMatchObject({ username: 'First_Person', locale: 'pt-BR' });
  });
});

describe('operator-made accounts (CLI)', () => {
  it('creates an administrator through the module API, with the same policies, audited', async () => {
    const admin = await h.accounts.api.createUser({ email: 'Ops@Example.com', username: 'ops_person', password: STRONG_PASSWORD, isAdmin: true });
    expect(admin).toMatchObject({ email: 'ops@example.com', isAdmin: true, isEmailVerified: true });
    const audit = await h.rows<{ action: string; actor_type: string }>(sql`SELECT action, actor_type FROM audit_log WHERE target_id = ${admin.id}`);
    expect(audit).toEqual([{ action: 'user.created', actor_type: 'system' }]);
    await expect(h.accounts.api.createUser({ email: 'x@example.com', username: 'weft', password: STRONG_PASSWORD })).rejects.toMatchObject({ code: 'ACCOUNTS_USERNAME_RESERVED' });
    expect((await h.accounts.api.findUserByLogin('OPS_PERSON'))?.id).toBe(admin.id);
    expect(await h.accounts.api.findUsersByIds([admin.id])).toHaveLength(1);
  });
});
