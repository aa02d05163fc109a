import type { Database } from '@weft/db';
import { WORKFLOW_CHANGES_CHANNEL } from './workflows.events';
import { findVersionRowById, findWorkflow, listPublishedVersionRows } from './workflows.repository';
import { listActiveWebhookTriggerEntries, type WebhookTriggerEntry } from './webhook-triggers.repository';
import type { WorkflowsService } from './workflows.service';

/** A published graph, ready to compile. Immutable, so callers may cache it by `versionId` forever. */
export interface RunnableVersion {
  versionId: string;
  workflowId: string;
  workspaceId: string;
  version: number;
  graph: unknown;
}

/** What starting a run of a workflow needs to know about it. */
export interface WorkflowRunSettings {
  workflowId: string;
  workspaceId: string;
  publishedVersionId: string | null;
  publishedVersion: number | null;
  savingPolicy: 'all' | 'failed' | 'none';
  concurrencyLimit: number | null;
  timeoutMs: number;
  isArchived: boolean;
}

/**
 * The read side the runs module executes from. Changes reach in-process
 * subscribers through `onWorkflowsChanged` right after commit, and other
 * processes through NOTIFY on `changesChannel` (payload: the workflow id).
 */
export function createWorkflowCatalog(database: Database, workflows: WorkflowsService) {
  return {
    changesChannel: WORKFLOW_CHANGES_CHANNEL,
    onWorkflowsChanged: workflows.onWorkflowsChanged,

    async findRunnableVersion(versionId: string): Promise<RunnableVersion | null> {
      const row = await findVersionRowById(database.db, versionId);
      if (!row) return null;
      return { versionId: row.id, workflowId: row.workflowId, workspaceId: row.workspaceId, version: row.version, graph: row.graph };
    },

    /** Scoped by workspace: another workspace's workflow is not found. */
    async findWorkflowRunSettings(workspaceId: string, workflowId: string): Promise<WorkflowRunSettings | null> {
      const row = await findWorkflow(database.db, workspaceId, workflowId);
      if (!row) return null;
      return {
        workflowId: row.id,
        workspaceId: row.workspaceId,
        publishedVersionId: row.publishedVersionId,
        publishedVersion: row.publishedVersion,
        savingPolicy: row.savingPolicy,
        concurrencyLimit: row.concurrencyLimit,
        timeoutMs: row.timeoutMs,
        isArchived: row.archivedAt !== null,
      };
    },

    /** The published version of every non-archived workflow (optionally only graphs using `nodeTypes`), for reconciling derived state. */
    async listPublishedVersions(nodeTypes?: readonly string[]): Promise<RunnableVersion[]> {
      const rows = await listPublishedVersionRows(database.db, nodeTypes);
      return rows.map((row) => ({ versionId: row.id, workflowId: row.workflowId, workspaceId: row.workspaceId, version: row.version, graph: row.graph }));
    },

    /** A node of the workflow's draft as saved (for testing it alone); undefined without such a workflow in the workspace. */
    async findDraftNode(workspaceId: string, workflowId: string, nodeId: string): Promise<unknown | null | undefined> {
      const row = await findWorkflow(database.db, workspaceId, workflowId);
      if (!row) return undefined;
      const nodes = (row.draftGraph as { nodes?: unknown } | null)?.nodes;
      if (!Array.isArray(nodes)) return null;
      return nodes.find((node) => typeof node === 'object' && node !== null && (node as { id?: unknown }).id === nodeId) ?? null;
    },

    listActiveWebhookTriggers(workflowId?: string): Promise<WebhookTriggerEntry[]> {
      return listActiveWebhookTriggerEntries(database.db, workflowId);
    },
  };
}

export type WorkflowCatalog = ReturnType<typeof createWorkflowCatalog>;
