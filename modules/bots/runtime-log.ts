import type { Database } from '@weft/db';
import type { Clock, Logger } from '@weft/kernel';
import type { EventLevel } from './bot-data.tables';
import { insertRuntimeEventRow } from './bot-data.repository';

/**
 * The bot's runtime log (bot_runtime_events). Writes from the interaction
 * path are not awaited by the reply; `drain` waits for those in flight.
 * Messages name commands and error codes, never member ids or tokens.
 */
export function createRuntimeLog(deps: { database: Database; clock: Clock; logger: Logger }) {
  const inFlight = new Set<Promise<void>>();
  return {
    record(botId: string, level: EventLevel, message: string, details?: Record<string, unknown>): void {
      const write = insertRuntimeEventRow(deps.database.db, { botId, at: deps.clock.now(), level, message, ...(details ? { details } : {}) })
        .catch((error: unknown) => deps.logger.warn({ err: error, botId }, 'bot runtime event not written'))
        .finally(() => inFlight.delete(write));
      inFlight.add(write);
    },
    async drain(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

export type RuntimeLog = ReturnType<typeof createRuntimeLog>;
