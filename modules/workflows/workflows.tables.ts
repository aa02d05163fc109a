import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn, type ColumnInventory } from '@weft/kernel';

/**
 * A workflow: its editable draft and its settings. What runs is never the
 * draft but a published, immutable `workflow_versions` row.
 * Workspaces belong to the workspaces module: no foreign key across module borders.
 */
export const workflows = pgTable(
  'workflows',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    draftGraph: jsonb('draft_graph').notNull(),
    draftUpdatedAt: timestamp('draft_updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedVersionId: uuid('published_version_id'),
    savingPolicy: text('saving_policy', { enum: ['all', 'failed', 'none'] }).notNull().default('all'),
    concurrencyLimit: integer('concurrency_limit'),
    timeoutMs: integer('timeout_ms').notNull().default(300_000),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    index('workflows_workspace_idx').on(t.workspaceId, t.id),
    index('workflows_created_by_idx').on(t.createdBy),
    check('workflows_saving_policy_valid', sql`${t.savingPolicy} IN ('all', 'failed', 'none')`),
    check('workflows_concurrency_positive', sql`${t.concurrencyLimit} IS NULL OR ${t.concurrencyLimit} > 0`),
    check('workflows_timeout_positive', sql`${t.timeoutMs} > 0`),
  ],
);

/** Published graphs. Immutable: a trigger (same migration) refuses any UPDATE of `graph`. */
export const workflowVersions = pgTable(
  'workflow_versions',
  {
    id: uuid('id').primaryKey(),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    version: integer('version').notNull(),
    graph: jsonb('graph').notNull(),
    message: text('message').notNull().default(''),
    publishedBy: text('published_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('workflow_versions_number_idx').on(t.workflowId, t.version), index('workflow_versions_published_by_idx').on(t.publishedBy)],
);

/**
 * The webhook entry points of published versions, one row per trigger node.
 * A row keeps its id across publishes (same workflow and node id) so that
 * `/hooks/t/:triggerId` stays stable; a removed node deactivates its row.
 */
export const webhookTriggers = pgTable(
  'webhook_triggers',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    workspaceSlug: text('workspace_slug').notNull(),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id').notNull(),
    nodeId: text('node_id').notNull(),
    path: text('path').notNull(),
    method: text('method').notNull(),
    mode: text('mode', { enum: ['sync', 'async'] }).notNull(),
    auth: jsonb('auth').notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    uniqueIndex('webhook_triggers_node_idx').on(t.workflowId, t.nodeId),
    uniqueIndex('webhook_triggers_active_path_idx').on(t.workspaceId, t.path).where(sql`${t.active}`),
    index('webhook_triggers_slug_path_idx').on(t.workspaceSlug, t.path),
    check('webhook_triggers_mode_valid', sql`${t.mode} IN ('sync', 'async')`),
  ],
);

const workspaceColumn = systemColumn('workspace that owns the row', 'system.identifier');

/** Graphs are written by workspace members and may quote anything they typed (names, URLs, messages). */
const graphColumn = (what: string): ColumnInventory => ({
  category: 'user.content',
  purpose: what,
  subject: 'workspace_member',
  retention: 'until the workflow or its workspace is deleted',
  erase: 'not-personal',
});

const authorColumn = (what: string): ColumnInventory => ({
  category: 'user.identifier',
  purpose: what,
  subject: 'user',
  retention: 'until the workflow or its workspace is deleted',
  erase: 'anonymize',
});

export const workflowsInventory = defineTableInventory({
  table: 'workflows',
  module: 'workflows',
  description: 'Workflows of a workspace: draft graph and run settings',
  columns: {
    id: systemColumn('workflow id', 'system.identifier'),
    workspace_id: workspaceColumn,
    name: graphColumn('name shown in the editor and lists'),
    description: graphColumn('description shown in the editor'),
    draft_graph: graphColumn('the graph being edited'),
    draft_updated_at: systemColumn('when the draft last changed'),
    published_version_id: systemColumn('version that triggers start', 'system.identifier'),
    saving_policy: systemColumn('which runs are saved: all, failed or none'),
    concurrency_limit: systemColumn('most runs of this workflow at once'),
    timeout_ms: systemColumn('longest a run may take'),
    created_by: authorColumn('who created the workflow (shown to the workspace)'),
    created_at: systemColumn('when it was created'),
    updated_at: systemColumn('when it last changed'),
    archived_at: systemColumn('when it was archived'),
  },
});

export const workflowVersionsInventory = defineTableInventory({
  table: 'workflow_versions',
  module: 'workflows',
  description: 'Immutable published versions of workflows',
  columns: {
    id: systemColumn('version id', 'system.identifier'),
    workflow_id: systemColumn('workflow', 'system.identifier'),
    workspace_id: workspaceColumn,
    version: systemColumn('version number, 1, 2, …'),
    graph: graphColumn('the published graph that runs'),
    message: graphColumn('publish message written by the publisher'),
    published_by: authorColumn('who published the version (history shown to the workspace)'),
    published_at: systemColumn('when it was published'),
  },
});

export const webhookTriggersInventory = defineTableInventory({
  table: 'webhook_triggers',
  module: 'workflows',
  description: 'Webhook addresses of published workflows',
  columns: {
    id: systemColumn('trigger id, part of the /hooks/t/:id address', 'system.identifier'),
    workspace_id: workspaceColumn,
    workspace_slug: systemColumn('workspace part of the /hooks/:slug/:path address', 'system.identifier'),
    workflow_id: systemColumn('workflow started', 'system.identifier'),
    version_id: systemColumn('version started', 'system.identifier'),
    node_id: systemColumn('trigger node in the graph'),
    path: systemColumn('path of the address'),
    method: systemColumn('HTTP method accepted'),
    mode: systemColumn('sync (reply with the result) or async (202)'),
    auth: systemColumn('how callers authenticate (type and credential id; never a secret)', 'system.security'),
    active: systemColumn('whether the address accepts requests'),
  },
});

export const workflowsInventories = [workflowsInventory, workflowVersionsInventory, webhookTriggersInventory];
