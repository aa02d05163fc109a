import type { Database } from '@weft/db';
import type { Logger } from '@weft/kernel';
import { RUN_PROGRESS_CHANNEL } from './runs.events';

export interface RunProgressHub {
  /**
   * Calls `onChange` whenever the watched run's row changes, in any process.
   * Resolves once the LISTEN is in place, so a change committed after that is
   * never missed. Returns the unsubscribe function.
   */
  subscribe(runId: string, onChange: () => void): Promise<() => void>;
  /** Open subscriptions in this process (tests check that none leak). */
  readonly subscriberCount: number;
  stop(): Promise<void>;
}

/**
 * One LISTEN on `weft_run_progress` per process, shared by every event
 * stream: on PostgreSQL each LISTEN holds a pool connection, so a LISTEN per
 * browser tab would drain the pool. Started with the first subscriber and
 * kept until `stop()`.
 */
export function createRunProgressHub(options: { database: Database; logger: Logger }): RunProgressHub {
  const byRun = new Map<string, Set<() => void>>();
  let listening: Promise<() => Promise<void>> | undefined;
  let count = 0;

  function dispatch(runId: string): void {
    for (const onChange of byRun.get(runId) ?? []) {
      try {
        onChange();
      } catch (error) {
        options.logger.warn({ err: error, runId }, 'a run progress listener failed');
      }
    }
  }

  async function ensureListening(): Promise<void> {
    listening ??= options.database.listen(RUN_PROGRESS_CHANNEL, dispatch);
    try {
      await listening;
    } catch (error) {
      listening = undefined;
      throw error;
    }
  }

  return {
    async subscribe(runId, onChange) {
      // Registered before the LISTEN resolves: nothing between the two is lost.
      const listeners = byRun.get(runId) ?? new Set();
      byRun.set(runId, listeners);
      const entry = () => onChange();
      listeners.add(entry);
      count += 1;
      let isSubscribed = true;
      const unsubscribe = () => {
        if (!isSubscribed) return;
        isSubscribed = false;
        count -= 1;
        listeners.delete(entry);
        if (listeners.size === 0 && byRun.get(runId) === listeners) byRun.delete(runId);
      };
      try {
        await ensureListening();
      } catch (error) {
        unsubscribe();
        throw error;
      }
      return unsubscribe;
    },
    get subscriberCount() {
      return count;
    },
    async stop() {
      const pending = listening;
      listening = undefined;
      byRun.clear();
      count = 0;
      if (pending) await (await pending.catch(() => async () => undefined))();
    },
  };
}
