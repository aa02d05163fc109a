import { registerErrorCodes } from '@weft/kernel';

export const ContentErrors = registerErrorCodes({
  /** Also the answer for a draft asked for by its public address: drafts are not revealed. */
  POST_NOT_FOUND: 404,
  POST_SLUG_TAKEN: 409,
  MEDIA_NOT_FOUND: 404,
  /** The bytes are not one of the image formats posts may carry, whatever the declared type. */
  MEDIA_NOT_AN_IMAGE: 400,
});
