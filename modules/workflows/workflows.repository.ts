import { and, desc, eq, isNull, lt, max, sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbExecutor, type Tx } from '@weft/db';
import { workflows, workflowVersions } from './workflows.tables';

export type WorkflowRow = typeof workflows.$inferSelect & { publishedVersion: number | null };
export type NewWorkflowRow = typeof workflows.$inferInsert;
export type WorkflowVersionRow = typeof workflowVersions.$inferSelect;
export type SavingPolicy = WorkflowRow['savingPolicy'];

const workflowColumns = {
  id: workflows.id,
  workspaceId: workflows.workspaceId,
  name: workflows.name,
  description: workflows.description,
  draftGraph: workflows.draftGraph,
  draftUpdatedAt: workflows.draftUpdatedAt,
  publishedVersionId: workflows.publishedVersionId,
  savingPolicy: workflows.savingPolicy,
  concurrencyLimit: workflows.concurrencyLimit,
  timeoutMs: workflows.timeoutMs,
  createdBy: workflows.createdBy,
  createdAt: workflows.createdAt,
  updatedAt: workflows.updatedAt,
  archivedAt: workflows.archivedAt,
  publishedVersion: workflowVersions.version,
};

function selectWorkflows(executor: DbExecutor) {
  return executor
    .select(workflowColumns)
    .from(workflows)
    .leftJoin(workflowVersions, eq(workflowVersions.id, workflows.publishedVersionId));
}

export async function insertWorkflow(executor: DbExecutor, row: NewWorkflowRow): Promise<void> {
  await executor.insert(workflows).values(row);
}

/** Scoped by workspace: a workflow of another workspace is simply not found. */
export async function findWorkflow(executor: DbExecutor, workspaceId: string, id: string): Promise<WorkflowRow | null> {
  const rows = await selectWorkflows(executor).where(and(eq(workflows.id, id), eq(workflows.workspaceId, workspaceId)));
  return rows[0] ?? null;
}

/** Locks the row so that concurrent publishes of one workflow number their versions one after the other. */
export async function lockWorkflow(tx: Tx, workspaceId: string, id: string): Promise<WorkflowRow | null> {
  const locked = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM workflows WHERE id = ${id} AND workspace_id = ${workspaceId} FOR UPDATE`,
  );
  return locked.length === 0 ? null : findWorkflow(tx, workspaceId, id);
}

export interface WorkflowListFilter {
  workspaceId: string;
  includeArchived: boolean;
  /** Keyset cursor: ids are UUIDv7, so "older than" is "smaller id". */
  beforeId?: string;
}

export async function listWorkflowRows(executor: DbExecutor, filter: WorkflowListFilter, limit: number): Promise<WorkflowRow[]> {
  const conditions: SQL[] = [eq(workflows.workspaceId, filter.workspaceId)];
  if (!filter.includeArchived) conditions.push(isNull(workflows.archivedAt));
  if (filter.beforeId) conditions.push(lt(workflows.id, filter.beforeId));
  return selectWorkflows(executor)
    .where(and(...conditions))
    .orderBy(desc(workflows.id))
    .limit(limit);
}

export async function updateWorkflowRow(executor: DbExecutor, id: string, patch: Partial<NewWorkflowRow>): Promise<void> {
  await executor.update(workflows).set(patch).where(eq(workflows.id, id));
}

export async function insertVersionRow(executor: DbExecutor, row: typeof workflowVersions.$inferInsert): Promise<void> {
  await executor.insert(workflowVersions).values(row);
}

export async function findLatestVersionNumber(executor: DbExecutor, workflowId: string): Promise<number> {
  const rows = await executor
    .select({ latest: max(workflowVersions.version) })
    .from(workflowVersions)
    .where(eq(workflowVersions.workflowId, workflowId));
  return rows[0]?.latest ?? 0;
}

export async function findVersionRow(executor: DbExecutor, workflowId: string, version: number): Promise<WorkflowVersionRow | null> {
  const rows = await executor
    .select()
    .from(workflowVersions)
    .where(and(eq(workflowVersions.workflowId, workflowId), eq(workflowVersions.version, version)));
  return rows[0] ?? null;
}

export async function findVersionRowById(executor: DbExecutor, versionId: string): Promise<WorkflowVersionRow | null> {
  const rows = await executor.select().from(workflowVersions).where(eq(workflowVersions.id, versionId));
  return rows[0] ?? null;
}

export async function listVersionRows(executor: DbExecutor, workflowId: string): Promise<Omit<WorkflowVersionRow, 'graph'>[]> {
  return executor
    .select({
      id: workflowVersions.id,
      workflowId: workflowVersions.workflowId,
      workspaceId: workflowVersions.workspaceId,
      version: workflowVersions.version,
      message: workflowVersions.message,
      publishedBy: workflowVersions.publishedBy,
      publishedAt: workflowVersions.publishedAt,
    })
    .from(workflowVersions)
    .where(eq(workflowVersions.workflowId, workflowId))
    .orderBy(desc(workflowVersions.version));
}

export async function listWorkflowRowsCreatedBy(executor: DbExecutor, userId: string): Promise<WorkflowRow[]> {
  return selectWorkflows(executor).where(eq(workflows.createdBy, userId)).orderBy(desc(workflows.id));
}

export async function listVersionRowsPublishedBy(executor: DbExecutor, userId: string): Promise<WorkflowVersionRow[]> {
  return executor.select().from(workflowVersions).where(eq(workflowVersions.publishedBy, userId)).orderBy(desc(workflowVersions.publishedAt));
}

/** Erasure keeps the workflows (they belong to the workspace) and cuts them loose from the person. */
export async function anonymizeAuthorOf(tx: Tx, userId: string, replacement: string): Promise<void> {
  await tx.update(workflows).set({ createdBy: replacement }).where(eq(workflows.createdBy, userId));
  await tx.update(workflowVersions).set({ publishedBy: replacement }).where(eq(workflowVersions.publishedBy, userId));
}

/**
 * The published version of every non-archived workflow, for modules that keep
 * derived state (schedules, event triggers) and reconcile it. `nodeTypes`
 * narrows it to graphs holding at least one node of those types.
 */
export async function listPublishedVersionRows(
  executor: DbExecutor,
  nodeTypes?: readonly string[],
): Promise<Pick<WorkflowVersionRow, 'id' | 'workflowId' | 'workspaceId' | 'version' | 'graph'>[]> {
  const conditions: SQL[] = [isNull(workflows.archivedAt)];
  if (nodeTypes !== undefined) {
    const holdsType = nodeTypes.map((type) => sql`${workflowVersions.graph}->'nodes' @> ${JSON.stringify([{ type }])}::jsonb`);
    conditions.push(holdsType.length === 0 ? sql`false` : sql`(${sql.join(holdsType, sql` OR `)})`);
  }
  return executor
    .select({ id: workflowVersions.id, workflowId: workflowVersions.workflowId, workspaceId: workflowVersions.workspaceId, version: workflowVersions.version, graph: workflowVersions.graph })
    .from(workflows)
    .innerJoin(workflowVersions, eq(workflowVersions.id, workflows.publishedVersionId))
    .where(and(...conditions));
}
