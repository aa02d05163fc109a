import { registerErrorCodes } from '@weft/kernel';

export const SupportErrors = registerErrorCodes({
  /** Also the answer for another user's ticket: its existence is not revealed. */
  TICKET_NOT_FOUND: 404,
  /** Staff reply to a closed ticket; the user reopens it by replying. */
  TICKET_CLOSED: 409,
  ATTACHMENT_NOT_FOUND: 404,
  /** Not an image, a PDF or plain text, whatever its name says. */
  ATTACHMENT_TYPE_REFUSED: 400,
  TOO_MANY_ATTACHMENTS: 409,
});
