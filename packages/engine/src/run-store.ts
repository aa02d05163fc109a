/** `waiting`: the node suspended the run (durable wait); it completes when the host resumes the run. */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'waiting';

export interface StepError {
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  /** An AppError's details when they are small JSON: where an expression failed, the code node's logs… */
  readonly details?: unknown;
}

/**
 * What a waiting step waits for. The callback token itself is never part of
 * a record: the executor hands it to the host once, in `RunOutcome.wait`.
 */
export interface StepWait {
  readonly resumeAt?: Date;
  readonly hasCallbackToken: boolean;
}

/** One node's result in one run: what the checkpoint writes and what resume reads back. */
export interface StepRecord {
  readonly nodeId: string;
  readonly status: StepStatus;
  /** The port that fired; absent when nothing fired (failed, or skipped because unreached). */
  readonly port?: string;
  /** The output, or `{ truncated, bytes, preview }` when it exceeded the cap. */
  readonly output?: unknown;
  readonly outputTruncated?: boolean;
  readonly error?: StepError;
  /** On a failed step: the input it received, capped like an output, so the failure can be understood. */
  readonly input?: unknown;
  /** On a waiting step. */
  readonly wait?: StepWait;
  /** Calls to the node's `run`; 0 when it never ran (skipped, or params failed to resolve). A resume counts one more. */
  readonly attempts: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/**
 * Where a run's checkpoints live. The executor awaits `saveStep` after every
 * step before starting the next one, so a host that crashes loses at most the
 * step in flight. A record for a node replaces any earlier one (a failed try
 * followed by a successful resume).
 */
export interface RunStore {
  /**
   * The run's 'succeeded' and 'skipped' steps; failed ones are run again on
   * resume. Should also return 'waiting' ones: a run called again without a
   * matching `resumeInput` then stays waiting instead of running its wait again.
   */
  loadFinishedSteps(runId: string): Promise<StepRecord[]> | StepRecord[];
  /** A store that keeps nothing (or keeps it in memory) may answer without a promise; the executor then does not wait. */
  saveStep(runId: string, step: StepRecord): Promise<void> | void;
}

export interface MemoryRunStore extends RunStore {
  /** Every saved record of the run, failed ones included, in the order first saved. */
  listSteps(runId: string): StepRecord[];
  /** Drops a run; the hot path calls it once the outcome is handled so memory stays flat. */
  deleteRun(runId: string): void;
}

const NO_STEPS: StepRecord[] = [];

export function createMemoryRunStore(): MemoryRunStore {
  const runs = new Map<string, Map<string, StepRecord>>();
  return {
    loadFinishedSteps(runId) {
      const steps = runs.get(runId);
      if (steps === undefined) return Promise.resolve(NO_STEPS);
      return Promise.resolve([...steps.values()].filter((step) => step.status !== 'failed'));
    },
    saveStep(runId, step) {
      let steps = runs.get(runId);
      if (steps === undefined) {
        steps = new Map();
        runs.set(runId, steps);
      }
      steps.set(step.nodeId, step);
      return Promise.resolve();
    },
    listSteps: (runId) => [...(runs.get(runId)?.values() ?? [])],
    deleteRun(runId) {
      runs.delete(runId);
    },
  };
}
