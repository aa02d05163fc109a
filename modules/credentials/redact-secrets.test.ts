import { describe, expect, it } from 'vitest';
import { listSecretValues, redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  const secret = 'p@ss w/rd+"42"';

  it('replaces a secret and its JSON, URL, form and base64 spellings', () => {
    const base64 = Buffer.from(secret).toString('base64');
    const text = [
      `raw ${secret}`,
      `json ${JSON.stringify({ password: secret })}`,
      `url ?key=${encodeURIComponent(secret)}`,
      `form ${new URLSearchParams({ key: secret }).toString()}`,
      `b64 ${base64}`,
      `b64url ${Buffer.from(secret).toString('base64url')}`,
      `unpadded ${base64.replace(/=+$/, '')}`,
    ].join('\n');
    const redacted = redactSecrets(text, [secret]);
    expect(redacted).not.toContain('w/rd');
    expect(redacted).not.toContain('w%2Frd');
    expect(redacted).not.toContain(base64.replace(/=+$/, ''));
    expect(redacted.match(/\[redacted\]/g)).toHaveLength(7);
    expect(redacted).toContain('json {"password":"[redacted]"}');
  });

  it('walks arrays and plain objects, keys included, and leaves other values alone', () => {
    const date = new Date(0);
    const input = { headers: { authorization: `Bearer tok-123456` }, list: ['tok-123456', 7, null], ['tok-123456']: true, at: date };
    const output = redactSecrets(input, ['tok-123456']);
    expect(output).toEqual({ headers: { authorization: 'Bearer [redacted]' }, list: ['[redacted]', 7, null], '[redacted]': true, at: date });
    expect(input.headers.authorization).toBe('Bearer tok-123456'); // the input is not mutated
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    expect(redactSecrets('key=abcdef123456', ['abcdef', 'abcdef123456'])).toBe('key=[redacted]');
  });

  it('treats regular-expression characters literally and ignores empty secrets', () => {
    expect(redactSecrets('a.b*c and axbbc', ['a.b*c', ''])).toBe('[redacted] and axbbc');
    expect(redactSecrets('nothing to hide', [])).toBe('nothing to hide');
  });

  it('catches a Basic header through the user:password pair listed with the secrets', () => {
    const values = listSecretValues('basic-auth', { username: 'ann' }, { password: 'hunter22' });
    const header = `Authorization: Basic ${Buffer.from('ann:hunter22').toString('base64')}`;
    expect(redactSecrets(header, values)).toBe('Authorization: Basic [redacted]');
  });

  it('collects nested secret strings and numbers but not very short ones', () => {
    expect(listSecretValues('generic-json', {}, { a: 'long-enough', b: { c: ['nested-value'] }, pin: 123456, d: 'ab', e: true })).toEqual([
      'long-enough',
      'nested-value',
      '123456',
    ]);
  });
});
