import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIGNATURE_HEX = /^[0-9a-fA-F]{128}$/;
const TIMESTAMP = /^\d{1,12}$/;

/** Discord shows the application's public key as the 32 raw bytes in hex (64 digits). */
export function importDiscordPublicKey(publicKeyHex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * Interactions › Receiving and Responding › Security and Authorization:
 * the Ed25519 signature covers `X-Signature-Timestamp` followed by the raw
 * body. The timestamp must also be recent, so a captured request cannot be
 * replayed later (`maxAgeSeconds` either way, to allow for clock skew).
 */
export function isInteractionSignatureValid(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  rawBody: Buffer,
  nowMs: number,
  maxAgeSeconds = 300,
): boolean {
  if (!signature || !timestamp || !SIGNATURE_HEX.test(signature) || !TIMESTAMP.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > maxAgeSeconds) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), key, Buffer.from(signature, 'hex'));
  } catch {
    return false;
  }
}
