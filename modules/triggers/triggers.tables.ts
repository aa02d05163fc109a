import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';

import { MISSED_FIRE_POLICIES } from '@weft/contracts';

/** The API's list (packages/contracts): what the schedules table's check accepts. */
export const MISSED_FIRE_POLICY_VALUES = MISSED_FIRE_POLICIES;

/**
 * One row per schedule trigger node of a published, non-archived workflow
 * version; the scheduler claims rows whose `next_fire_at` has come. A row keeps
 * its id across publishes (same workflow and node id): the id is part of each
 * tick's run idempotency key. Workflows and workspaces belong to other
 * modules: no foreign keys to them.
 */
export const workflowSchedules = pgTable(
  'workflow_schedules',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    versionId: uuid('version_id').notNull(),
    nodeId: text('node_id').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    missedFirePolicy: text('missed_fire_policy', { enum: MISSED_FIRE_POLICY_VALUES }).notNull(),
    /** The next tick not yet fired (UTC). */
    nextFireAt: timestamp('next_fire_at', { withTimezone: true }).notNull(),
    /** The latest tick a run was started for. */
    lastFiredAt: timestamp('last_fired_at', { withTimezone: true }),
    lastRunId: uuid('last_run_id'),
    /** Lease of the scheduler firing the row; a dead scheduler's lease expires and another takes over. */
    claimedBy: text('claimed_by'),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('workflow_schedules_node_idx').on(t.workflowId, t.nodeId),
    index('workflow_schedules_due_idx').on(t.nextFireAt),
    index('workflow_schedules_workspace_idx').on(t.workspaceId, t.nextFireAt),
    check('workflow_schedules_policy_valid', sql`${t.missedFirePolicy} IN ('skip', 'fire-once', 'fire-all')`),
  ],
);

/** One row per app-event trigger node of a published, non-archived workflow version. */
export const workflowEventTriggers = pgTable(
  'workflow_event_triggers',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    versionId: uuid('version_id').notNull(),
    nodeId: text('node_id').notNull(),
    event: text('event').notNull(),
    /** JSONata over the payload; null starts a run for every event. */
    filter: text('filter'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('workflow_event_triggers_node_idx').on(t.workflowId, t.nodeId), index('workflow_event_triggers_event_idx').on(t.event, t.workspaceId)],
);

const workspaceColumn = systemColumn('workspace that owns the row', 'system.identifier');

export const workflowSchedulesInventory = defineTableInventory({
  table: 'workflow_schedules',
  module: 'triggers',
  description: 'Cron schedules of published workflows and when they fire next',
  columns: {
    id: systemColumn('schedule id, part of each tick’s run idempotency key', 'system.identifier'),
    workspace_id: workspaceColumn,
    workflow_id: systemColumn('workflow started', 'system.identifier'),
    version_id: systemColumn('published version the schedule comes from', 'system.identifier'),
    node_id: systemColumn('schedule trigger node in the graph'),
    cron: systemColumn('cron pattern'),
    timezone: systemColumn('time zone the pattern is read in'),
    missed_fire_policy: systemColumn('what to do with ticks missed during downtime'),
    next_fire_at: systemColumn('next tick to fire'),
    last_fired_at: systemColumn('latest tick fired'),
    last_run_id: systemColumn('run started for the latest tick', 'system.identifier'),
    claimed_by: systemColumn('scheduler process holding the row'),
    claimed_until: systemColumn('when that hold expires'),
    created_at: systemColumn('when the schedule was created'),
    updated_at: systemColumn('when it last changed'),
  },
});

export const workflowEventTriggersInventory = defineTableInventory({
  table: 'workflow_event_triggers',
  module: 'triggers',
  description: 'App events that start published workflows',
  columns: {
    id: systemColumn('trigger id', 'system.identifier'),
    workspace_id: workspaceColumn,
    workflow_id: systemColumn('workflow started', 'system.identifier'),
    version_id: systemColumn('published version the trigger comes from', 'system.identifier'),
    node_id: systemColumn('event trigger node in the graph'),
    event: systemColumn('name of the app event'),
    // Written by members like the rest of the graph; it may quote values they typed.
    filter: {
      category: 'user.content',
      purpose: 'condition on the event payload',
      subject: 'workspace_member',
      retention: 'until the workflow is archived or republished without it',
      erase: 'not-personal',
    },
    created_at: systemColumn('when the trigger was created'),
  },
});

export const triggersInventories = [workflowSchedulesInventory, workflowEventTriggersInventory];
