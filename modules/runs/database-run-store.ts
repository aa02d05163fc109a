import { and, asc, eq, ne } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import type { RunStore, StepRecord, StepWait } from '@weft/engine';
import type { BatchWriter } from './batch-writer';
import type { CheckpointItem, LeaseState } from './run-queue.repository';
import { runSteps } from './runs.tables';

type StepRow = typeof runSteps.$inferSelect;

export function toStepRecord(row: StepRow): StepRecord {
  return {
    nodeId: row.nodeId,
    status: row.status,
    ...(row.port === null ? {} : { port: row.port }),
    ...(row.output === null ? {} : { output: row.output }),
    ...(row.outputTruncated ? { outputTruncated: true } : {}),
    ...(row.error === null ? {} : { error: row.error as StepRecord['error'] }),
    ...(row.wait === null || row.wait === undefined ? {} : { wait: toStepWait(row.wait) }),
    attempts: row.attempts,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** `resumeAt` comes back from jsonb as a string. */
function toStepWait(value: unknown): StepWait {
  const wait = value as { resumeAt?: string; hasCallbackToken?: boolean };
  return { ...wait, ...(wait.resumeAt === undefined ? {} : { resumeAt: new Date(wait.resumeAt) }) } as StepWait;
}

/** Finished ('succeeded' or 'skipped') steps of a run; failed ones run again on resume. */
export async function loadFinishedStepRecords(executor: DbExecutor, runId: string): Promise<StepRecord[]> {
  const rows = await executor
    .select()
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), ne(runSteps.status, 'failed')))
    .orderBy(asc(runSteps.startedAt));
  return rows.map(toStepRecord);
}

const NO_STEPS: StepRecord[] = [];

export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} is no longer held by this worker`);
    this.name = 'LeaseLostError';
  }
}

export interface DatabaseRunStoreOptions {
  executor: DbExecutor;
  /** The group-commit writer of this worker's checkpoints. */
  checkpoints: BatchWriter<CheckpointItem, LeaseState>;
  /** False for a run claimed for the first time (and not a replay): it cannot have checkpoints, so none are read. */
  mayHaveCheckpoints(runId: string): boolean;
  /** Throws when the run must not write any more (lease lost, worker stopping). */
  assertMayWrite(runId: string): void;
  /** Told after each checkpoint whether a cancel was requested, so the run stops before its next step. */
  onLeaseState(state: LeaseState): void;
}

/**
 * The engine's RunStore on `run_steps`. `saveStep` resolves only once the
 * step is committed (one upsert, possibly sharing its transaction with other
 * runs' checkpoints), so the executor never starts a step before the
 * previous one is durable.
 */
export function createDatabaseRunStore(options: DatabaseRunStoreOptions): RunStore {
  return {
    loadFinishedSteps: (runId) => (options.mayHaveCheckpoints(runId) ? loadFinishedStepRecords(options.executor, runId) : Promise.resolve(NO_STEPS)),
    async saveStep(runId, step) {
      options.assertMayWrite(runId);
      const state = await options.checkpoints.submit({ runId, step });
      options.onLeaseState(state);
    },
  };
}
