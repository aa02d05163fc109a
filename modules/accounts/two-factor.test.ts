import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { createAccountsHarness, type AccountsHarness, type SignedInUser } from './accounts.test-harness';

let h: AccountsHarness;
beforeAll(async () => {
  h = await createAccountsHarness();
});
afterAll(async () => {
  await h.close();
});

/** What the authenticator app shows right now (by the harness clock). */
function currentCode(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) });
}

/** Moves to the next 30-second step, as a user waiting for a new code does. */
function waitForNextCode(): void {
  h.clock.advance(30_000);
}

async function enableTotp(user: SignedInUser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrol = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp' });
  expect(enrol.statusCode).toBe(200);
  const { secret } = enrol.json<{ secret: string }>();
  const confirm = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp/confirm', payload: { code: await currentCode(secret) } });
  expect(confirm.statusCode).toBe(200);
  waitForNextCode();
  return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
}

describe('TOTP two-factor authentication', () => {
  it('enrols with an otpauth URI and a QR code, and stays off until confirmed', async () => {
    const user = await h.signUp();
    const enrol = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp' });
    const body = enrol.json<{ secret: string; otpauthUri: string; qrCodeDataUrl: string }>();
    expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Weft:.+\?secret=[A-Z2-7]+/);
    expect(body.otpauthUri).toContain(`secret=${body.secret}`);
    expect(body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await h.signIn(user.email, user.password)).statusCode).toBe(200);

    const wrong = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp/confirm', payload: { code: '000000' } });
    expect(wrong.json().error.code).toBe('ACCOUNTS_TOTP_CODE_INVALID');
    expect(await h.rows(sql`SELECT 1 FROM recovery_codes WHERE user_id = ${user.userId}`)).toEqual([]);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().isTotpEnabled).toBe(false);
  });

  it('then asks every sign-in for a code, accepts a valid one once, and refuses a wrong one', async () => {
    const user = await h.signUp();
    const { secret } = await enableTotp(user);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().isTotpEnabled).toBe(true);

    const withoutCode = await h.signIn(user.email, user.password);
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json().error.code).toBe('AUTH_SECOND_FACTOR_REQUIRED');
    expect(withoutCode.cookies).toEqual([]);

    const wrongCode = await h.signIn(user.email, user.password, { totp: '123456' });
    expect(wrongCode.json().error.code).toBe('AUTH_SECOND_FACTOR_INVALID');

    const code = await currentCode(secret);
    expect((await h.signIn(user.email, user.password, { totp: code })).statusCode).toBe(200);
    const replayed = await h.signIn(user.email, user.password, { totp: code });
    expect(replayed.json().error.code).toBe('AUTH_SECOND_FACTOR_INVALID');

    waitForNextCode();
    expect((await h.signIn(user.email, user.password, { totp: await currentCode(secret) })).statusCode).toBe(200);
  });

  it('accepts each recovery code once', async () => {
    const user = await h.signUp();
    const { recoveryCodes } = await enableTotp(user);
    expect(new Set(recoveryCodes).size).toBe(10);
    const [code] = recoveryCodes;
    const first = await h.signIn(user.email, user.password, { recoveryCode: code!.toUpperCase() });
    expect(first.statusCode).toBe(200);
    const again = await h.signIn(user.email, user.password, { recoveryCode: code! });
    expect(again.json().error.code).toBe('AUTH_SECOND_FACTOR_INVALID');
    const used = await h.rows(sql`SELECT 1 FROM recovery_codes WHERE user_id = ${user.userId} AND used_at IS NOT NULL`);
    expect(used).toHaveLength(1);
  });

  it('regenerates recovery codes: the old ones stop working', async () => {
    const user = await h.signUp();
    const { secret, recoveryCodes } = await enableTotp(user);
    const response = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/recovery-codes', payload: { code: await currentCode(secret) } });
    const fresh = response.json<{ recoveryCodes: string[] }>().recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);
    expect((await h.signIn(user.email, user.password, { recoveryCode: recoveryCodes[0]! })).statusCode).toBe(401);
    expect((await h.signIn(user.email, user.password, { recoveryCode: fresh[0]! })).statusCode).toBe(200);
  });

  it('turns off only with the password and a code, and records each change', async () => {
    const user = await h.signUp();
    const { secret } = await enableTotp(user);
    const noPassword = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me/2fa/totp', payload: { password: 'wrong password!', code: await currentCode(secret) } });
    expect(noPassword.json().error.code).toBe('ACCOUNTS_PASSWORD_INCORRECT');
    const noCode = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me/2fa/totp', payload: { password: user.password, code: '000000' } });
    expect(noCode.json().error.code).toBe('ACCOUNTS_TOTP_CODE_INVALID');
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().isTotpEnabled).toBe(true);

    const off = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me/2fa/totp', payload: { password: user.password, code: await currentCode(secret) } });
    expect(off.statusCode).toBe(200);
    expect(await h.rows(sql`SELECT 1 FROM totp_factors WHERE user_id = ${user.userId}`)).toEqual([]);
    expect(await h.rows(sql`SELECT 1 FROM recovery_codes WHERE user_id = ${user.userId}`)).toEqual([]);
    expect((await h.signIn(user.email, user.password)).statusCode).toBe(200);

    const events = await h.rows<{ kind: string }>(sql`SELECT kind FROM security_events WHERE user_id = ${user.userId} AND kind LIKE 'totp.%' ORDER BY created_at`);
    expect(events.map((e) => e.kind)).toEqual(['totp.enabled', 'totp.disabled']);
    const audit = await h.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE actor_id = ${user.userId} ORDER BY at`);
    expect(audit.map((a) => a.action)).toEqual(['account.totp.enabled', 'account.totp.disabled']);
    const notices = h.mails.filter((m) => m.to === user.email && /Two-factor/.test(m.text));
    expect(notices.map((m) => m.text)).toEqual([expect.stringContaining('turned on'), expect.stringContaining('turned off')]);
  });

  it('refuses a second enrolment while 2FA is on', async () => {
    const user = await h.signUp();
    await enableTotp(user);
    const response = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp' });
    expect(response.json().error.code).toBe('ACCOUNTS_TOTP_ALREADY_ENABLED');
  });

  it('counts wrong codes towards the sign-in lockout', async () => {
    const user = await h.signUp();
    await enableTotp(user);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      statuses.push((await h.signIn(user.email, user.password, { totp: String(100000 + attempt) })).statusCode);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
  });
});
