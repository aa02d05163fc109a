import { and, eq, inArray, isNull, ne, notInArray, sql } from 'drizzle-orm';
import type { DbExecutor, Tx } from '@weft/db';
import { newId } from '@weft/kernel';
import { webhookTriggers, workflows, workflowVersions } from './workflows.tables';

export interface WebhookTriggerSpec {
  nodeId: string;
  path: string;
  method: string;
  mode: 'sync' | 'async';
  auth: Record<string, unknown>;
}

/** A published webhook with what a request needs to start its run, all in one row. */
export interface WebhookTriggerEntry {
  triggerId: string;
  workspaceId: string;
  workspaceSlug: string;
  workflowId: string;
  versionId: string;
  version: number;
  nodeId: string;
  path: string;
  method: string;
  mode: 'sync' | 'async';
  auth: Record<string, unknown>;
  savingPolicy: 'all' | 'failed' | 'none';
  concurrencyLimit: number | null;
  timeoutMs: number;
}

/** Paths among `paths` that another workflow of the workspace already listens on. */
export async function findTakenWebhookPaths(tx: Tx, workspaceId: string, workflowId: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const rows = await tx
    .select({ path: webhookTriggers.path })
    .from(webhookTriggers)
    .where(
      and(
        eq(webhookTriggers.workspaceId, workspaceId),
        eq(webhookTriggers.active, true),
        ne(webhookTriggers.workflowId, workflowId),
        inArray(webhookTriggers.path, paths),
      ),
    );
  return rows.map((row) => row.path);
}

/**
 * Points the workflow's webhooks at a new version: rows of nodes still
 * present keep their id, new nodes get a row, removed nodes are deactivated.
 */
export async function replaceWebhookTriggers(
  tx: Tx,
  target: { workspaceId: string; workspaceSlug: string; workflowId: string; versionId: string },
  specs: WebhookTriggerSpec[],
): Promise<void> {
  const nodeIds = specs.map((spec) => spec.nodeId);
  // Deactivate first so that a path moving between nodes of this workflow does not hit the unique index.
  await tx
    .update(webhookTriggers)
    .set({ active: false })
    .where(
      nodeIds.length === 0
        ? eq(webhookTriggers.workflowId, target.workflowId)
        : and(eq(webhookTriggers.workflowId, target.workflowId), notInArray(webhookTriggers.nodeId, nodeIds)),
    );
  for (const spec of specs) {
    const values = {
      workspaceId: target.workspaceId,
      workspaceSlug: target.workspaceSlug,
      versionId: target.versionId,
      path: spec.path,
      method: spec.method,
      mode: spec.mode,
      auth: spec.auth,
      active: true,
    };
    try {
      await tx
        .insert(webhookTriggers)
        .values({ id: newId(), workflowId: target.workflowId, nodeId: spec.nodeId, ...values })
        .onConflictDoUpdate({ target: [webhookTriggers.workflowId, webhookTriggers.nodeId], set: values });
    } catch (error) {
      // Two workflows publishing the same path at once: the partial unique index lets one win.
      if (isUniqueViolation(error, 'webhook_triggers_active_path_idx')) throw new WebhookPathTakenError(spec.path);
      throw error;
    }
  }
}

export class WebhookPathTakenError extends Error {
  constructor(readonly path: string) {
    super(`Webhook path ${path} is taken`);
    this.name = 'WebhookPathTakenError';
  }
}

/** PostgreSQL's unique_violation (23505) on `constraint`, as raised directly or wrapped by drizzle. */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let current = error; typeof current === 'object' && current !== null; current = (current as { cause?: unknown }).cause) {
    const { code, constraint: name, message } = current as { code?: unknown; constraint?: unknown; message?: unknown };
    if (code === '23505' && (name === constraint || (typeof message === 'string' && message.includes(constraint)))) return true;
  }
  return false;
}

export async function deactivateWebhookTriggers(tx: Tx, workflowId: string): Promise<void> {
  await tx.update(webhookTriggers).set({ active: false }).where(eq(webhookTriggers.workflowId, workflowId));
}

const entryColumns = {
  triggerId: webhookTriggers.id,
  workspaceId: webhookTriggers.workspaceId,
  workspaceSlug: webhookTriggers.workspaceSlug,
  workflowId: webhookTriggers.workflowId,
  versionId: webhookTriggers.versionId,
  version: workflowVersions.version,
  nodeId: webhookTriggers.nodeId,
  path: webhookTriggers.path,
  method: webhookTriggers.method,
  mode: webhookTriggers.mode,
  auth: webhookTriggers.auth,
  savingPolicy: workflows.savingPolicy,
  concurrencyLimit: workflows.concurrencyLimit,
  timeoutMs: workflows.timeoutMs,
};

/** Every webhook that accepts requests now; `workflowId` narrows it to one workflow. */
export async function listActiveWebhookTriggerEntries(executor: DbExecutor, workflowId?: string): Promise<WebhookTriggerEntry[]> {
  const rows = await executor
    .select(entryColumns)
    .from(webhookTriggers)
    .innerJoin(workflows, eq(workflows.id, webhookTriggers.workflowId))
    .innerJoin(workflowVersions, eq(workflowVersions.id, webhookTriggers.versionId))
    .where(
      and(
        eq(webhookTriggers.active, true),
        isNull(workflows.archivedAt),
        workflowId === undefined ? sql`true` : eq(webhookTriggers.workflowId, workflowId),
      ),
    );
  return rows.map((row) => ({ ...row, auth: row.auth as Record<string, unknown> }));
}
