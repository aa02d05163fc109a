import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, registerErrorCodes } from './errors';

export const CryptoErrors = registerErrorCodes({
  CRYPTO_DECRYPT_FAILED: 500,
  CRYPTO_UNKNOWN_KEY_VERSION: 500,
});

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // NIST SP 800-38D recommends 96-bit IVs for GCM
const KEY_BYTES = 32;

/**
 * Sealed value format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 * The prefix leaves room for another format without guessing.
 */
export function encryptWithKey(key: Buffer, plaintext: Buffer | string, associatedData?: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  if (associatedData) cipher.setAAD(Buffer.from(associatedData));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function decryptWithKey(key: Buffer, sealed: string, associatedData?: string): Buffer {
  assertKey(key);
  const [format, iv, tag, body] = sealed.split('.');
  if (format !== 'v1' || !iv || !tag || body === undefined) {
    throw new AppError(CryptoErrors.CRYPTO_DECRYPT_FAILED, 'Sealed value is malformed');
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    if (associatedData) decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  } catch {
    throw new AppError(CryptoErrors.CRYPTO_DECRYPT_FAILED, 'Sealed value could not be decrypted');
  }
}

export interface Keyring {
  /** Version used for new wrapping. */
  currentVersion: number;
  keys: ReadonlyMap<number, Buffer>;
}

export function createKeyring(keys: Record<number, Buffer>, currentVersion: number): Keyring {
  const map = new Map(Object.entries(keys).map(([v, k]) => [Number(v), k] as const));
  for (const key of map.values()) assertKey(key);
  if (!map.has(currentVersion)) throw new Error(`Keyring has no key version ${currentVersion}`);
  return { currentVersion, keys: map };
}

export interface WrappedDataKey {
  keyVersion: number;
  wrapped: string;
}

/**
 * Envelope encryption: each workspace has its own random data key that
 * encrypts its secrets; only the wrapped (encrypted) data key is stored, under
 * a versioned master key. Rotating the master key re-wraps data keys and never
 * touches the secrets themselves.
 */
export function createDataKey(keyring: Keyring, purpose: string): { dataKey: Buffer; stored: WrappedDataKey } {
  const dataKey = randomBytes(KEY_BYTES);
  return { dataKey, stored: wrapDataKey(keyring, dataKey, purpose) };
}

export function wrapDataKey(keyring: Keyring, dataKey: Buffer, purpose: string): WrappedDataKey {
  const master = keyring.keys.get(keyring.currentVersion)!;
  return { keyVersion: keyring.currentVersion, wrapped: encryptWithKey(master, dataKey, purpose) };
}

export function unwrapDataKey(keyring: Keyring, stored: WrappedDataKey, purpose: string): Buffer {
  const master = keyring.keys.get(stored.keyVersion);
  if (!master) {
    throw new AppError(CryptoErrors.CRYPTO_UNKNOWN_KEY_VERSION, `No master key with version ${stored.keyVersion}`);
  }
  return decryptWithKey(master, stored.wrapped, purpose);
}

export function rewrapDataKey(keyring: Keyring, stored: WrappedDataKey, purpose: string): WrappedDataKey {
  if (stored.keyVersion === keyring.currentVersion) return stored;
  return wrapDataKey(keyring, unwrapDataKey(keyring, stored, purpose), purpose);
}

export function hmacSha256(key: Buffer | string, message: Buffer | string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

export function sha256Hex(value: Buffer | string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Compares secrets without leaking where they differ (length leaks, by design of the hash step). */
export function constantTimeEqual(a: Buffer | string, b: Buffer | string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

/** A random URL-safe token with `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`AES-256 keys are ${KEY_BYTES} bytes, got ${key.length}`);
}

/**
 * A keyed hash of an IP address truncated to its network (/24 for IPv4, /48
 * for IPv6): enough to spot the same network twice, never enough to recover
 * the address.
 */
export function hashIpAddress(ip: string, key: Buffer | string): string {
  const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  let network: string;
  if (plain.includes(':')) {
    network = plain.split(':').slice(0, 3).join(':') + '::/48';
  } else {
    network = plain.split('.').slice(0, 3).join('.') + '.0/24';
  }
  return hmacSha256(key, network).toString('hex').slice(0, 32);
}
