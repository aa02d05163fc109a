import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createAccountsHarness, nextIp, readCookie, type AccountsHarness } from './accounts.test-harness';

let h: AccountsHarness;
beforeAll(async () => {
  h = await createAccountsHarness();
});
afterAll(async () => {
  await h.close();
});

/** The parts of a reply an attacker can compare (the request id differs by design). */
function comparable(response: { statusCode: number; body: string; headers: Record<string, unknown> }) {
  const body = JSON.parse(response.body) as { error: Record<string, unknown> };
  delete body.error.requestId;
  return { status: response.statusCode, body, retryAfter: response.headers['retry-after'] ?? null };
}

describe('sign-in', () => {
  it('signs in with the email or the username, in any case', async () => {
    const user = await h.signUp({ username: 'Mixed.Case_User' });
    for (const login of [user.email.toUpperCase(), 'mixed.case_user', ' Mixed.Case_User ']) {
      const response = await h.signIn(login, user.password);
      expect(response.statusCode).toBe(200);
      expect(response.json().user).toMatchObject({ id: user.userId, username: 'Mixed.Case_User' });
      expect(readCookie(response, 'weft_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const user = await h.signUp();
    const wrongPassword = await h.signIn(user.email, 'not the password at all');
    const unknownEmail = await h.signIn('nobody-here@example.com', 'not the password at all');
    const unknownUsername = await h.signIn('nobody_here', 'not the password at all');
    expect(comparable(wrongPassword)).toEqual(comparable(unknownEmail));
    expect(comparable(unknownUsername)).toEqual(comparable(unknownEmail));
    expect(comparable(wrongPassword)).toMatchObject({ status: 401, body: { error: { code: 'AUTH_INVALID_CREDENTIALS' } } });
    expect(wrongPassword.cookies).toEqual([]);
  });

  it('locks the account after ten wrong passwords with 429 and Retry-After, refusing even the right password', async () => {
    const user = await h.signUp();
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) statuses.push((await h.signIn(user.email, `wrong password ${attempt}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 429]);

    const right = await h.signIn(user.email, user.password, {}, nextIp());
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('AUTH_LOCKED');
    expect(Number(right.headers['retry-after'])).toBe(60);
    expect(right.cookies).toEqual([]);
    const sessions = await h.rows(sql`SELECT id FROM sessions WHERE user_id = ${user.userId}`);
    expect(sessions).toHaveLength(1); // only the sign-up session

    h.clock.advance(61_000);
    const afterLockout = await h.signIn(user.email, user.password);
    expect(afterLockout.statusCode).toBe(200);
  });

  it('doubles the lockout with every further failure, up to an hour', async () => {
    const user = await h.signUp();
    for (let attempt = 1; attempt <= 10; attempt++) await h.signIn(user.email, 'wrong password!');
    const retryAfter: number[] = [];
    for (let round = 0; round < 8; round++) {
      h.clock.advance(3_600_000);
      const response = await h.signIn(user.email, 'still the wrong password');
      retryAfter.push(Number(response.headers['retry-after']));
    }
    expect(retryAfter).toEqual([120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('locks an unknown email exactly like a real account, so a lockout reveals nothing', async () => {
    const user = await h.signUp();
    const real: number[] = [];
    const unknown: number[] = [];
    for (let attempt = 1; attempt <= 11; attempt++) {
      real.push((await h.signIn(user.email, 'wrong password here')).statusCode);
      unknown.push((await h.signIn('ghost@example.com', 'wrong password here')).statusCode);
    }
    expect(unknown).toEqual(real);
    const lastReal = await h.signIn(user.email, 'wrong password here');
    const lastUnknown = await h.signIn('ghost@example.com', 'wrong password here');
    expect(comparable(lastUnknown)).toEqual(comparable(lastReal));
  });

  it('counts failures per network too, across accounts', async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 51; attempt++) {
      statuses.push((await h.signIn(`spray-${attempt}@example.com`, 'Summer2026!!', {}, ip)).statusCode);
    }
    expect(statuses.slice(0, 49).every((status) => status === 401)).toBe(true);
    expect(statuses[49]).toBe(429);
    const victim = await h.signUp();
    expect((await h.signIn(victim.email, victim.password, {}, ip)).statusCode).toBe(429);
    expect((await h.signIn(victim.email, victim.password, {}, nextIp())).statusCode).toBe(200);
  });

  it('records and mails a sign-in from a new device, but not from a known one', async () => {
    const user = await h.signUp();
    const before = h.mails.length;
    const known = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: user.email, password: user.password },
      remoteAddress: user.ip,
      headers: { 'user-agent': 'Firefox/130.0 (X11; Linux x86_64)' },
    });
    expect(known.statusCode).toBe(200);
    expect(h.mails.length).toBe(before);
    const fresh = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: user.email, password: user.password },
      remoteAddress: '203.0.113.50',
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' },
    });
    expect(fresh.statusCode).toBe(200);
    const events = await h.rows<{ kind: string; ip_hash: string; user_agent: string }>(sql`SELECT kind, ip_hash, user_agent FROM security_events WHERE user_id = ${user.userId}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'login.new-device', ip_hash: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(JSON.stringify(events)).not.toContain('203.0.113');
    const mail = h.mails.at(-1)!;
    expect(mail).toMatchObject({ to: user.email, subject: 'Security notice for your Weft account' });
    expect(mail.text).toContain('Safari on iOS');
  });

  it('refuses a deactivated account with the same answer as a wrong password', async () => {
    const user = await h.signUp();
    await h.rows(sql`UPDATE users SET deactivated_at = now() WHERE id = ${user.userId}`);
    const response = await h.signIn(user.email, user.password);
    expect(response.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('validates the body: missing, wrong type and too long fields are 400s', async () => {
    const cases = [{}, { login: 'a' }, { login: 42, password: 'x' }, { login: 'a', password: 'p'.repeat(201) }, { login: 'a'.repeat(255), password: 'x' }];
    for (const payload of cases) {
      const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress: nextIp() });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
  });
});
