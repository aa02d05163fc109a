import type { Database, Tx } from '@weft/db';
import { webhookTriggerNode, type CompiledWorkflow } from '@weft/engine';
import { AppError, newId, type Clock } from '@weft/kernel';
import { WorkflowErrors, type Actor, type AuditEntry, type WorkflowCatalog, type WorkflowRunSettings, type WorkspaceRef } from '@weft/workflows';
import type { CompiledWorkflowCache } from './compiled-workflow-cache';
import { insertQueuedRun, type NewRunRow } from './run-queue.repository';
import { RunErrors } from './runs.errors';
import type { TriggerKind } from './runs.tables';
import {
  copyFinishedSteps,
  deleteRunsPastMaxAge,
  deleteRunsPastMaxCount,
  findRetentionPolicy,
  findRunRow,
  listRunRows,
  listRunStepRows,
  requestRunCancel,
  upsertRetentionPolicy,
  type RunFilter,
  type RunListRow,
  type RunRow,
  type RunStepRow,
} from './runs.repository';

export interface RunsServiceDeps {
  database: Database;
  clock: Clock;
  catalog: WorkflowCatalog;
  graphs: CompiledWorkflowCache;
  audit: { recordAudit(entry: AuditEntry, tx: Tx): Promise<void> };
  /** Resolves once every run acknowledged so far is in the database (the recorder's journal); reads wait for it. */
  settle?: () => Promise<void>;
}

export interface StartedRun {
  runId: string;
  /** False when an earlier request with the same idempotency key created the run. */
  isCreated: boolean;
}

const PURGE_BATCH = 5000;

/**
 * Steps in the order they ran. Their times have millisecond resolution, and fast steps often share
 * both; ties are broken by the graph's order, which is the order the executor runs them in.
 */
async function orderStepsByGraph(graphs: CompiledWorkflowCache, run: RunRow, steps: RunStepRow[]): Promise<RunStepRow[]> {
  let compiled: CompiledWorkflow;
  try {
    compiled = await graphs.loadForRun(run);
  } catch {
    return steps; // a version that no longer compiles (a node type removed since): times only
  }
  const position = new Map(compiled.steps.map((step, index) => [step.node.id, index]));
  return [...steps].sort(
    (a, b) =>
      a.startedAt.getTime() - b.startedAt.getTime() ||
      a.finishedAt.getTime() - b.finishedAt.getTime() ||
      (position.get(a.nodeId) ?? Infinity) - (position.get(b.nodeId) ?? Infinity),
  );
}

export function createRunsService(deps: RunsServiceDeps) {
  const settle = deps.settle ?? (() => Promise.resolve());

  async function requireRun(workspaceId: string, id: string): Promise<RunRow> {
    await settle();
    const run = await findRunRow(deps.database.db, workspaceId, id);
    if (!run) throw new AppError(RunErrors.RUN_NOT_FOUND, 'Run not found');
    return run;
  }

  async function requireRunnableWorkflow(workspaceId: string, workflowId: string): Promise<WorkflowRunSettings & { publishedVersionId: string; publishedVersion: number }> {
    const settings = await deps.catalog.findWorkflowRunSettings(workspaceId, workflowId);
    if (!settings) throw new AppError(WorkflowErrors.WORKFLOW_NOT_FOUND, 'Workflow not found');
    if (settings.isArchived) throw new AppError(WorkflowErrors.WORKFLOW_ARCHIVED, 'An archived workflow does not run');
    if (settings.publishedVersionId === null || settings.publishedVersion === null) {
      throw new AppError(WorkflowErrors.WORKFLOW_NOT_PUBLISHED, 'Publish the workflow before running it');
    }
    return { ...settings, publishedVersionId: settings.publishedVersionId, publishedVersion: settings.publishedVersion };
  }

  /** Retry and replay run what the source ran: its version, or the draft a draft run carried. */
  async function requireWorkflowToRerun(source: RunRow): Promise<WorkflowRunSettings> {
    if (source.versionId !== null) return requireRunnableWorkflow(source.workspaceId, source.workflowId);
    const settings = await deps.catalog.findWorkflowRunSettings(source.workspaceId, source.workflowId);
    if (!settings) throw new AppError(WorkflowErrors.WORKFLOW_NOT_FOUND, 'Workflow not found');
    if (settings.isArchived) throw new AppError(WorkflowErrors.WORKFLOW_ARCHIVED, 'An archived workflow does not run');
    return settings;
  }

  function describeRerun(settings: WorkflowRunSettings, source: RunRow, triggerKind: 'retry' | 'replay'): NewRunRow {
    return {
      ...describeQueuedRun(settings, source.versionId, source.versionNumber, source.input),
      draftGraph: source.draftGraph,
      triggerKind,
      sourceRunId: source.id,
    };
  }

  function describeQueuedRun(settings: WorkflowRunSettings, versionId: string | null, versionNumber: number | null, input: unknown, triggerKind: TriggerKind = 'manual'): NewRunRow {
    const now = deps.clock.now();
    return {
      id: newId(),
      workspaceId: settings.workspaceId,
      workflowId: settings.workflowId,
      versionId,
      versionNumber,
      status: 'queued',
      triggerKind,
      input: input ?? null,
      // Copied now: the claim enforces the limit the workflow had when the run was queued.
      concurrencyLimit: settings.concurrencyLimit,
      timeoutMs: settings.timeoutMs,
      createdAt: now,
      availableAt: now,
    };
  }

  async function audit(tx: Tx, actor: Actor, action: string, workspaceId: string, runId: string, details: Record<string, unknown> = {}) {
    await deps.audit.recordAudit(
      { actor: { type: actor.type, id: actor.id }, action, target: { type: 'run', id: runId }, workspaceId, ip: actor.ip ?? null, details },
      tx,
    );
  }

  /** Finished runs only: retry and replay start over from something that ended (a waiting run has not: it goes on when resumed). */
  function requireFinished(run: RunRow): void {
    if (run.status === 'queued' || run.status === 'running' || run.status === 'waiting') {
      throw new AppError(RunErrors.RUN_NOT_FINISHED, 'The run has not ended yet', { status: run.status });
    }
  }

  return {
    requireRun,
    requireRunnableWorkflow,

    /** Queues a run of the published version for a trigger other than a person (schedule, event, bot, parent workflow). */
    async startQueuedRun(workspaceId: string, workflowId: string, triggerKind: TriggerKind, input: unknown, idempotencyKey?: string): Promise<StartedRun> {
      const settings = await requireRunnableWorkflow(workspaceId, workflowId);
      const row = { ...describeQueuedRun(settings, settings.publishedVersionId, settings.publishedVersion, input, triggerKind), idempotencyKey: idempotencyKey ?? null };
      const started = await deps.database.transaction((tx) => insertQueuedRun(tx, row));
      return { runId: started.id, isCreated: started.isCreated };
    },

    /** Queues a run of the published version. The same idempotency key gives back the same run. */
    async startManualRun(workspace: WorkspaceRef, workflowId: string, input: unknown, idempotencyKey: string | undefined): Promise<StartedRun> {
      const settings = await requireRunnableWorkflow(workspace.id, workflowId);
      const compiled = await deps.graphs.load(settings.publishedVersionId);
      // A webhook-triggered workflow started by hand gets the shape its trigger would have produced.
      const isWebhook = compiled.steps[0]?.node.type === webhookTriggerNode.type;
      const triggerInput = isWebhook ? { body: input ?? null, query: {}, headers: {}, method: 'POST' } : input;
      const row = { ...describeQueuedRun(settings, settings.publishedVersionId, settings.publishedVersion, triggerInput), idempotencyKey: idempotencyKey ?? null };
      const started = await deps.database.transaction((tx) => insertQueuedRun(tx, row));
      return { runId: started.id, isCreated: started.isCreated };
    },

    async listRuns(filter: RunFilter, limit: number): Promise<RunListRow[]> {
      await settle();
      return listRunRows(deps.database.db, filter, limit);
    },

    async getRun(workspace: WorkspaceRef, id: string) {
      const run = await requireRun(workspace.id, id);
      return { run, steps: await orderStepsByGraph(deps.graphs, run, await listRunStepRows(deps.database.db, run)) };
    },

    async cancelRun(workspace: WorkspaceRef, actor: Actor, id: string): Promise<RunRow> {
      await settle();
      await deps.database.transaction(async (tx) => {
        const status = await requestRunCancel(tx, workspace.id, id);
        if (status === null) {
          const run = await findRunRow(tx, workspace.id, id);
          if (!run) throw new AppError(RunErrors.RUN_NOT_FOUND, 'Run not found');
          throw new AppError(RunErrors.RUN_ALREADY_FINISHED, `The run already ended as ${run.status}`, { status: run.status });
        }
        await audit(tx, actor, 'run.cancel-requested', workspace.id, id);
      });
      return requireRun(workspace.id, id);
    },

    /** A new run of the same version with the same input. */
    async retryRun(workspace: WorkspaceRef, actor: Actor, id: string): Promise<StartedRun> {
      const source = await requireRun(workspace.id, id);
      requireFinished(source);
      if (source.status === 'succeeded') throw new AppError(RunErrors.RUN_NOT_RETRYABLE, 'Only a run that did not succeed can be retried; replay it instead');
      const row = describeRerun(await requireWorkflowToRerun(source), source, 'retry');
      await deps.database.transaction(async (tx) => {
        await insertQueuedRun(tx, row);
        await audit(tx, actor, 'run.retried', workspace.id, row.id, { sourceRunId: source.id });
      });
      return { runId: row.id, isCreated: true };
    },

    /**
     * A new run of the same version and input whose steps before `fromNodeId`
     * (in execution order) are copied from the source run as finished, so
     * execution starts at that node with the outputs it had.
     */
    async replayRun(workspace: WorkspaceRef, actor: Actor, id: string, fromNodeId: string): Promise<StartedRun> {
      const source = await requireRun(workspace.id, id);
      requireFinished(source);
      const compiled = await deps.graphs.loadForRun(source);
      const index = compiled.steps.findIndex((step) => step.node.id === fromNodeId);
      const ran = source.versionId === null ? 'the draft this run ran' : `version ${source.versionNumber}`;
      if (index < 0) throw new AppError(RunErrors.RUN_REPLAY_NODE_UNKNOWN, `Node "${fromNodeId}" is not in ${ran}`, { fromNodeId });
      const row = describeRerun(await requireWorkflowToRerun(source), source, 'replay');
      const before = compiled.steps.slice(0, index).map((step) => step.node.id);
      await deps.database.transaction(async (tx) => {
        await insertQueuedRun(tx, row);
        await copyFinishedSteps(tx, source.id, row.id, before);
        await audit(tx, actor, 'run.replayed', workspace.id, row.id, { sourceRunId: source.id, fromNodeId });
      });
      return { runId: row.id, isCreated: true };
    },

    getRetentionPolicy: (workspace: WorkspaceRef) => findRetentionPolicy(deps.database.db, workspace.id),

    async setRetentionPolicy(workspace: WorkspaceRef, actor: Actor, policy: { maxAgeDays: number; maxRuns: number }) {
      await deps.database.transaction(async (tx) => {
        await upsertRetentionPolicy(tx, workspace.id, policy);
        await deps.audit.recordAudit(
          { actor: { type: actor.type, id: actor.id }, action: 'runs.retention-changed', target: { type: 'workspace', id: workspace.id }, workspaceId: workspace.id, ip: actor.ip ?? null, details: policy },
          tx,
        );
      });
      return findRetentionPolicy(deps.database.db, workspace.id);
    },

    /** Deletes finished runs (and their steps) past their workspace's max age or count, in batches; returns how many. */
    async purgeExpiredRuns(): Promise<number> {
      await settle();
      const now = deps.clock.now();
      const purges = [() => deleteRunsPastMaxAge(deps.database.db, now, PURGE_BATCH), () => deleteRunsPastMaxCount(deps.database.db, PURGE_BATCH)];
      let removed = 0;
      for (const purge of purges) {
        // Small batches keep each statement's locks and WAL short on a large table.
        let deleted: number;
        do {
          deleted = await purge();
          removed += deleted;
        } while (deleted === PURGE_BATCH);
      }
      return removed;
    },
  };
}

export type RunsService = ReturnType<typeof createRunsService>;
