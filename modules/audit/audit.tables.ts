import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';

/**
 * Append-only: a trigger (migration 0000) refuses UPDATE and DELETE unless the
 * transaction set `weft.audit_maintenance`, which only the retention job and
 * subject erasure do.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    workspaceId: text('workspace_id'),
    ipHash: text('ip_hash'),
    details: jsonb('details').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId),
    index('audit_log_workspace_idx').on(t.workspaceId, t.at),
  ],
);

export const auditInventory = defineTableInventory({
  table: 'audit_log',
  module: 'audit',
  description: 'Who did which privileged action, when and from where',
  columns: {
    id: systemColumn('entry id', 'system.identifier'),
    actor_type: systemColumn('user, token, system or admin'),
    actor_id: {
      category: 'user.identifier',
      purpose: 'accountability for privileged actions (security)',
      subject: 'user',
      retention: '1 year',
      erase: 'anonymize',
    },
    action: systemColumn('what was done', 'system.security'),
    target_type: systemColumn('kind of record acted on'),
    target_id: {
      category: 'user.identifier',
      purpose: 'which record was acted on',
      subject: 'user',
      retention: '1 year',
      erase: 'anonymize',
    },
    workspace_id: systemColumn('workspace the action belongs to', 'system.identifier'),
    ip_hash: {
      category: 'user.device.ip_address',
      purpose: 'detect abuse of privileged actions; keyed hash of the truncated address, never the address',
      subject: 'user',
      retention: '1 year',
      erase: 'delete',
    },
    details: {
      category: 'user.behavior',
      purpose: 'what changed (never secrets)',
      subject: 'user',
      retention: '1 year',
      erase: 'delete',
    },
    at: systemColumn('when', 'system.security'),
  },
});
