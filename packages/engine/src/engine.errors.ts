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
});
