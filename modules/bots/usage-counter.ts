import type { Database } from '@weft/db';
import type { Logger } from '@weft/kernel';
import { addUsageCounts, type UsageRow } from './bot-data.repository';

export type UsageOutcome = 'invocation' | 'failure' | 'refusal';

/**
 * Command usage per UTC day, counted in memory and written in one upsert
 * per flush: an interaction never waits for a statistics write. A failed
 * flush keeps its counts for the next one; `stop` flushes what is left.
 */
export function createUsageCounter(deps: { database: Database; logger: Logger; flushIntervalMs?: number }) {
  let counts = new Map<string, UsageRow>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  function merge(into: Map<string, UsageRow>, row: UsageRow): void {
    const key = `${row.botId}|${row.commandId}|${row.day}`;
    const existing = into.get(key);
    if (!existing) into.set(key, { ...row });
    else {
      existing.invocations += row.invocations;
      existing.failures += row.failures;
      existing.refusals += row.refusals;
    }
  }

  async function writeBatch(): Promise<void> {
    if (counts.size === 0) return;
    const batch = counts;
    counts = new Map();
    try {
      await addUsageCounts(deps.database.db, [...batch.values()]);
    } catch (error) {
      for (const row of batch.values()) merge(counts, row);
      deps.logger.warn({ err: error }, 'bot usage statistics not written; retrying with the next flush');
    }
  }

  return {
    count(botId: string, commandId: string, outcome: UsageOutcome, at: Date): void {
      merge(counts, {
        botId,
        commandId,
        day: at.toISOString().slice(0, 10),
        invocations: outcome === 'invocation' ? 1 : 0,
        failures: outcome === 'failure' ? 1 : 0,
        refusals: outcome === 'refusal' ? 1 : 0,
      });
    },
    /** Writes the counts gathered so far; flushes never overlap. */
    flush(): Promise<void> {
      flushing = flushing.then(writeBatch);
      return flushing;
    },
    start(): void {
      timer ??= setInterval(() => void this.flush(), deps.flushIntervalMs ?? 5_000).unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await this.flush();
    },
  };
}

export type UsageCounter = ReturnType<typeof createUsageCounter>;
