import type { Database } from '@weft/db';
import { executeRun, redactValue, type LoadCredentials, type NodeServices, type RunOutcome } from '@weft/engine';
import { AppError, type Logger } from '@weft/kernel';
import { createBatchWriter } from './batch-writer';
import type { CompiledWorkflowCache } from './compiled-workflow-cache';
import { createDatabaseRunStore, LeaseLostError } from './database-run-store';
import { finishRuns, releaseLeases, renewLeases, saveCheckpoints, type CheckpointItem, type ClaimedRun, type LeaseState, type RunEnding } from './run-queue.repository';

export interface RunHostOptions {
  database: Database;
  logger: Logger;
  graphs: CompiledWorkflowCache;
  /** Lease owner name; unique per process. */
  workerId: string;
  /** How long a claim lasts without renewal; the heartbeat renews every held lease each third of it. */
  leaseMs: number;
  /** Node services and the credential loader bound to the run's workspace. */
  servicesFor(workspaceId: string): { services?: NodeServices; credentials?: LoadCredentials };
  /** Stores a wait (callback token, resume time) when a run suspends. */
  suspend(owner: string, runId: string, workspaceId: string, outcome: RunOutcome): Promise<boolean>;
  maxOutputBytes?: number;
}

/**
 * Why a held run stops early. `cancel` ends it as cancelled; `draining`
 * (clean shutdown) lets the step in flight finish and checkpoint, then
 * hands the run back; `lease-lost` and `shutdown` abandon it at once
 * without writing anything more, since another worker owns or will own it.
 */
type StopReason = 'cancel' | 'draining' | 'lease-lost' | 'shutdown';

interface HeldRun {
  readonly controller: AbortController;
  /** A run on its first claim has no checkpoints yet, unless a replay copied some in. */
  readonly mayHaveCheckpoints: boolean;
  stopReason: StopReason | null;
  done?: Promise<unknown>;
}

export class RunHandedBackError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} was handed back at a step boundary`);
    this.name = 'RunHandedBackError';
  }
}

/**
 * Executes runs this process holds the lease of: checkpoints through a
 * group-commit writer, renews the leases of every held run with one
 * statement per tick, aborts a run whose cancel was requested, and records
 * how each run ended. Both the runner (queued runs) and the webhook path
 * (sync runs of workflows with a concurrency limit) run through it.
 */
export function createRunHost(options: RunHostOptions) {
  const { database, workerId: owner, leaseMs } = options;
  const logger = options.logger.child({ worker: owner });
  const held = new Map<string, HeldRun>();
  let heartbeat: NodeJS.Timeout | undefined;

  const checkpoints = createBatchWriter<CheckpointItem, LeaseState>({
    maxDelayMs: 1,
    maxItems: 200,
    // The run waits for its checkpoint before its next step: an idle writer writes at once.
    flushWhenIdle: true,
    // PostgreSQL: two at a time; four made smaller batches and more commits (WAL flushes) for the same
    // steps, 8 % fewer runs/s. PGlite queues them on its one connection anyway: four kept its p50 lower.
    maxConcurrentWrites: database.kind === 'pglite' ? 4 : 2,
    async write(items) {
      let states: LeaseState[];
      try {
        states = await saveCheckpoints(database, owner, items);
      } catch (error) {
        if (items.length === 1) throw error;
        // One step the database refuses must not stop the other runs of its batch: write them one by one.
        const results = await Promise.all(items.map((item) => saveCheckpoints(database, owner, [item]).catch((failure: unknown) => failure)));
        return results.map((result, index) =>
          result instanceof Error ? result : ((result as LeaseState[])[0] ?? new LeaseLostError(items[index]!.runId)),
        );
      }
      const byRun = new Map(states.map((state) => [state.runId, state]));
      return items.map((item) => byRun.get(item.runId) ?? new LeaseLostError(item.runId));
    },
  });
  const endings = createBatchWriter<RunEnding, boolean>({
    maxDelayMs: 1,
    maxItems: 200,
    flushWhenIdle: true,
    async write(items) {
      const finished = new Set(await finishRuns(database, owner, items));
      return items.map((item) => finished.has(item.runId));
    },
  });

  function stopRun(runId: string, reason: StopReason): void {
    const run = held.get(runId);
    if (!run || run.stopReason === 'lease-lost' || run.stopReason === 'shutdown') return;
    if (run.stopReason === 'cancel' && reason === 'draining') return;
    run.stopReason = reason;
    if (reason !== 'draining') run.controller.abort();
  }

  function applyLeaseState(state: LeaseState): void {
    if (state.isCancelRequested) stopRun(state.runId, 'cancel');
  }

  const store = createDatabaseRunStore({
    executor: database.db,
    checkpoints,
    mayHaveCheckpoints: (runId) => held.get(runId)?.mayHaveCheckpoints ?? true,
    assertMayWrite(runId) {
      const reason = held.get(runId)?.stopReason;
      if (reason === undefined || reason === 'lease-lost' || reason === 'shutdown') throw new LeaseLostError(runId);
    },
    onLeaseState(state) {
      applyLeaseState(state);
      // The checkpoint is committed: a draining worker hands the run back here, between two steps.
      if (held.get(state.runId)?.stopReason === 'draining') throw new RunHandedBackError(state.runId);
    },
  });

  async function renewHeldLeases(): Promise<void> {
    const ids = [...held.keys()];
    try {
      const states = await renewLeases(database.db, owner, ids, leaseMs);
      const stillHeld = new Set(states.map((state) => state.runId));
      for (const id of ids) if (!stillHeld.has(id) && held.has(id)) stopRun(id, 'lease-lost');
      states.forEach(applyLeaseState);
    } catch (error) {
      // The lease may now expire and another worker resume the run; the fence on checkpoints keeps that safe.
      logger.warn({ err: error }, 'could not renew run leases');
    }
  }

  function updateHeartbeat(): void {
    if (held.size > 0 && heartbeat === undefined) {
      heartbeat = setInterval(() => void renewHeldLeases(), Math.max(20, Math.floor(leaseMs / 3)));
    } else if (held.size === 0 && heartbeat !== undefined) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  }

  async function finish(ending: RunEnding): Promise<void> {
    if (!(await endings.submit(ending))) logger.warn({ runId: ending.runId }, 'run ended after its lease was lost; outcome dropped');
  }

  async function executeHeld(run: ClaimedRun, entry: HeldRun, onResponse?: (response: unknown) => void): Promise<RunOutcome | null> {
    if (run.isCancelRequested) {
      await finish({ runId: run.id, status: 'cancelled', error: { message: 'The run was cancelled before it started' } });
      return null;
    }
    let compiled;
    try {
      compiled = await options.graphs.loadForRun(run);
    } catch (error) {
      // The same graph fails the same way on every worker: end the run instead of retrying it forever.
      const message = error instanceof Error ? error.message : String(error);
      await finish({ runId: run.id, status: 'failed', error: { message, code: error instanceof AppError ? error.code : undefined } });
      return null;
    }
    const { services, credentials } = options.servicesFor(run.workspaceId);
    // A plain literal, no spreads: one hidden class for the options the executor reads at every step.
    const outcome = await executeRun(compiled, {
      runId: run.id,
      triggerOutput: run.input,
      store,
      logger,
      signal: entry.controller.signal,
      deadline: run.startedAt.getTime() + run.timeoutMs,
      canSuspend: true,
      // The last checkpoint is written with the run's end, in one statement.
      deferFinalCheckpoint: true,
      resumeInput: run.resumeInput ?? undefined,
      onResponse,
      services,
      credentials,
      maxOutputBytes: options.maxOutputBytes,
    });
    if (entry.stopReason !== null && entry.stopReason !== 'cancel') return null;
    if (outcome.status === 'waiting') {
      if (!(await options.suspend(owner, run.id, run.workspaceId, outcome))) logger.warn({ runId: run.id }, 'run suspended after its lease was lost');
      return outcome;
    }
    await finish(describeEnding(run.id, outcome));
    return outcome;
  }

  return {
    workerId: owner,
    get heldCount() {
      return held.size;
    },

    /** Runs a claimed run to its end; null when it was handed back or lost instead. Never rejects. */
    async execute(run: ClaimedRun, onResponse?: (response: unknown) => void): Promise<RunOutcome | null> {
      const entry: HeldRun = {
        controller: new AbortController(),
        mayHaveCheckpoints: run.attempt > 1 || run.triggerKind === 'replay' || run.resumeInput !== null,
        stopReason: null,
      };
      held.set(run.id, entry);
      updateHeartbeat();
      const done = executeHeld(run, entry, onResponse).catch((error: unknown) => {
        if (!(error instanceof LeaseLostError) && !(error instanceof RunHandedBackError)) {
          // A store failure (database unreachable): the lease will expire and the run resume elsewhere.
          logger.error({ err: error, runId: run.id }, 'run stopped by an error; it will be resumed');
        }
        return null;
      });
      entry.done = done;
      try {
        return await done;
      } finally {
        held.delete(run.id);
        updateHeartbeat();
      }
    },

    /** Aborts a held run now (a cancel NOTIFY); the run ends as cancelled. */
    requestCancel(runId: string): void {
      stopRun(runId, 'cancel');
    },

    /**
     * Clean shutdown: held runs stop at their next step boundary; after
     * `graceMs` the rest are abandoned. Their leases are released so another
     * worker resumes them at once.
     */
    async stop(graceMs = 10_000): Promise<void> {
      const runs = [...held.entries()];
      for (const [id] of runs) stopRun(id, 'draining');
      const settled = Promise.all(runs.map(([, run]) => run.done));
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([settled, grace]);
      clearTimeout(timer);
      for (const [id] of runs) stopRun(id, 'shutdown');
      await settled;
      await checkpoints.drain();
      await endings.drain();
      await releaseLeases(
        database.db,
        owner,
        runs.map(([id]) => id),
      ).catch((error: unknown) => logger.warn({ err: error }, 'could not release run leases; they will expire'));
    },
  };
}

export type RunHost = ReturnType<typeof createRunHost>;

/**
 * How a run's end is stored. A run that waits is stored by the host's
 * `suspend`, never here: an in-memory run (no checkpoints) that reaches a
 * waiting node fails with the engine's ENGINE_WAIT_UNSUPPORTED instead.
 */
export function describeEnding(runId: string, outcome: RunOutcome): RunEnding {
  if (outcome.status === 'waiting') {
    const nodeId = outcome.wait?.nodeId;
    return { runId, status: 'failed', response: outcome.response, error: { nodeId, code: 'RUN_WAIT_UNSUPPORTED', message: `Node ${nodeId} waits, which runs started this way cannot do` } };
  }
  // The reply went out with the real values; the stored copy of the response loses the run's secrets.
  const response = outcome.secrets === undefined ? outcome.response : redactValue(outcome.response, outcome.secrets);
  return { runId, status: outcome.status, response, error: outcome.error, ...(outcome.unsavedSteps ? { steps: outcome.unsavedSteps } : {}) };
}
