import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  createDataKey,
  createKeyring,
  decryptWithKey,
  encryptWithKey,
  hashIpAddress,
  rewrapDataKey,
  unwrapDataKey,
} from './crypto';
import { newId } from './ids';

describe('AES-256-GCM envelope encryption', () => {
  it('round-trips and never stores the plaintext', () => {
    const key = randomBytes(32);
    const sealed = encryptWithKey(key, 'bot-token-123', 'credential:1');
    expect(sealed).not.toContain('bot-token-123');
    expect(decryptWithKey(key, sealed, 'credential:1').toString()).toBe('bot-token-123');
  });

  it('refuses a tampered ciphertext, a wrong key and wrong associated data', () => {
    const key = randomBytes(32);
    const sealed = encryptWithKey(key, 'secret', 'a');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('xxxxxx').toString('base64url');
    expect(() => decryptWithKey(key, parts.join('.'), 'a')).toThrow(/could not be decrypted/);
    expect(() => decryptWithKey(randomBytes(32), sealed, 'a')).toThrow(/could not be decrypted/);
    expect(() => decryptWithKey(key, sealed, 'b')).toThrow(/could not be decrypted/);
  });

  it('keeps data keys readable after the master key rotates', () => {
    const v1 = createKeyring({ 1: randomBytes(32) }, 1);
    const { dataKey, stored } = createDataKey(v1, 'workspace:w1');
    const sealedSecret = encryptWithKey(dataKey, 'api-key');
    const v2 = createKeyring({ 1: v1.keys.get(1)!, 2: randomBytes(32) }, 2);
    const rewrapped = rewrapDataKey(v2, stored, 'workspace:w1');
    expect(rewrapped.keyVersion).toBe(2);
    const onlyV2 = createKeyring({ 2: v2.keys.get(2)! }, 2);
    expect(decryptWithKey(unwrapDataKey(onlyV2, rewrapped, 'workspace:w1'), sealedSecret).toString()).toBe('api-key');
    expect(() => unwrapDataKey(onlyV2, stored, 'workspace:w1')).toThrow(/No master key with version 1/);
  });
});

describe('helpers', () => {
  it('compares in constant time with exact semantics', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });

  it('hashes IP addresses by network, keyed', () => {
    expect(hashIpAddress('203.0.113.7', 'k')).toBe(hashIpAddress('203.0.113.200', 'k'));
    expect(hashIpAddress('203.0.113.7', 'k')).not.toBe(hashIpAddress('203.0.114.7', 'k'));
    expect(hashIpAddress('203.0.113.7', 'k')).not.toBe(hashIpAddress('203.0.113.7', 'other'));
    expect(hashIpAddress('::ffff:203.0.113.7', 'k')).toBe(hashIpAddress('203.0.113.9', 'k'));
    expect(hashIpAddress('2001:db8:1:2::1', 'k')).toBe(hashIpAddress('2001:db8:1:ffff::9', 'k'));
  });

  it('makes UUIDv7 ids that sort by creation time', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
