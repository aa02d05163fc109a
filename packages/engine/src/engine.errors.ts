import { registerErrorCodes } from '@weft/kernel';

/**
 * Codes the engine throws or records on failed steps. The statuses matter when
 * a host turns a compile or validation failure into an HTTP reply; step errors
 * are stored on the run and never reach a client as a status of their own.
 */
export const EngineErrors = registerErrorCodes({
  ENGINE_EXPRESSION_INVALID: 400,
  ENGINE_EXPRESSION_FAILED: 422,
  ENGINE_GRAPH_INVALID: 422,
  ENGINE_PARAMS_INVALID: 422,
  ENGINE_OUTPUT_INVALID: 422,
  ENGINE_PORT_UNKNOWN: 422,
  ENGINE_CREDENTIAL_UNAVAILABLE: 422,
  ENGINE_STEP_TIMED_OUT: 504,
  ENGINE_RUN_TIMED_OUT: 504,
  ENGINE_RUN_CANCELLED: 409,
  /** `resumeInput` names a node that is not waiting, or one that cannot wait. */
  ENGINE_RESUME_INVALID: 409,
  /** A node suspended the run but the host did not opt in with `canSuspend: true`. */
  ENGINE_WAIT_UNSUPPORTED: 501,
  /** A node needs a host service (`services.http`, `mail`, `sandbox`) the host did not wire. */
  ENGINE_SERVICE_UNAVAILABLE: 500,
  /** The credential's fields do not fit what the node's auth setting expects. */
  ENGINE_CREDENTIAL_INVALID: 422,
  ENGINE_HTTP_URL_INVALID: 422,
  /** `failOnStatus`: the final response was 4xx/5xx. */
  ENGINE_HTTP_STATUS: 502,
  ENGINE_HTTP_RESPONSE_INVALID: 502,
  ENGINE_HTTP_RESPONSE_TOO_LARGE: 502,
  /** The OAuth2 token endpoint refused or answered nonsense. */
  ENGINE_HTTP_AUTH_FAILED: 502,
  ENGINE_CODE_FAILED: 422,
  ENGINE_CODE_TIMEOUT: 422,
  ENGINE_CODE_MEMORY_LIMIT: 422,
  /** Every pooled isolate is busy and the pool is full. */
  ENGINE_SANDBOX_BUSY: 503,
  ENGINE_LOOP_ITEM_FAILED: 422,
  ENGINE_MERGE_INVALID: 422,
  /** A `wait.webhook` step reached its timeout without a callback (with `onTimeout: 'fail'`). */
  ENGINE_WAIT_TIMED_OUT: 504,
});
