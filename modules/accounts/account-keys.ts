import { constantTimeEqual, decryptWithKey, encryptWithKey, hmacSha256, type InstanceSecrets } from '@weft/kernel';

/**
 * Every key the accounts module uses, derived from the instance secrets with
 * a distinct label each, so that no key serves two purposes.
 */
export interface AccountKeys {
  /** Keys the IP network hashes; the same derivation as the audit log's, so both hash a network alike. */
  ipHashKey: string;
  csrfTokenFor(sessionId: string): string;
  isCsrfTokenValid(sessionId: string, token: string | undefined): boolean;
  signOAuthState(payload: string): string;
  /** The payload of a value made by `signOAuthState`, or null when it was tampered with. */
  readSignedOAuthState(signed: string): string | null;
  sealTotpSecret(userId: string, secret: string): { ciphertext: string; keyVersion: number };
  openTotpSecret(userId: string, ciphertext: string, keyVersion: number): string;
}

export function deriveAccountKeys(secrets: InstanceSecrets): AccountKeys {
  const { sessionSecret } = secrets;
  const stateKey = hmacSha256(sessionSecret, 'weft.accounts.oauth-state');
  const csrfTokenFor = (sessionId: string) => hmacSha256(sessionSecret, `weft.accounts.csrf:${sessionId}`).toString('base64url');
  // A TOTP key per master key version: HMAC-SHA256 of the master key is a sound KDF for a 32-byte key.
  const totpKey = (version: number) => {
    const master = secrets.masterKeys[version];
    // A missing version means a damaged secrets file: an operator problem, not a user one.
    if (!master) throw new Error(`No master key with version ${version} in the secrets file`);
    return hmacSha256(master, 'weft.accounts.totp');
  };
  return {
    ipHashKey: hmacSha256(sessionSecret, 'ip-hash').toString('hex'),
    csrfTokenFor,
    isCsrfTokenValid: (sessionId, token) => token !== undefined && constantTimeEqual(token, csrfTokenFor(sessionId)),
    signOAuthState(payload) {
      const encoded = Buffer.from(payload).toString('base64url');
      return `${encoded}.${hmacSha256(stateKey, encoded).toString('base64url')}`;
    },
    readSignedOAuthState(signed) {
      const [encoded, signature] = signed.split('.');
      if (!encoded || !signature) return null;
      if (!constantTimeEqual(signature, hmacSha256(stateKey, encoded).toString('base64url'))) return null;
      return Buffer.from(encoded, 'base64url').toString('utf8');
    },
    sealTotpSecret(userId, secret) {
      const keyVersion = secrets.currentMasterKeyVersion;
      // The user id as associated data: a ciphertext copied onto another account does not open.
      return { ciphertext: encryptWithKey(totpKey(keyVersion), secret, `totp:${userId}`), keyVersion };
    },
    openTotpSecret(userId, ciphertext, keyVersion) {
      return decryptWithKey(totpKey(keyVersion), ciphertext, `totp:${userId}`).toString('utf8');
    },
  };
}
