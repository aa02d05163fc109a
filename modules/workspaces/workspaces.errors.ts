import { registerErrorCodes } from '@weft/kernel';

export const WorkspaceErrors = registerErrorCodes({
  /** Unknown, deleted, or not yours: one answer, so nobody learns which workspaces exist. */
  WORKSPACE_NOT_FOUND: 404,
  WORKSPACE_FORBIDDEN: 403,
  WORKSPACE_SLUG_INVALID: 400,
  WORKSPACE_SLUG_RESERVED: 400,
  WORKSPACE_SLUG_TAKEN: 409,
  WORKSPACE_LAST_OWNER: 409,
  WORKSPACE_PERSONAL: 409,
  WORKSPACE_TRANSFER_INVALID: 409,
  /** Unknown, expired, used or revoked: one code, so a token guesser learns nothing. */
  INVITATION_INVALID: 400,
  INVITATION_EMAIL_MISMATCH: 403,
  INVITATION_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  MEMBER_ALREADY_EXISTS: 409,
});
