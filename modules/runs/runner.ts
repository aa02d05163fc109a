import { hostname } from 'node:os';
import type { Database } from '@weft/db';
import type { LoadCredentials, NodeRegistry, NodeServices } from '@weft/engine';
import { newId, type Logger } from '@weft/kernel';
import type { WorkflowCatalog } from '@weft/workflows';
import { createCompiledWorkflowCache, type CompiledWorkflowCache } from './compiled-workflow-cache';
import { createRunHost } from './run-host';
import { claimRuns, releaseLeases, type ClaimedRun } from './run-queue.repository';
import { suspendRun } from './run-waits.repository';
import type { RunServices } from './workspace-services';
import { RUN_CANCEL_CHANNEL, RUNS_CHANNEL } from './runs.events';

export interface RunnerOptions {
  database: Database;
  logger: Logger;
  registry: NodeRegistry;
  catalog: Pick<WorkflowCatalog, 'findRunnableVersion'>;
  /** Shared with the webhook path when both live in one process. */
  graphs?: CompiledWorkflowCache;
  /** Lease owner name; unique per process (default host:pid:random). */
  workerId?: string;
  /** Runs this runner executes at once. */
  concurrency?: number;
  /** A dead worker's runs are taken over this long after its last renewal. */
  leaseMs?: number;
  /** How often an idle runner looks for due runs when no NOTIFY arrives. */
  pollMs?: number;
  /** Grace for runs in flight on stop before they are abandoned (and resumed elsewhere). */
  stopGraceMs?: number;
  /** The same services and credentials for every run (tests, tools)… */
  services?: NodeServices;
  credentials?: LoadCredentials;
  /** Base of the callback addresses of waiting runs. */
  publicUrl?: string;
  /** …or, from the runs module, bound to each run's workspace. */
  servicesFor?: (workspaceId: string) => RunServices;
  maxOutputBytes?: number;
}

/**
 * A free slot of a started runner, taken before a run is inserted already
 * claimed by it (status running, its lease): the run skips the queue's
 * NOTIFY and claim. Exactly one of `start` (after the insert committed) or
 * `release` (the insert failed) must follow.
 */
export interface RunnerSlot {
  /** The lease owner to write on the run. */
  readonly owner: string;
  readonly leaseMs: number;
  start(run: ClaimedRun): void;
  release(): void;
}

export interface Runner {
  readonly id: string;
  /** A slot for a run inserted already claimed; null when the runner is not running or has no free slot. */
  reserveSlot(): RunnerSlot | null;
  /** Claims what is due (up to `concurrency` runs), runs it to the end; returns how many it claimed. */
  runOnce(): Promise<number>;
  start(): Promise<void>;
  /** Stops claiming, lets runs in flight reach a step boundary (within the grace), hands the rest back. */
  stop(): Promise<void>;
}

/**
 * The worker side of the run queue: claims due runs (SKIP LOCKED, leases),
 * executes them with database checkpoints, and wakes up on NOTIFY instead
 * of waiting for its next poll.
 */
export function createRunner(options: RunnerOptions): Runner {
  const id = options.workerId ?? `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  // Runs wait on the database most of the time and their checkpoints share transactions: many slots, few connections.
  const concurrency = options.concurrency ?? 64;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1000;
  const logger = options.logger.child({ runner: id });
  const graphs =
    options.graphs ?? createCompiledWorkflowCache({ registry: options.registry, findRunnableVersion: options.catalog.findRunnableVersion });
  const host = createRunHost({
    database: options.database,
    logger,
    graphs,
    workerId: id,
    leaseMs,
    // Services given explicitly win over the module's per-workspace ones (a tool or test runner with its own).
    servicesFor: options.services || options.credentials || !options.servicesFor ? sameForEveryWorkspace(options) : options.servicesFor,
    suspend: (owner, runId, workspaceId, outcome) =>
      suspendRun(options.database, owner, runId, workspaceId, outcome, (token) => `${options.publicUrl ?? ''}/hooks/resume/${token}`),
    ...(options.maxOutputBytes === undefined ? {} : { maxOutputBytes: options.maxOutputBytes }),
  });
  const active = new Set<Promise<unknown>>();
  const unlisteners: (() => Promise<void>)[] = [];
  let isStarted = false;
  let isStopping = false;
  let isWoken = false;
  // Slots promised to runs being inserted already claimed (reserveSlot), not yet started.
  let reserved = 0;
  // Whether a claim may find something: a NOTIFY (a run was queued or a slot of a limited workflow freed) since
  // the last claim, or that claim filled every slot it asked for. A run of ours ending alone adds nothing due.
  let hasPendingNotify = true;
  let wasLastClaimFull = false;
  let wakeSleeper: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  function wake(): void {
    isWoken = true;
    wakeSleeper?.();
  }

  function onRunsNotify(): void {
    hasPendingNotify = true;
    wake();
  }

  /** Resolves true when the poll interval passed, false when woken early. */
  function sleep(ms: number): Promise<boolean> {
    if (isWoken || isStopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(true), ms);
      function done(hasTimedOut: boolean) {
        clearTimeout(timer);
        wakeSleeper = undefined;
        resolve(hasTimedOut);
      }
      wakeSleeper = () => done(false);
    });
  }

  function startHeld(run: ClaimedRun): Promise<unknown> {
    const execution: Promise<unknown> = host.execute(run).finally(() => {
      active.delete(execution);
      wake();
    });
    active.add(execution);
    return execution;
  }

  async function claimAndStart(slots: number): Promise<Promise<unknown>[]> {
    const claimed = await options.database.transaction((tx) => claimRuns(tx, id, leaseMs, slots));
    return claimed.map(startHeld);
  }

  function reserveSlot(): RunnerSlot | null {
    if (!isStarted || isStopping || active.size + reserved >= concurrency) return null;
    reserved++;
    let isSettled = false;
    const settle = (): boolean => {
      if (isSettled) return false;
      isSettled = true;
      reserved--;
      return true;
    };
    return {
      owner: id,
      leaseMs,
      start(run) {
        if (!settle()) return;
        if (!isStopping) {
          startHeld(run);
          return;
        }
        // Stopped while the run was being inserted: hand it to another worker at once instead of after its lease.
        releaseLeases(options.database.db, id, [run.id]).catch((error: unknown) =>
          logger.warn({ err: error, runId: run.id }, 'could not hand back a run; it resumes when its lease expires'),
        );
      },
      release() {
        if (settle()) wake();
      },
    };
  }

  async function runLoop(): Promise<void> {
    // Under load, wait for a few slots to free up and claim them in one transaction instead of one claim per run.
    const batchSlots = Math.max(1, Math.floor(concurrency / 4));
    let hasPolled = true;
    while (!isStopping) {
      isWoken = false;
      let claimed = 0;
      const slots = concurrency - active.size - reserved;
      const mayFindDue = hasPendingNotify || wasLastClaimFull || hasPolled;
      const isWorthClaiming = slots > 0 && mayFindDue && (active.size === 0 || slots >= batchSlots || hasPolled);
      if (isWorthClaiming) {
        hasPendingNotify = false;
        try {
          claimed = (await claimAndStart(slots)).length;
          wasLastClaimFull = claimed === slots;
        } catch (error) {
          hasPendingNotify = true;
          if (isStopping) break;
          logger.error({ err: error }, 'claiming runs failed');
        }
      }
      hasPolled = false;
      if (!isWorthClaiming || claimed === 0 || active.size >= concurrency) hasPolled = await sleep(pollMs);
    }
  }

  return {
    id,
    reserveSlot,
    async runOnce() {
      const started = await claimAndStart(concurrency);
      await Promise.all(started);
      return started.length;
    },
    async start() {
      unlisteners.push(await options.database.listen(RUNS_CHANNEL, onRunsNotify));
      unlisteners.push(await options.database.listen(RUN_CANCEL_CHANNEL, (runId) => host.requestCancel(runId)));
      loop = runLoop();
      isStarted = true;
      logger.info({ concurrency, leaseMs }, 'runner started');
    },
    async stop() {
      isStopping = true;
      wake();
      await loop;
      await host.stop(options.stopGraceMs ?? 10_000);
      await Promise.all([...active]);
      for (const unlisten of unlisteners.splice(0)) await unlisten();
      logger.info('runner stopped');
    },
  };
}

function sameForEveryWorkspace(options: Pick<RunnerOptions, 'services' | 'credentials'>): () => RunServices {
  const services: RunServices = {
    ...(options.services ? { services: options.services } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  return () => services;
}
