import { AppError } from '@weft/kernel';
import { diffWorkflowGraphs, type GraphDiff } from './diff-workflow-graphs';
import { findGraphProblems, publishGraph, throwIfInvalid, type PublishedVersion } from './publish-workflow';
import { buildWorkflowDocument, stringifyStable, WorkflowDocument } from './workflow-document';
import type { Actor, WorkflowsModuleDeps, WorkspaceRef } from './workflows.deps';
import { WorkflowErrors } from './workflows.errors';
import { findVersionRow, listVersionRows, type WorkflowRow, type WorkflowVersionRow } from './workflows.repository';
import { pickSettings, type WorkflowsService } from './workflows.service';

/** `draft` or a published version number. */
export type VersionRef = number | 'draft';

export function createWorkflowVersionsService(deps: WorkflowsModuleDeps, workflows: WorkflowsService) {
  async function requireVersion(workflowId: string, version: number): Promise<WorkflowVersionRow> {
    const row = await findVersionRow(deps.database.db, workflowId, version);
    if (!row) throw new AppError(WorkflowErrors.WORKFLOW_VERSION_NOT_FOUND, `Version ${version} not found`, { version });
    return row;
  }

  async function readGraph(workflow: WorkflowRow, ref: VersionRef): Promise<unknown> {
    return ref === 'draft' ? workflow.draftGraph : (await requireVersion(workflow.id, ref)).graph;
  }

  return {
    /** Publishes the current draft as the next version; an invalid draft is refused with every problem listed. */
    async publishWorkflow(workspace: WorkspaceRef, actor: Actor, id: string, message: string): Promise<PublishedVersion> {
      const published = await deps.database.transaction(async (tx) => {
        const workflow = await workflows.requireLockedWorkflow(tx, workspace.id, id);
        return publishGraph(deps, tx, { workspace, workflow, graph: workflow.draftGraph, message, actor });
      });
      workflows.announceChange(id);
      return published;
    },

    /** Rollback publishes an older version's graph again as a new version; history is never rewritten. */
    async rollbackWorkflow(workspace: WorkspaceRef, actor: Actor, id: string, version: number, message?: string): Promise<PublishedVersion> {
      const published = await deps.database.transaction(async (tx) => {
        const workflow = await workflows.requireLockedWorkflow(tx, workspace.id, id);
        const old = await findVersionRow(tx, id, version);
        if (!old) throw new AppError(WorkflowErrors.WORKFLOW_VERSION_NOT_FOUND, `Version ${version} not found`, { version });
        return publishGraph(deps, tx, {
          workspace,
          workflow,
          graph: old.graph,
          message: message ?? `Rollback to version ${version}`,
          actor,
          rolledBackFrom: version,
        });
      });
      workflows.announceChange(id);
      return published;
    },

    async listVersions(workspace: WorkspaceRef, id: string) {
      const workflow = await workflows.requireWorkflow(deps.database.db, workspace.id, id);
      return listVersionRows(deps.database.db, workflow.id);
    },

    async getVersion(workspace: WorkspaceRef, id: string, version: number): Promise<WorkflowVersionRow> {
      const workflow = await workflows.requireWorkflow(deps.database.db, workspace.id, id);
      return requireVersion(workflow.id, version);
    },

    async diffVersions(workspace: WorkspaceRef, id: string, from: VersionRef, to: VersionRef): Promise<GraphDiff> {
      const workflow = await workflows.requireWorkflow(deps.database.db, workspace.id, id);
      return diffWorkflowGraphs(await readGraph(workflow, from), await readGraph(workflow, to));
    },

    /** The draft (or a published version) as stable, pretty JSON: the same workflow always gives the same bytes. */
    async exportWorkflow(workspace: WorkspaceRef, id: string, ref: VersionRef = 'draft'): Promise<{ name: string; json: string }> {
      const workflow = await workflows.requireWorkflow(deps.database.db, workspace.id, id);
      const document = buildWorkflowDocument({
        name: workflow.name,
        description: workflow.description,
        settings: pickSettings(workflow),
        graph: await readGraph(workflow, ref),
      });
      return { name: workflow.name, json: stringifyStable(WorkflowDocument.parse(document)) };
    },

    /**
     * Creates a workflow from an export document; a graph with problems is
     * refused (422 with every problem). With `publish`, version 1 is published
     * in the same transaction, so a taken webhook path leaves nothing behind.
     */
    async importWorkflow(workspace: WorkspaceRef, actor: Actor, input: unknown, publish: boolean) {
      const parsed = WorkflowDocument.safeParse(input);
      if (!parsed.success) {
        throw new AppError(
          WorkflowErrors.WORKFLOW_DOCUMENT_INVALID,
          'This is not a Weft workflow document',
          parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
        );
      }
      const document = parsed.data;
      throwIfInvalid(findGraphProblems(deps, document.graph));
      const result = await deps.database.transaction(async (tx) => {
        const created = await workflows.insertNewWorkflow(tx, workspace, actor, {
          name: document.name,
          description: document.description,
          graph: document.graph,
          settings: document.settings,
        });
        await deps.audit.recordAudit(
          {
            actor: { type: actor.type, id: actor.id },
            action: 'workflow.imported',
            target: { type: 'workflow', id: created.id },
            workspaceId: workspace.id,
            ip: actor.ip ?? null,
            details: { publish },
          },
          tx,
        );
        if (!publish) return { workflowId: created.id, published: null };
        const workflow = await workflows.requireLockedWorkflow(tx, workspace.id, created.id);
        const published = await publishGraph(deps, tx, { workspace, workflow, graph: document.graph, message: 'Imported', actor });
        return { workflowId: created.id, published };
      });
      if (result.published) workflows.announceChange(result.workflowId);
      return { workflow: await workflows.requireWorkflow(deps.database.db, workspace.id, result.workflowId), published: result.published };
    },
  };
}

export type WorkflowVersionsService = ReturnType<typeof createWorkflowVersionsService>;
