import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn, type TableInventory } from '@weft/kernel';

/**
 * Transactional outbox: a module writes its domain event in the same
 * transaction as the change it describes; the worker delivers it afterwards.
 * An event is never lost when the change commits and never seen when it rolls back.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_events_pending_idx').on(t.deliveredAt, t.availableAt)],
);

/**
 * Periodic jobs and their lease. A worker claims a due job by moving
 * `locked_until` into the future in one UPDATE; PostgreSQL's row lock makes
 * that claim exclusive across processes, and an expired lease (dead worker)
 * lets another worker take over.
 */
export const periodicJobs = pgTable('periodic_jobs', {
  name: text('name').primaryKey(),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
  lockedBy: text('locked_by'),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastStartedAt: timestamp('last_started_at', { withTimezone: true }),
  lastFinishedAt: timestamp('last_finished_at', { withTimezone: true }),
  lastError: text('last_error'),
  runCount: integer('run_count').notNull().default(0),
});

export const systemInventories: TableInventory[] = [
  defineTableInventory({
    table: 'weft_migrations',
    module: 'db',
    description: 'Which schema migrations have been applied',
    columns: {
      tag: systemColumn('migration name'),
      applied_at: systemColumn('when the migration ran'),
    },
  }),
  defineTableInventory({
    table: 'outbox_events',
    module: 'db',
    description: 'Domain events waiting to be delivered to other modules',
    columns: {
      id: systemColumn('event id', 'system.identifier'),
      name: systemColumn('event name'),
      payload: {
        category: 'system.identifier',
        purpose: 'ids of the records an event is about, needed to deliver it',
        subject: 'none',
        retention: '7 days after delivery',
        erase: 'not-personal',
      },
      created_at: systemColumn('when the event was written'),
      available_at: systemColumn('earliest delivery time (backoff)'),
      delivered_at: systemColumn('when delivery succeeded'),
      attempts: systemColumn('delivery attempts'),
      last_error: systemColumn('last delivery error'),
    },
  }),
  defineTableInventory({
    table: 'periodic_jobs',
    module: 'db',
    description: 'Schedule and lease of background jobs',
    columns: {
      name: systemColumn('job name'),
      next_run_at: systemColumn('next due time'),
      locked_by: systemColumn('worker holding the lease'),
      locked_until: systemColumn('lease expiry'),
      last_started_at: systemColumn('last start'),
      last_finished_at: systemColumn('last finish'),
      last_error: systemColumn('last failure'),
      run_count: systemColumn('how many times it ran'),
    },
  }),
];
