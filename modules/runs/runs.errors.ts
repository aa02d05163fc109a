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
  /** Missing or wrong bearer token, basic credentials or signature, a stale timestamp, or a trigger whose credential is gone. */
  WEBHOOK_UNAUTHORIZED: 401,
  /** A callback address that never existed, expired, or was used. */
  RUN_CALLBACK_NOT_FOUND: 404,
  /** The run was cancelled or resumed by time before its callback came. */
  RUN_NOT_WAITING: 409,
  /** "Call workflow": the target does not start with "Called by a workflow". */
  WORKFLOW_NOT_CALLABLE: 422,
  WORKFLOW_CALL_TOO_DEEP: 422,
  WORKFLOW_CALL_INPUT_INVALID: 422,
  WORKFLOW_CALL_OUTPUT_INVALID: 422,
  WORKFLOW_CALL_FAILED: 502,
});
