import { hostname } from 'node:os';
import {
  claimDueOutboxEvents,
  claimPeriodicJob,
  finishPeriodicJob,
  markOutboxEventDelivered,
  markOutboxEventFailed,
  OUTBOX_CHANNEL,
  registerPeriodicJobs,
  renewPeriodicJobLease,
  type Database,
} from '@weft/db';
import { newId, type EventSubscriber, type Logger, type PeriodicJob } from '@weft/kernel';

export interface WorkerOptions {
  database: Database;
  logger: Logger;
  jobs: PeriodicJob[];
  subscribers: EventSubscriber[];
  /** How often to look for due work when no notification arrives. */
  pollMs: number;
  /** Distinguishes this worker in leases and logs. */
  workerId?: string;
  outboxBatchSize?: number;
  /** Other loops that live as long as the worker, e.g. the run queue's runner. */
  components?: WorkerComponent[];
}

export interface WorkerComponent {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Worker {
  id: string;
  start(): Promise<void>;
  /** Stops claiming work, aborts running jobs and waits for them to finish. */
  stop(): Promise<void>;
  /** Delivers due outbox events once; returns how many were handled. */
  deliverOutboxOnce(): Promise<number>;
  /** Runs every periodic job that is due and free once; returns the names it ran. */
  runDueJobsOnce(): Promise<string[]>;
}

const DEFAULT_LEASE_MS = 60_000;

export function createWorker(options: WorkerOptions): Worker {
  const id = options.workerId ?? `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  const logger = options.logger.child({ worker: id });
  const batchSize = options.outboxBatchSize ?? 50;
  const subscribersByEvent = new Map<string, EventSubscriber[]>();
  for (const subscriber of options.subscribers) {
    subscribersByEvent.set(subscriber.event, [...(subscribersByEvent.get(subscriber.event) ?? []), subscriber]);
  }
  const abort = new AbortController();
  let started = false;
  const loops: Promise<void>[] = [];
  // Sleepers of the outbox loop, woken early by NOTIFY when an event is written.
  const outboxWaiters = new Set<() => void>();
  let unlisten: (() => Promise<void>) | null = null;

  async function deliverOutboxOnce(): Promise<number> {
    // Claimed under a lease, delivered outside any transaction (subscribers use the database themselves),
    // then marked: a worker that dies in between leaves the events to be delivered again (at least once).
    const { db } = options.database;
    const events = await claimDueOutboxEvents(db, batchSize);
    for (const event of events) {
      try {
        for (const subscriber of subscribersByEvent.get(event.name) ?? []) {
          await subscriber.deliver(event.payload, { eventId: event.id, logger });
        }
        await markOutboxEventDelivered(db, event.id);
      } catch (error) {
        logger.warn({ err: error, event: event.name, eventId: event.id }, 'event delivery failed; will retry');
        await markOutboxEventFailed(db, event.id, event.attempts, error instanceof Error ? error.message : String(error));
      }
    }
    return events.length;
  }

  async function runJob(job: PeriodicJob): Promise<boolean> {
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    const claim = await claimPeriodicJob(options.database.db, job.name, id, leaseMs);
    if (!claim) return false;
    const renew = setInterval(() => {
      renewPeriodicJobLease(options.database.db, job.name, id, leaseMs).then(
        (held) => {
          if (!held) logger.error({ job: job.name }, 'lost the lease of a running job');
        },
        (error: unknown) => logger.error({ err: error, job: job.name }, 'could not renew job lease'),
      );
    }, Math.max(50, leaseMs / 3));
    let failure: string | null = null;
    try {
      await job.run({ signal: abort.signal, logger: logger.child({ job: job.name }) });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, job: job.name }, 'periodic job failed');
    } finally {
      clearInterval(renew);
    }
    await finishPeriodicJob(options.database.db, job.name, id, job.intervalMs, failure);
    return true;
  }

  async function runDueJobsOnce(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of options.jobs) {
      if (abort.signal.aborted) break;
      if (await runJob(job)) ran.push(job.name);
    }
    return ran;
  }

  function sleep(ms: number, waiters?: Set<() => void>): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        waiters?.delete(done);
        abort.signal.removeEventListener('abort', done);
        resolve();
      }
      waiters?.add(done);
      abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Repeats `step` until stopped; sleeps only when a step found nothing to do. */
  async function loop(name: string, step: () => Promise<number>, waiters?: Set<() => void>): Promise<void> {
    while (!abort.signal.aborted) {
      let handled = 0;
      try {
        handled = await step();
      } catch (error) {
        if (abort.signal.aborted) break;
        logger.error({ err: error, loop: name }, 'worker loop step failed');
      }
      if (handled === 0) await sleep(options.pollMs, waiters);
    }
  }

  return {
    id,
    deliverOutboxOnce,
    runDueJobsOnce,
    async start() {
      await registerPeriodicJobs(options.database.db, options.jobs.map((j) => j.name));
      unlisten = await options.database.listen(OUTBOX_CHANNEL, () => {
        for (const wake of [...outboxWaiters]) wake();
      });
      loops.push(loop('outbox', deliverOutboxOnce, outboxWaiters));
      // Jobs are due by their interval, so this loop always waits a poll between rounds.
      loops.push(loop('jobs', async () => (await runDueJobsOnce(), 0)));
      for (const component of options.components ?? []) await component.start();
      started = true;
      logger.info({ jobs: options.jobs.map((j) => j.name), subscribers: options.subscribers.length }, 'worker started');
    },
    async stop() {
      if (started) for (const component of options.components ?? []) await component.stop();
      started = false;
      abort.abort();
      await Promise.all(loops);
      loops.length = 0;
      await unlisten?.();
      unlisten = null;
      logger.info('worker stopped');
    },
  };
}
