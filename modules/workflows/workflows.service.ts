import { writeOutboxEvent, type DbExecutor, type Tx } from '@weft/db';
import type { GraphProblem } from '@weft/engine';
import { AppError, newId, type SubjectRef } from '@weft/kernel';
import { findGraphProblems, notifyWorkflowChanged } from './publish-workflow';
import { DraftGraph, WorkflowSettings, type SavingPolicy } from './workflow-document';
import { ERASED_AUTHOR, SYSTEM_AUTHOR, type Actor, type WorkflowsModuleDeps, type WorkspaceRef } from './workflows.deps';
import { WorkflowErrors } from './workflows.errors';
import { WorkflowEvents, type WorkflowArchived } from './workflows.events';
import {
  anonymizeAuthorOf,
  findWorkflow,
  insertWorkflow,
  listVersionRowsPublishedBy,
  listWorkflowRows,
  listWorkflowRowsCreatedBy,
  lockWorkflow,
  updateWorkflowRow,
  type WorkflowListFilter,
  type WorkflowRow,
} from './workflows.repository';
import { deactivateWebhookTriggers } from './webhook-triggers.repository';

export interface CreateWorkflowInput {
  name: string;
  description?: string;
  graph?: DraftGraph;
  settings?: Partial<WorkflowSettings>;
}

export interface UpdateWorkflowInput {
  name?: string;
  description?: string;
  graph?: DraftGraph;
  settings?: Partial<WorkflowSettings>;
}

/** A workflow with the problems of its draft, which the editor shows and publish refuses. */
export interface WorkflowWithProblems {
  workflow: WorkflowRow;
  problems: GraphProblem[];
}

const EMPTY_GRAPH: DraftGraph = { nodes: [], edges: [] };

export function createWorkflowsService(deps: WorkflowsModuleDeps) {
  // In-process subscribers (the runs module's caches) hear of a change at once; other processes through NOTIFY.
  const changeListeners = new Set<(workflowId: string) => void>();
  const announceChange = (workflowId: string): void => {
    for (const listener of changeListeners) listener(workflowId);
  };

  async function requireWorkflow(executor: DbExecutor, workspaceId: string, id: string): Promise<WorkflowRow> {
    const workflow = await findWorkflow(executor, workspaceId, id);
    if (!workflow) throw new AppError(WorkflowErrors.WORKFLOW_NOT_FOUND, 'Workflow not found');
    return workflow;
  }

  async function requireLockedWorkflow(tx: Tx, workspaceId: string, id: string): Promise<WorkflowRow> {
    const workflow = await lockWorkflow(tx, workspaceId, id);
    if (!workflow) throw new AppError(WorkflowErrors.WORKFLOW_NOT_FOUND, 'Workflow not found');
    return workflow;
  }

  function withProblems(workflow: WorkflowRow): WorkflowWithProblems {
    return { workflow, problems: findGraphProblems(deps, workflow.draftGraph) };
  }

  /** Creates inside `tx` so that an import can publish in the same transaction. */
  async function insertNewWorkflow(tx: Tx, workspace: WorkspaceRef, actor: Actor, input: CreateWorkflowInput): Promise<WorkflowRow> {
    const settings = WorkflowSettings.parse(input.settings ?? {});
    const now = deps.clock.now();
    const id = newId();
    await insertWorkflow(tx, {
      id,
      workspaceId: workspace.id,
      name: input.name,
      description: input.description ?? '',
      draftGraph: input.graph ?? EMPTY_GRAPH,
      draftUpdatedAt: now,
      ...settings,
      createdBy: actor.id ?? SYSTEM_AUTHOR,
      createdAt: now,
      updatedAt: now,
    });
    return requireWorkflow(tx, workspace.id, id);
  }

  return {
    requireWorkflow,
    requireLockedWorkflow,
    insertNewWorkflow,
    announceChange,

    onWorkflowsChanged(listener: (workflowId: string) => void): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },

    async createWorkflow(workspace: WorkspaceRef, actor: Actor, input: CreateWorkflowInput): Promise<WorkflowWithProblems> {
      const workflow = await deps.database.transaction((tx) => insertNewWorkflow(tx, workspace, actor, input));
      return withProblems(workflow);
    },

    async getWorkflow(workspace: WorkspaceRef, id: string): Promise<WorkflowWithProblems> {
      return withProblems(await requireWorkflow(deps.database.db, workspace.id, id));
    },

    listWorkflows(filter: WorkflowListFilter, limit: number): Promise<WorkflowRow[]> {
      return listWorkflowRows(deps.database.db, filter, limit);
    },

    /** Saves the draft even when it has problems: they are returned for the editor to show. */
    async updateWorkflow(workspace: WorkspaceRef, actor: Actor, id: string, input: UpdateWorkflowInput): Promise<WorkflowWithProblems> {
      let settingsChanged = false;
      const workflow = await deps.database.transaction(async (tx) => {
        const current = await requireLockedWorkflow(tx, workspace.id, id);
        if (current.archivedAt) throw new AppError(WorkflowErrors.WORKFLOW_ARCHIVED, 'An archived workflow cannot be changed');
        const now = deps.clock.now();
        const settings = input.settings === undefined ? undefined : WorkflowSettings.parse({ ...pickSettings(current), ...input.settings });
        settingsChanged = settings !== undefined && JSON.stringify(settings) !== JSON.stringify(pickSettings(current));
        await updateWorkflowRow(tx, id, {
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.description === undefined ? {} : { description: input.description }),
          ...(input.graph === undefined ? {} : { draftGraph: input.graph, draftUpdatedAt: now }),
          ...(settings ?? {}),
          updatedAt: now,
        });
        if (settingsChanged) {
          await notifyWorkflowChanged(tx, id);
          await deps.audit.recordAudit(
            {
              actor: { type: actor.type, id: actor.id },
              action: 'workflow.settings-changed',
              target: { type: 'workflow', id },
              workspaceId: workspace.id,
              ip: actor.ip ?? null,
              details: { before: pickSettings(current), after: settings },
            },
            tx,
          );
        }
        return requireWorkflow(tx, workspace.id, id);
      });
      if (settingsChanged) announceChange(id);
      return withProblems(workflow);
    },

    /** Archived workflows keep their versions and runs but accept no request and no new run. */
    async archiveWorkflow(workspace: WorkspaceRef, actor: Actor, id: string): Promise<WorkflowRow> {
      const workflow = await deps.database.transaction(async (tx) => {
        const current = await requireLockedWorkflow(tx, workspace.id, id);
        if (current.archivedAt) return current;
        const now = deps.clock.now();
        await updateWorkflowRow(tx, id, { archivedAt: now, updatedAt: now });
        await deactivateWebhookTriggers(tx, id);
        const event: WorkflowArchived = { workflowId: id, workspaceId: workspace.id };
        await writeOutboxEvent(tx, WorkflowEvents.workflowArchived, event);
        await notifyWorkflowChanged(tx, id);
        await deps.audit.recordAudit(
          { actor: { type: actor.type, id: actor.id }, action: 'workflow.archived', target: { type: 'workflow', id }, workspaceId: workspace.id, ip: actor.ip ?? null },
          tx,
        );
        return requireWorkflow(tx, workspace.id, id);
      });
      announceChange(id);
      return workflow;
    },

    async exportSubject(subject: SubjectRef): Promise<Record<string, unknown[]>> {
      const created = await listWorkflowRowsCreatedBy(deps.database.db, subject.userId);
      const published = await listVersionRowsPublishedBy(deps.database.db, subject.userId);
      return {
        workflows: created.map((row) => ({ id: row.id, workspaceId: row.workspaceId, name: row.name, description: row.description, draftGraph: row.draftGraph, createdAt: row.createdAt })),
        workflow_versions: published.map((row) => ({ id: row.id, workflowId: row.workflowId, version: row.version, message: row.message, publishedAt: row.publishedAt })),
      };
    },

    /** The workflows belong to their workspace and stay; only the link to the person goes. */
    async eraseSubject(subject: SubjectRef): Promise<void> {
      await deps.database.transaction((tx) => anonymizeAuthorOf(tx, subject.userId, ERASED_AUTHOR));
    },
  };
}

export function pickSettings(workflow: { savingPolicy: SavingPolicy; concurrencyLimit: number | null; timeoutMs: number }): WorkflowSettings {
  return { savingPolicy: workflow.savingPolicy, concurrencyLimit: workflow.concurrencyLimit, timeoutMs: workflow.timeoutMs };
}

export type WorkflowsService = ReturnType<typeof createWorkflowsService>;
