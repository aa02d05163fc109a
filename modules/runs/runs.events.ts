/**
 * NOTIFY channels of the run queue. They only wake sleepers up: a runner
 * that misses one finds the work at its next poll.
 */
export const RUNS_CHANNEL = 'weft_runs';
/** Payload: the run id whose cancellation was requested; the runner holding it aborts at once. */
export const RUN_CANCEL_CHANNEL = 'weft_run_cancel';
/**
 * Payload: the id of a watched run (`is_watched`) whose row changed; sent by
 * the trigger `runs_notify_watchers` in the transaction of the change. Event
 * streams re-read the run and its steps on each one.
 */
export const RUN_PROGRESS_CHANNEL = 'weft_run_progress';
