import { AppError, decryptWithKey, encryptWithKey } from '@weft/kernel';
import { CredentialErrors } from './credentials.errors';

/**
 * Associated data binds a ciphertext to its row: GCM authenticates it, so a
 * ciphertext pasted onto another credential fails to open instead of
 * handing one credential's secret to another's user.
 */
export function credentialAssociatedData(credentialId: string): string {
  return `credential:${credentialId}`;
}

export function sealCredentialSecrets(dataKey: Buffer, credentialId: string, secretFields: Record<string, unknown>): string {
  return encryptWithKey(dataKey, JSON.stringify(secretFields), credentialAssociatedData(credentialId));
}

export function openCredentialSecrets(dataKey: Buffer, credentialId: string, ciphertext: string): Record<string, unknown> {
  try {
    return JSON.parse(decryptWithKey(dataKey, ciphertext, credentialAssociatedData(credentialId)).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new AppError(CredentialErrors.CREDENTIAL_UNREADABLE, 'The credential could not be decrypted', { credentialId });
  }
}
