import { hostname } from 'node:os';
import { AppError, newId } from '@weft/kernel';
import { WorkflowErrors } from '@weft/workflows';
import { planFires } from './cron-ticks';
import { advanceSchedule, claimDueSchedules, deleteSchedule, releaseSchedule, type ClaimedSchedule } from './schedules.repository';
import type { TriggersModuleDeps } from './triggers.deps';

type SchedulerDeps = Pick<TriggersModuleDeps, 'database' | 'clock' | 'logger' | 'startRun' | 'scheduler'>;

const STALE_WORKFLOW_CODES: ReadonlySet<string> = new Set([WorkflowErrors.WORKFLOW_NOT_FOUND, WorkflowErrors.WORKFLOW_NOT_PUBLISHED, WorkflowErrors.WORKFLOW_ARCHIVED]);

/** The run key of one tick: whoever fires it, however often, the runs module creates one run. */
export function scheduleRunKey(scheduleId: string, tick: Date): string {
  return `schedule:${scheduleId}:${tick.toISOString()}`;
}

/**
 * Fires due schedules. Each round claims rows with a lease (one UPDATE, SKIP
 * LOCKED), starts a run per tick to fire with the tick's idempotency key, then
 * advances `next_fire_at` and lets the row go. Runs are started outside the
 * claim's transaction (the runs module opens its own, and PGlite has a single
 * connection), so exactly-once rests on two things: one scheduler holds a row
 * at a time, and a scheduler that dies between starting a run and advancing
 * leaves a tick whose run key the next holder re-uses — the runs module's
 * unique index hands back the same run.
 */
export function createScheduler(deps: SchedulerDeps) {
  const options = deps.scheduler ?? {};
  const id = options.schedulerId ?? `${hostname()}:${process.pid}:scheduler:${newId().slice(-6)}`;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 50;
  const logger = deps.logger.child({ scheduler: id });
  const db = deps.database.db;

  /** Returns the number of runs created (not those handed back by an earlier attempt). */
  async function fireSchedule(claim: ClaimedSchedule): Promise<number> {
    const now = deps.clock.now();
    const plan = planFires({
      spec: claim,
      policy: claim.missedFirePolicy,
      nextFireAt: claim.nextFireAt,
      now,
      graceMs: options.graceMs ?? 60_000,
      maxCatchUp: options.maxCatchUp ?? 100,
    });
    if (plan.skippedCount > 0) logger.info({ scheduleId: claim.id, skipped: plan.skippedCount, policy: claim.missedFirePolicy }, 'missed ticks not fired');
    let created = 0;
    let lastRunId: string | null = null;
    for (const tick of plan.ticks) {
      try {
        const started = await deps.startRun({
          workspaceId: claim.workspaceId,
          workflowId: claim.workflowId,
          triggerKind: 'schedule',
          input: { scheduledAt: tick.toISOString(), firedAt: now.toISOString(), timezone: claim.timezone },
          idempotencyKey: scheduleRunKey(claim.id, tick),
        });
        lastRunId = started.runId;
        if (started.isCreated) created += 1;
      } catch (error) {
        if (error instanceof AppError && STALE_WORKFLOW_CODES.has(error.code)) {
          // Archived or gone: the sync subscriber removes the row too; this stops firing meanwhile.
          await deleteSchedule(db, claim.id);
          return created;
        }
        // Not advanced: the next try re-plans from the same tick, and ticks already started keep their run.
        logger.warn({ err: error, scheduleId: claim.id, tick }, 'could not start a scheduled run; will retry');
        await releaseSchedule(db, claim.id, id, new Date(now.getTime() + (options.retryDelayMs ?? 30_000)));
        return created;
      }
    }
    if (plan.nextFireAt === null) {
      await deleteSchedule(db, claim.id);
      return created;
    }
    const lastFiredAt = plan.ticks.at(-1) ?? null;
    await advanceSchedule(db, claim, id, { nextFireAt: plan.nextFireAt, lastFiredAt, lastRunId, now: deps.clock.now() });
    return created;
  }

  /** One round: claims due schedules and fires them; returns how many schedules it handled. */
  async function fireDueSchedules(): Promise<number> {
    const claims = await claimDueSchedules(db, id, deps.clock.now(), leaseMs, batchSize);
    for (const claim of claims) await fireSchedule(claim);
    return claims.length;
  }

  let stopping: AbortController | null = null;
  let loop: Promise<void> | null = null;

  async function runLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let handled = 0;
      try {
        handled = await fireDueSchedules();
      } catch (error) {
        logger.error({ err: error }, 'scheduler round failed');
      }
      // A full batch means more may be due right now.
      if (handled < batchSize) await sleep(pollMs, signal);
    }
  }

  return {
    id,
    fireDueSchedules,
    /** Starts the loop; a worker component (`{ start, stop }`). */
    async start(): Promise<void> {
      if (loop) return;
      stopping = new AbortController();
      loop = runLoop(stopping.signal);
    },
    /** Finishes the round in progress and stops. */
    async stop(): Promise<void> {
      stopping?.abort();
      await loop;
      loop = null;
      stopping = null;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
