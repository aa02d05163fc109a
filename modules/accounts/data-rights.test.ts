import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { createLogger } from '@weft/kernel';
import { createAccountsHarness, readLinkToken, type AccountsHarness, type SignedInUser } from './accounts.test-harness';

let h: AccountsHarness;
beforeAll(async () => {
  h = await createAccountsHarness();
});
afterAll(async () => {
  await h.close();
});

const PERSONAL_TABLES = ['sessions', 'api_tokens', 'totp_factors', 'recovery_codes', 'email_tokens', 'oauth_accounts', 'security_events', 'discord_managed_guilds'];

async function countPersonalRows(userId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of PERSONAL_TABLES) {
    const [row] = await h.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE user_id = ${userId}`);
    counts[table] = row!.n;
  }
  return counts;
}

/** A user with something in every table: sessions, a token, 2FA, a mailed link, a security event. */
async function createBusyUser(): Promise<SignedInUser & { secret: string }> {
  const user = await h.signUp();
  await h.injectAs(user, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci', scopes: ['runs:read'], workspaceId: '0190a0b0-0000-7000-8000-0000000000ff' } });
  const { secret } = (await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp' })).json<{ secret: string }>();
  const code = await generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) });
  await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp/confirm', payload: { code } });
  h.clock.advance(30_000);
  return { ...user, secret };
}

describe('data rights', () => {
  it('exports everything about the subject, and no credential', async () => {
    const user = await createBusyUser();
    const exported = await h.accounts.dataRights.exportSubject({ userId: user.userId });
    expect(Object.keys(exported).sort()).toEqual([...PERSONAL_TABLES, 'users'].sort());
    expect(exported.users).toEqual([expect.objectContaining({ id: user.userId, email: user.email, username: user.username, hasPassword: true })]);
    expect(exported.sessions).toHaveLength(1);
    expect(exported.api_tokens).toHaveLength(1);
    expect(exported.recovery_codes).toHaveLength(10);
    expect(exported.security_events).toEqual([expect.objectContaining({ kind: 'totp.enabled' })]);
    const text = JSON.stringify(exported);
    expect(text).not.toMatch(/passwordHash|tokenHash|codeHash|secretCiphertext|\$argon2/);
    expect(text).not.toContain(user.secret);
    expect(text).not.toContain(user.session);
  });

  it('erases the subject: personal rows deleted, the account row anonymized, other users untouched', async () => {
    const user = await createBusyUser();
    const bystander = await h.signUp();
    const bystanderBefore = await countPersonalRows(bystander.userId);
    await h.accounts.dataRights.eraseSubject({ userId: user.userId });

    expect(Object.values(await countPersonalRows(user.userId)).every((n) => n === 0)).toBe(true);
    const [row] = await h.rows<Record<string, unknown>>(sql`SELECT * FROM users WHERE id = ${user.userId}`);
    expect(row).toMatchObject({ password_hash: null, discord_id: null, email_verified_at: null, last_active_at: null, referred_by: null, is_admin: false });
    expect(row!.email).toMatch(/^erased-[0-9a-f]{32}@erased\.invalid$/);
    expect(row!.username).toMatch(/^erased-[0-9a-f]{32}$/);
    expect(row!.deleted_at).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain(user.username);
    expect(await countPersonalRows(bystander.userId)).toEqual(bystanderBefore);
    expect((await h.signIn(user.email, user.password)).statusCode).toBe(401);
    const exported = await h.accounts.dataRights.exportSubject({ userId: user.userId });
    expect(JSON.stringify(exported)).not.toContain(user.email);
  });

  it('deletes an account on request: needs password and code, deactivates at once, then hands it to erasure', async () => {
    const user = await createBusyUser();
    const currentCode = () => generate({ secret: user.secret, epoch: Math.floor(h.clock.now().getTime() / 1000) });

    const noCode = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me', payload: { password: user.password } });
    expect(noCode.json().error.code).toBe('ACCOUNTS_TOTP_CODE_INVALID');
    const wrongPassword = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me', payload: { password: 'not the password', totp: await currentCode() } });
    expect(wrongPassword.json().error.code).toBe('ACCOUNTS_PASSWORD_INCORRECT');
    const withoutCsrf = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me', payload: { password: user.password, totp: await currentCode() }, withoutCsrf: true });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(h.erasedUserIds).not.toContain(user.userId);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);

    const mailsBefore = h.mails.length;
    const response = await h.injectAs(user, { method: 'DELETE', url: '/api/v1/me', payload: { password: user.password, totp: await currentCode() } });
    expect(response.statusCode).toBe(202);
    expect(h.erasedUserIds).toContain(user.userId);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect(h.mails.slice(mailsBefore)).toEqual([expect.objectContaining({ to: user.email, text: expect.stringContaining('deleted') })]);
    const [row] = await h.rows<{ deactivated_at: Date | null; deleted_at: Date | null }>(sql`SELECT deactivated_at, deleted_at FROM users WHERE id = ${user.userId}`);
    expect(row!.deactivated_at).not.toBeNull();
    expect(row!.deleted_at).not.toBeNull();
    const audit = await h.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE actor_id = ${user.userId} AND action = 'account.deleted'`);
    expect(audit).toHaveLength(1);
    const events = await h.rows(sql`SELECT 1 FROM outbox_events WHERE name = 'accounts.user.deactivated' AND payload->>'userId' = ${user.userId}`);
    expect(events).toHaveLength(1);
  });

  it('purges what has outlived its retention, and keeps the rest', async () => {
    const user = await h.signUp();
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/request', payload: { email: user.email } });
    readLinkToken(h.mails.at(-1), 'reset-password');
    await h.injectAs(user, { method: 'POST', url: '/api/v1/auth/logout' });
    const fresh = await h.signUp();
    const [job] = h.accounts.jobs;
    expect(job!.name).toBe('accounts.purge-expired');
    const run = () => job!.run({ signal: new AbortController().signal, logger: createLogger({ level: 'silent', format: 'json' }) });

    h.clock.advance(2 * 86_400_000);
    await run();
    expect(await h.rows(sql`SELECT 1 FROM email_tokens WHERE user_id = ${user.userId} AND purpose = 'reset-password'`)).toEqual([]);
    expect(await h.rows(sql`SELECT 1 FROM sessions WHERE user_id = ${user.userId}`)).toHaveLength(1);

    h.clock.advance(31 * 86_400_000);
    await run();
    expect(await h.rows(sql`SELECT 1 FROM sessions WHERE user_id = ${user.userId}`)).toEqual([]);
    expect(await h.rows(sql`SELECT 1 FROM users WHERE id = ${fresh.userId}`)).toHaveLength(1);
  });

  it('deletes security events after a year', async () => {
    const user = await h.signUp();
    await h.injectAs(user, { method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: user.password, newPassword: 'a new long passphrase' } });
    expect(await h.rows(sql`SELECT 1 FROM security_events WHERE user_id = ${user.userId}`)).toHaveLength(1);
    h.clock.advance(366 * 86_400_000);
    await h.accounts.jobs[0]!.run({ signal: new AbortController().signal, logger: createLogger({ level: 'silent', format: 'json' }) });
    expect(await h.rows(sql`SELECT 1 FROM security_events WHERE user_id = ${user.userId}`)).toEqual([]);
  });
});
