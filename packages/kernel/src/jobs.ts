import type { Logger } from './logger';

/**
 * Background work a module hands to the worker. Periodic jobs run at most once
 * at a time across all workers (lease in the database); event subscribers are
 * delivered at least once, so they must be idempotent.
 */
export interface PeriodicJob {
  name: string;
  intervalMs: number;
  /** How long a claim lasts without renewal; the worker renews at a third of it. */
  leaseMs?: number;
  run(context: { signal: AbortSignal; logger: Logger }): Promise<void>;
}

export interface EventSubscriber {
  /** Event name, e.g. `accounts.user.signed-up`. */
  event: string;
  /** Stable name of the subscriber, used in logs. */
  name: string;
  deliver(payload: unknown, context: { eventId: string; logger: Logger }): Promise<void>;
}
