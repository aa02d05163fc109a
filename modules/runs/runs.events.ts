/**
 * NOTIFY channels of the run queue. They only wake sleepers up: a runner
 * that misses one finds the work at its next poll.
 */
export const RUNS_CHANNEL = 'weft_runs';
/** Payload: the run id whose cancellation was requested; the runner holding it aborts at once. */
export const RUN_CANCEL_CHANNEL = 'weft_run_cancel';
