import type { DataRights } from '@weft/kernel';
import { createWorkflowCatalog } from './workflow-catalog';
import { createWorkflowVersionsRoutes } from './workflow-versions.routes';
import { createWorkflowVersionsService } from './workflow-versions.service';
import type { WorkflowsModuleDeps } from './workflows.deps';
import { createWorkflowsRoutes } from './workflows.routes';
import { createWorkflowsService } from './workflows.service';
import { workflowsInventories } from './workflows.tables';

export type { Actor, AuditEntry, CredentialReference, RequireWorkspaceAccess, WorkflowsModuleDeps, WorkspacePermission, WorkspaceRef } from './workflows.deps';
export { describeActor, ERASED_AUTHOR } from './workflows.deps';
export { createWorkspaceGuard } from './workflows.routes';
export type { RunnableVersion, WorkflowCatalog, WorkflowRunSettings } from './workflow-catalog';
export type { WebhookTriggerEntry } from './webhook-triggers.repository';
export type { GraphDiff } from './diff-workflow-graphs';
export { WorkflowErrors } from './workflows.errors';
export { WORKFLOW_CHANGES_CHANNEL, WorkflowEvents, type WorkflowArchived, type WorkflowVersionPublished } from './workflows.events';
export { stringifyStable, WorkflowDocument, WorkflowSettings, type SavingPolicy } from './workflow-document';

/**
 * Workflows: drafts, immutable published versions, webhook addresses,
 * export/import. Runs execute what `api.catalog` hands out.
 */
export function createWorkflowsModule(deps: WorkflowsModuleDeps) {
  const workflows = createWorkflowsService(deps);
  const versions = createWorkflowVersionsService(deps, workflows);
  const dataRights: DataRights = { module: 'workflows', exportSubject: workflows.exportSubject, eraseSubject: workflows.eraseSubject };
  return {
    routes: [...createWorkflowsRoutes(workflows, deps.requireWorkspaceAccess), ...createWorkflowVersionsRoutes(versions, deps.requireWorkspaceAccess)],
    api: {
      createWorkflow: workflows.createWorkflow,
      getWorkflow: workflows.getWorkflow,
      updateWorkflow: workflows.updateWorkflow,
      archiveWorkflow: workflows.archiveWorkflow,
      publishWorkflow: versions.publishWorkflow,
      rollbackWorkflow: versions.rollbackWorkflow,
      listVersions: versions.listVersions,
      diffVersions: versions.diffVersions,
      exportWorkflow: versions.exportWorkflow,
      importWorkflow: versions.importWorkflow,
      /** What the runs module executes from. */
      catalog: createWorkflowCatalog(deps.database, workflows),
    },
    inventories: workflowsInventories,
    dataRights,
  };
}

export type WorkflowsModule = ReturnType<typeof createWorkflowsModule>;
export type WorkflowsApi = WorkflowsModule['api'];
