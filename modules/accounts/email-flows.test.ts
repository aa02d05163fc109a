import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createAccountsHarness, readCookie, readLinkToken, type AccountsHarness, type SignedInUser } from './accounts.test-harness';

let h: AccountsHarness;
beforeAll(async () => {
  h = await createAccountsHarness();
});
afterAll(async () => {
  await h.close();
});

const NEW_PASSWORD = 'a brand new passphrase';

function lastMailTo(user: SignedInUser, subject: string) {
  return h.mails.filter((m) => m.to === user.email && m.subject.includes(subject)).at(-1);
}

async function requestReset(email: string) {
  return h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/request', payload: { email } });
}

function resetPassword(token: string, newPassword = NEW_PASSWORD) {
  return h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { token, newPassword } });
}

async function isVerified(userId: string): Promise<boolean> {
  const [row] = await h.rows<{ email_verified_at: Date | null }>(sql`SELECT email_verified_at FROM users WHERE id = ${userId}`);
  return row!.email_verified_at !== null;
}

describe('email verification', () => {
  it('mails a link at sign-up that verifies the address exactly once', async () => {
    const user = await h.signUp();
    const token = readLinkToken(lastMailTo(user, 'Confirm'), 'verify-email');
    expect(await isVerified(user.userId)).toBe(false);
    const first = await h.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(first.statusCode).toBe(200);
    expect(await isVerified(user.userId)).toBe(true);
    const second = await h.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(second.statusCode).toBe(400);
    expect(second.json().error.code).toBe('AUTH_EMAIL_TOKEN_INVALID');
  });

  it('refuses a verification link after 24 hours', async () => {
    const user = await h.signUp();
    const token = readLinkToken(lastMailTo(user, 'Confirm'), 'verify-email');
    h.clock.advance(24 * 3_600_000 + 1000);
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(response.json().error.code).toBe('AUTH_EMAIL_TOKEN_INVALID');
    expect(await isVerified(user.userId)).toBe(false);

    const again = await h.injectAs(user, { method: 'POST', url: '/api/v1/auth/verify-email/request' });
    expect(again.statusCode).toBe(202);
    const fresh = readLinkToken(lastMailTo(user, 'Confirm'), 'verify-email');
    expect(fresh).not.toBe(token);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: fresh } })).statusCode).toBe(200);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().isEmailVerified).toBe(true);
  });

  it('refuses a made-up token', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: 'x'.repeat(43) } });
    expect(response.json().error.code).toBe('AUTH_EMAIL_TOKEN_INVALID');
  });
});

describe('password reset', () => {
  it('answers the same for a known and an unknown address, and mails only the account holder', async () => {
    const user = await h.signUp();
    const mailsBefore = h.mails.length;
    const known = await requestReset(user.email.toUpperCase());
    const unknown = await requestReset('nobody-at-all@example.com');
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    expect(h.mails.slice(mailsBefore).map((m) => m.to)).toEqual([user.email]);
  });

  it('sets the new password, signs every session out and works once', async () => {
    const user = await h.signUp();
    const otherBrowser = readCookie(await h.signIn(user.email, user.password), 'weft_session')!;
    await requestReset(user.email);
    const token = readLinkToken(lastMailTo(user, 'Reset'), 'reset-password');

    const response = await resetPassword(token);
    expect(response.statusCode).toBe(200);
    for (const session of [user.session, otherBrowser]) {
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { weft_session: session } })).statusCode).toBe(401);
    }
    const live = await h.rows(sql`SELECT id FROM sessions WHERE user_id = ${user.userId} AND revoked_at IS NULL`);
    expect(live).toEqual([]);
    expect((await h.signIn(user.email, user.password)).statusCode).toBe(401);
    expect((await h.signIn(user.email, NEW_PASSWORD)).statusCode).toBe(200);

    const reused = await resetPassword(token, 'yet another passphrase');
    expect(reused.json().error.code).toBe('AUTH_EMAIL_TOKEN_INVALID');
    expect((await h.signIn(user.email, NEW_PASSWORD)).statusCode).toBe(200);
    const audit = await h.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE actor_id = ${user.userId}`);
    expect(audit.map((a) => a.action)).toContain('account.password.reset');
    expect(lastMailTo(user, 'Security')?.text).toContain('reset');
  });

  it('refuses a reset link after one hour', async () => {
    const user = await h.signUp();
    await requestReset(user.email);
    const token = readLinkToken(lastMailTo(user, 'Reset'), 'reset-password');
    h.clock.advance(3_600_000 + 1000);
    expect((await resetPassword(token)).json().error.code).toBe('AUTH_EMAIL_TOKEN_INVALID');
    expect((await h.signIn(user.email, user.password)).statusCode).toBe(200);
  });

  it('keeps the link usable when the new password is refused by the policy', async () => {
    const user = await h.signUp();
    await requestReset(user.email);
    const token = readLinkToken(lastMailTo(user, 'Reset'), 'reset-password');
    const common = await resetPassword(token, 'password123');
    expect(common.json().error.code).toBe('ACCOUNTS_PASSWORD_TOO_COMMON');
    const short = await resetPassword(token, 'short');
    expect(short.json().error.code).toBe('VALIDATION_FAILED');
    expect((await h.signIn(user.email, user.password)).statusCode).toBe(200);
    expect((await resetPassword(token)).statusCode).toBe(200);
  });

  it('retires older reset links once one was used', async () => {
    const user = await h.signUp();
    await requestReset(user.email);
    const older = readLinkToken(lastMailTo(user, 'Reset'), 'reset-password');
    await requestReset(user.email);
    const newer = readLinkToken(lastMailTo(user, 'Reset'), 'reset-password');
    expect((await resetPassword(newer)).statusCode).toBe(200);
    expect((await resetPassword(older, 'some other passphrase')).json().error.code).toBe('AUTH_EMAIL_TOKEN_INVALID');
  });
});

describe('password change', () => {
  it('needs the current password and signs the other sessions out, keeping this one', async () => {
    const user = await h.signUp();
    const otherBrowser = readCookie(await h.signIn(user.email, user.password), 'weft_session')!;
    const wrong = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: 'not my password', newPassword: NEW_PASSWORD } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('ACCOUNTS_PASSWORD_INCORRECT');

    const response = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: user.password, newPassword: NEW_PASSWORD } });
    expect(response.statusCode).toBe(200);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { weft_session: otherBrowser } })).statusCode).toBe(401);
    expect((await h.signIn(user.email, NEW_PASSWORD)).statusCode).toBe(200);
    const [event] = await h.rows<{ kind: string }>(sql`SELECT kind FROM security_events WHERE user_id = ${user.userId} AND kind = 'password.changed'`);
    expect(event).toBeDefined();
    const audit = await h.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE actor_id = ${user.userId}`);
    expect(audit.map((a) => a.action)).toContain('account.password.changed');
  });

  it('refuses a common new password and keeps the old one', async () => {
    const user = await h.signUp();
    const response = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: user.password, newPassword: 'qwertyuiop123' } });
    expect(response.json().error.code).toBe('ACCOUNTS_PASSWORD_TOO_COMMON');
    expect((await h.signIn(user.email, user.password)).statusCode).toBe(200);
  });
});
