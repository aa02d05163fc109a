import { and, asc, isNull, lte, sql } from 'drizzle-orm';
import { newId } from '@weft/kernel';
import { queryRows, type DbExecutor, type Tx } from './database';
import { outboxEvents } from './system.tables';

/** NOTIFY channel that wakes workers when an event is written. */
export const OUTBOX_CHANNEL = 'weft_outbox';

export interface DomainEvent<TPayload = unknown> {
  id: string;
  name: string;
  payload: TPayload;
  createdAt: Date;
  attempts: number;
}

/** Must be called with the transaction that makes the change the event describes. */
export async function writeOutboxEvent(tx: Tx, name: string, payload: unknown): Promise<string> {
  const id = newId();
  await tx.insert(outboxEvents).values({ id, name, payload });
  // Delivered on commit only; wakes idle workers instead of waiting for their next poll.
  await tx.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
  return id;
}

/**
 * Leases up to `limit` due events for `leaseSeconds`: they become due again
 * only if the claimer neither marks them delivered nor failed by then (it
 * died). Subscribers run after this statement commits, outside any
 * transaction, so they may use the database freely (PGlite has one
 * connection). SKIP LOCKED lets several workers claim side by side.
 */
export async function claimDueOutboxEvents(executor: DbExecutor, limit: number, leaseSeconds = 60): Promise<DomainEvent[]> {
  const rows = await queryRows<{ id: string; name: string; payload: unknown; created_at: string | Date; attempts: number }>(
    executor,
    sql`UPDATE outbox_events SET available_at = now() + make_interval(secs => ${leaseSeconds})
        WHERE id IN (SELECT id FROM outbox_events WHERE delivered_at IS NULL AND available_at <= now()
                     ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id, name, payload, created_at, attempts`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    createdAt: new Date(row.created_at),
    attempts: row.attempts,
  }));
}

export async function markOutboxEventDelivered(tx: DbExecutor, id: string): Promise<void> {
  await tx.update(outboxEvents).set({ deliveredAt: sql`now()`, attempts: sql`${outboxEvents.attempts} + 1` }).where(sql`${outboxEvents.id} = ${id}`);
}

/** Backs off exponentially (capped at one hour) before the next try. */
export async function markOutboxEventFailed(tx: DbExecutor, id: string, attempts: number, error: string): Promise<void> {
  const delaySeconds = Math.min(3600, 2 ** Math.min(attempts, 12));
  await tx
    .update(outboxEvents)
    .set({
      attempts: attempts + 1,
      lastError: error.slice(0, 2000),
      availableAt: sql`now() + make_interval(secs => ${delaySeconds})`,
    })
    .where(sql`${outboxEvents.id} = ${id}`);
}

export async function countPendingOutboxEvents(executor: DbExecutor): Promise<number> {
  const rows = await executor
    .select({ count: sql<number>`count(*)::int` })
    .from(outboxEvents)
    .where(and(isNull(outboxEvents.deliveredAt), lte(outboxEvents.availableAt, sql`now()`)))
    .orderBy(asc(sql`1`));
  return rows[0]?.count ?? 0;
}

/** Delivered events are kept a week for troubleshooting, then removed. */
export async function purgeDeliveredOutboxEvents(executor: DbExecutor, olderThanDays = 7): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`DELETE FROM outbox_events WHERE delivered_at < now() - make_interval(days => ${olderThanDays}) RETURNING id`,
  );
  return rows.length;
}
