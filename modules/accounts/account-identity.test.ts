import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createAccountsHarness, readLinkToken, type AccountsHarness, type SignedInUser } from './accounts.test-harness';

let h: AccountsHarness;
beforeAll(async () => {
  h = await createAccountsHarness();
});
afterAll(async () => {
  await h.close();
});

const mailsTo = (address: string, subject: string) => h.mails.filter((m) => m.to === address && m.subject.includes(subject));

function requestChange(user: SignedInUser, email: string, currentPassword = user.password) {
  return h.injectAs(user, { method: 'POST', url: '/api/v1/me/email', payload: { email, currentPassword } });
}

const confirm = (token: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/confirm-email-change', payload: { token } });

describe('changing the email address', () => {
  it('switches only once the new address confirms, tells the old one, and the link works once', async () => {
    const user = await h.signUp();
    const next = `new-${user.username}@example.org`;
    expect((await requestChange(user, next)).statusCode).toBe(202);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().email).toBe(user.email);
    expect(mailsTo(user.email, 'Security notice').at(-1)!.text).toContain('asked to change the email address');

    const token = readLinkToken(mailsTo(next, 'Confirm your new email').at(-1), 'confirm-email-change');
    expect((await confirm(token)).statusCode).toBe(200);
    const me = (await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json();
    expect(me).toMatchObject({ email: next, isEmailVerified: true });
    expect(mailsTo(user.email, 'Security notice').at(-1)!.text).toContain('email address of your account was changed');
    expect((await confirm(token)).json().error.code).toBe('AUTH_EMAIL_TOKEN_INVALID');
    // The new address signs in; the old one no longer does.
    expect((await h.signIn(next, user.password)).statusCode).toBe(200);
    expect((await h.signIn(user.email, user.password)).statusCode).toBe(401);
    const [audit] = await h.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE actor_id = ${user.userId} AND action = 'account.email.changed'`);
    expect(audit).toBeDefined();
  });

  it('needs the current password, and answers the same for an address that has an account (sending it nothing)', async () => {
    const user = await h.signUp();
    const other = await h.signUp();
    expect((await requestChange(user, 'fresh@example.org', 'not the password')).json().error.code).toBe('ACCOUNTS_PASSWORD_INCORRECT');
    const taken = await requestChange(user, other.email);
    expect(taken.statusCode).toBe(202);
    expect(mailsTo(other.email, 'Confirm your new email')).toHaveLength(0);
    expect((await requestChange(user, user.email)).json().error.code).toBe('ACCOUNTS_EMAIL_UNCHANGED');
    expect((await requestChange(user, 'not-an-address')).statusCode).toBe(400);
  });

  it('refuses a link after 24 hours', async () => {
    const user = await h.signUp();
    const next = `late-${user.username}@example.org`;
    await requestChange(user, next);
    const token = readLinkToken(mailsTo(next, 'Confirm your new email').at(-1), 'confirm-email-change');
    h.clock.advance(24 * 3_600_000 + 1000);
    expect((await confirm(token)).json().error.code).toBe('AUTH_EMAIL_TOKEN_INVALID');
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().email).toBe(user.email);
  });
});

describe('unlinking Discord', () => {
  it('unlinks with the password and tells the user; refuses when nothing is linked', async () => {
    const user = await h.signUp();
    await h.database.db.execute(sql`UPDATE users SET discord_id = ${`9${Date.now()}`} WHERE id = ${user.userId}`);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().isDiscordLinked).toBe(true);
    const wrong = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me/discord', payload: { currentPassword: 'nope nope nope' } });
    expect(wrong.json().error.code).toBe('ACCOUNTS_PASSWORD_INCORRECT');
    const res = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me/discord', payload: { currentPassword: user.password } });
    expect(res.statusCode).toBe(200);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().isDiscordLinked).toBe(false);
    expect(mailsTo(user.email, 'Security notice').at(-1)!.text).toContain('Discord account linked to your account was unlinked');
    const again = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me/discord', payload: { currentPassword: user.password } });
    expect(again.json().error.code).toBe('ACCOUNTS_DISCORD_NOT_LINKED');
  });

  it('refuses to unlink the only way to sign in', async () => {
    const user = await h.signUp();
    await h.database.db.execute(sql`UPDATE users SET discord_id = ${`8${Date.now()}`}, password_hash = NULL WHERE id = ${user.userId}`);
    const res = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me/discord', payload: {} });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'ACCOUNTS_PASSWORD_REQUIRED']);
  });
});
