import { registerErrorCodes } from '@weft/kernel';

export const RunErrors = registerErrorCodes({
  RUN_NOT_FOUND: 404,
  /** Retry and replay start from a run that has ended. */
  RUN_NOT_FINISHED: 409,
  RUN_ALREADY_FINISHED: 409,
  RUN_NOT_RETRYABLE: 409,
  RUN_REPLAY_NODE_UNKNOWN: 422,
  /** A sync webhook of a workflow already running at its concurrency limit. */
  RUN_CONCURRENCY_LIMITED: 429,
  RUN_FAILED: 500,
  RUN_TIMED_OUT: 504,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_METHOD_NOT_ALLOWED: 405,
  /** The trigger asks for a signature or bearer secret this instance cannot check yet: refused, never let through. */
  WEBHOOK_UNAUTHORIZED: 401,
});
