import { registerErrorCodes } from '@weft/kernel';

export const CredentialErrors = registerErrorCodes({
  /** Also the answer for a credential of another workspace: its existence is not revealed. */
  CREDENTIAL_NOT_FOUND: 404,
  CREDENTIAL_TYPE_UNKNOWN: 400,
  CREDENTIAL_DATA_INVALID: 400,
  CREDENTIAL_TYPE_MISMATCH: 400,
  CREDENTIAL_NAME_TAKEN: 409,
  /** The ciphertext does not open with its workspace key and row id: tampering or a moved row. */
  CREDENTIAL_UNREADABLE: 500,
});
