import type { RunnableVersion } from '@weft/workflows';
import { deleteEventTriggersOfWorkflows, deleteWorkspaceEventTriggers, listEventTriggerWorkflowIds, replaceEventTriggers } from './event-triggers.repository';
import { deleteSchedulesOfWorkflows, deleteWorkspaceSchedules, listScheduledWorkflowIds, replaceSchedules } from './schedules.repository';
import { EVENT_NODE_TYPE, extractTriggerSpecs, SCHEDULE_NODE_TYPE } from './trigger-specs';
import type { TriggersModuleDeps } from './triggers.deps';

type SyncDeps = Pick<TriggersModuleDeps, 'database' | 'clock' | 'registry' | 'catalog'>;

/**
 * Keeps `workflow_schedules` and `workflow_event_triggers` equal to what the
 * published, non-archived versions say. Every entry point reads the workflow's
 * current state instead of trusting an event's payload, so at-least-once and
 * out-of-order delivery (a retried older publish) converge to the same rows.
 */
export function createTriggerSync(deps: SyncDeps) {
  async function applyVersion(version: RunnableVersion): Promise<void> {
    const specs = extractTriggerSpecs(version.graph, deps.registry);
    const target = { workspaceId: version.workspaceId, workflowId: version.workflowId, versionId: version.versionId };
    const now = deps.clock.now();
    await deps.database.transaction(async (tx) => {
      await replaceSchedules(tx, target, specs.schedules, now);
      await replaceEventTriggers(tx, target, specs.events, now);
    });
  }

  async function removeWorkflows(workflowIds: string[]): Promise<void> {
    await deps.database.transaction(async (tx) => {
      await deleteSchedulesOfWorkflows(tx, workflowIds);
      await deleteEventTriggersOfWorkflows(tx, workflowIds);
    });
  }

  return {
    /** After `workflows.version.published` or `workflows.workflow.archived`: idempotent. */
    async syncWorkflow(workspaceId: string, workflowId: string): Promise<void> {
      const settings = await deps.catalog.findWorkflowRunSettings(workspaceId, workflowId);
      const versionId = settings && !settings.isArchived ? settings.publishedVersionId : null;
      const version = versionId === null ? null : await deps.catalog.findRunnableVersion(versionId);
      if (version === null) await removeWorkflows([workflowId]);
      else await applyVersion(version);
    },

    /** After `workspaces.workspace.deleted`: nothing of the workspace fires again. */
    async removeWorkspace(workspaceId: string): Promise<void> {
      await deps.database.transaction(async (tx) => {
        await deleteWorkspaceSchedules(tx, workspaceId);
        await deleteWorkspaceEventTriggers(tx, workspaceId);
      });
    },

    /**
     * Rebuilds every row from the published versions: the safety net for an
     * event lost to a bug or a restored backup. Returns the workflows it kept.
     */
    async reconcileAll(): Promise<number> {
      const versions = await deps.catalog.listPublishedVersions([SCHEDULE_NODE_TYPE, EVENT_NODE_TYPE]);
      for (const version of versions) await applyVersion(version);
      const live = new Set(versions.map((version) => version.workflowId));
      const stored = new Set([...(await listScheduledWorkflowIds(deps.database.db)), ...(await listEventTriggerWorkflowIds(deps.database.db))]);
      await removeWorkflows([...stored].filter((workflowId) => !live.has(workflowId)));
      return live.size;
    },
  };
}

export type TriggerSync = ReturnType<typeof createTriggerSync>;
