import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { sha256Hex } from '@weft/kernel';
import { createAccountsHarness, readLinkToken, type AccountsHarness } from './accounts.test-harness';

let h: AccountsHarness;
beforeAll(async () => {
  h = await createAccountsHarness();
});
afterAll(async () => {
  await h.close();
});

/** Every value of every row as one string: a secret must not appear anywhere in it. */
async function dumpTable(table: string): Promise<string> {
  return JSON.stringify(await h.rows(sql.raw(`SELECT * FROM ${table}`)));
}

describe('secrets at rest', () => {
  it('stores passwords as argon2id hashes, never the password', async () => {
    const user = await h.signUp({ password: 'a very private passphrase' });
    const [row] = await h.rows<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE id = ${user.userId}`);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(await dumpTable('users')).not.toContain('a very private passphrase');
  });

  it('stores the session cookie only as its SHA-256', async () => {
    const user = await h.signUp();
    const rows = await h.rows<{ token_hash: string }>(sql`SELECT token_hash FROM sessions WHERE user_id = ${user.userId}`);
    expect(rows.map((r) => r.token_hash)).toEqual([sha256Hex(user.session)]);
    expect(await dumpTable('sessions')).not.toContain(user.session);
  });

  it('stores API tokens only as their SHA-256 and a short display prefix', async () => {
    const user = await h.signUp();
    const response = await h.injectAs(user, {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'ci', scopes: ['workflows:read'], workspaceId: '0190a0b0-0000-7000-8000-000000000001' },
    });
    expect(response.statusCode).toBe(201);
    const { secret, token } = response.json<{ secret: string; token: { prefix: string } }>();
    expect(secret).toMatch(/^weft_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(token.prefix)).toBe(true);
    expect(token.prefix.length).toBeLessThan(15);
    const [row] = await h.rows<{ token_hash: string }>(sql`SELECT token_hash FROM api_tokens WHERE user_id = ${user.userId}`);
    expect(row!.token_hash).toBe(sha256Hex(secret));
    expect(await dumpTable('api_tokens')).not.toContain(secret);
    expect(response.body).not.toContain(row!.token_hash);
  });

  it('stores email verification and reset tokens only as their SHA-256', async () => {
    const user = await h.signUp();
    const verifyToken = readLinkToken(h.mails.find((m) => m.to === user.email && m.subject.includes('Confirm')), 'verify-email');
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/request', payload: { email: user.email } });
    const resetToken = readLinkToken(h.mails.find((m) => m.to === user.email && m.subject.includes('Reset')), 'reset-password');
    const rows = await h.rows<{ purpose: string; token_hash: string }>(
      sql`SELECT purpose, token_hash FROM email_tokens WHERE user_id = ${user.userId} ORDER BY purpose`,
    );
    expect(rows).toEqual([
      { purpose: 'reset-password', token_hash: sha256Hex(resetToken) },
      { purpose: 'verify-email', token_hash: sha256Hex(verifyToken) },
    ]);
    const dump = await dumpTable('email_tokens');
    expect(dump).not.toContain(verifyToken);
    expect(dump).not.toContain(resetToken);
  });

  it('encrypts the TOTP secret and stores recovery codes only as hashes', async () => {
    const user = await h.signUp();
    const enrol = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp' });
    const { secret } = enrol.json<{ secret: string }>();
    const code = await generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) });
    const confirm = await h.injectAs(user, { method: 'POST', url: '/api/v1/me/2fa/totp/confirm', payload: { code } });
    const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);

    const [factor] = await h.rows<{ secret_ciphertext: string }>(sql`SELECT secret_ciphertext FROM totp_factors WHERE user_id = ${user.userId}`);
    expect(factor!.secret_ciphertext).toMatch(/^v1\./);
    expect(factor!.secret_ciphertext).not.toContain(secret);
    expect(await dumpTable('totp_factors')).not.toContain(secret);

    const codes = await h.rows<{ code_hash: string }>(sql`SELECT code_hash FROM recovery_codes WHERE user_id = ${user.userId}`);
    expect(codes).toHaveLength(10);
    const dump = await dumpTable('recovery_codes');
    for (const recoveryCode of recoveryCodes) expect(dump).not.toContain(recoveryCode);
    expect(codes.every((c) => /^[0-9a-f]{64}$/.test(c.code_hash))).toBe(true);
  });

  it('never stores an IP address, only a keyed hash of its network', async () => {
    const user = await h.signUp();
    const dump = (await dumpTable('sessions')) + (await dumpTable('security_events'));
    expect(dump).not.toContain(user.ip);
    const [row] = await h.rows<{ ip_hash: string }>(sql`SELECT ip_hash FROM sessions WHERE user_id = ${user.userId}`);
    expect(row!.ip_hash).toMatch(/^[0-9a-f]{32}$/);
  });
});
