import type { Database, DbExecutor, Tx } from '@weft/db';
import { webhookTriggerNode, type CompiledWorkflow, type GraphProblem } from '@weft/engine';
import { AppError, newId, type Clock } from '@weft/kernel';
import { WorkflowErrors, type Actor, type AuditEntry, type CredentialReference, type WorkflowCatalog, type WorkspaceRef } from '@weft/workflows';
import type { CompiledWorkflowCache } from './compiled-workflow-cache';
import { insertQueuedRun } from './run-queue.repository';
import type { StartedRun } from './runs.service';

/** `workflows.api.getWorkflow`: the saved draft with the problems publishing would refuse. */
export type FindDraft = (workspace: WorkspaceRef, workflowId: string) => Promise<{ workflow: { draftGraph: unknown }; problems: readonly GraphProblem[] }>;

/** `credentials.api.checkCredentialReferences`: node id → why its credential cannot be used in this workspace. */
export type CheckCredentials = (executor: DbExecutor, workspaceId: string, references: CredentialReference[]) => Promise<Map<string, string>>;

export interface DraftRunsDeps {
  database: Database;
  clock: Clock;
  catalog: Pick<WorkflowCatalog, 'findWorkflowRunSettings'>;
  graphs: CompiledWorkflowCache;
  findDraft: FindDraft;
  checkCredentials?: CheckCredentials;
  audit: { recordAudit(entry: AuditEntry, tx: Tx): Promise<void> };
}

export interface DraftRunRequest {
  /** What a caller would send; a webhook trigger gets it as the request body. */
  input?: unknown;
  /** The trigger's payload exactly (pinned trigger data); wins over `input`. */
  trigger?: unknown;
}

function throwIfProblems(problems: readonly GraphProblem[]): void {
  if (problems.length > 0) throw new AppError(WorkflowErrors.WORKFLOW_INVALID, `The draft has ${problems.length} problem(s)`, problems);
}

/** The trigger's payload: a webhook trigger started by hand gets the shape a request would have produced. */
function describeTriggerPayload(compiled: CompiledWorkflow, request: DraftRunRequest): unknown {
  if (request.trigger !== undefined) return request.trigger;
  const trigger = compiled.steps[0]?.node;
  if (trigger?.type !== webhookTriggerNode.type) return request.input ?? {};
  const method = typeof trigger.params.method === 'string' ? trigger.params.method : 'POST';
  return { body: request.input ?? null, query: {}, headers: {}, method };
}

/**
 * Draft runs: the editor runs the saved draft without publishing it. The
 * draft is checked as publishing would check it (graph problems, the
 * credentials of the workspace), copied into the run, and queued like any
 * run, so it goes through the same runner, checkpoints and services. It is
 * stored in full whatever the saving policy, and watched from the start
 * (`is_watched`), so its progress is streamed to the editor.
 */
export function createDraftRuns(deps: DraftRunsDeps) {
  async function throwIfCredentialsUnusable(workspaceId: string, compiled: CompiledWorkflow, graph: { nodes: { id: string }[] }): Promise<void> {
    if (deps.checkCredentials === undefined) return;
    const references = compiled.steps
      .filter((step) => step.node.credentialId !== undefined && step.credentialType !== undefined && !step.node.disabled)
      .map((step) => ({ nodeId: step.node.id, credentialId: step.node.credentialId!, type: step.credentialType! }));
    if (references.length === 0) return;
    const found = await deps.checkCredentials(deps.database.db, workspaceId, references);
    throwIfProblems(
      [...found].map(([nodeId, message]) => ({ code: 'invalid_credential' as const, message, nodeId, path: `nodes[${graph.nodes.findIndex((node) => node.id === nodeId)}].credentialId` })),
    );
  }

  return {
    async startDraftRun(workspace: WorkspaceRef, actor: Actor, workflowId: string, request: DraftRunRequest): Promise<StartedRun> {
      const settings = await deps.catalog.findWorkflowRunSettings(workspace.id, workflowId);
      if (!settings) throw new AppError(WorkflowErrors.WORKFLOW_NOT_FOUND, 'Workflow not found');
      if (settings.isArchived) throw new AppError(WorkflowErrors.WORKFLOW_ARCHIVED, 'An archived workflow does not run');
      const { workflow, problems } = await deps.findDraft(workspace, workflowId);
      throwIfProblems(problems);
      const compiled = await deps.graphs.loadForRun({ versionId: null, draftGraph: workflow.draftGraph });
      // Without problems the draft has the graph's shape.
      await throwIfCredentialsUnusable(workspace.id, compiled, workflow.draftGraph as { nodes: { id: string }[] });
      const now = deps.clock.now();
      const runId = newId();
      await deps.database.transaction(async (tx) => {
        await insertQueuedRun(tx, {
          id: runId,
          workspaceId: workspace.id,
          workflowId,
          versionId: null,
          versionNumber: null,
          draftGraph: workflow.draftGraph,
          isWatched: true,
          status: 'queued',
          triggerKind: 'manual',
          input: describeTriggerPayload(compiled, request) ?? null,
          concurrencyLimit: settings.concurrencyLimit,
          timeoutMs: settings.timeoutMs,
          createdAt: now,
          availableAt: now,
        });
        // Unpublished code runs with the workspace's credentials: the audit log says who did it.
        await deps.audit.recordAudit(
          { actor: { type: actor.type, id: actor.id }, action: 'run.draft-started', target: { type: 'run', id: runId }, workspaceId: workspace.id, ip: actor.ip ?? null, details: { workflowId } },
          tx,
        );
      });
      return { runId, isCreated: true };
    },
  };
}

export type DraftRuns = ReturnType<typeof createDraftRuns>;
