import { sql } from 'drizzle-orm';
import { writeOutboxEvent, type Tx } from '@weft/db';
import { findCredentialType, validateGraph, webhookTriggerNode, WebhookTriggerParams, WorkflowGraph, type GraphProblem } from '@weft/engine';
import { AppError, newId } from '@weft/kernel';
import { SYSTEM_AUTHOR, type Actor, type CredentialReference, type WorkflowsModuleDeps, type WorkspaceRef } from './workflows.deps';
import { WorkflowErrors } from './workflows.errors';
import { WORKFLOW_CHANGES_CHANNEL, WorkflowEvents, type WorkflowVersionPublished } from './workflows.events';
import { findLatestVersionNumber, insertVersionRow, updateWorkflowRow, type WorkflowRow } from './workflows.repository';
import { findTakenWebhookPaths, replaceWebhookTriggers, WebhookPathTakenError, type WebhookTriggerSpec } from './webhook-triggers.repository';

export interface PublishedVersion {
  versionId: string;
  version: number;
  publishedAt: Date;
}

export interface PublishGraphInput {
  workspace: WorkspaceRef;
  workflow: WorkflowRow;
  graph: unknown;
  message: string;
  actor: Actor;
  /** Set by rollback: the older version published again. */
  rolledBackFrom?: number;
}

/**
 * Lists every problem of a graph (the engine's validator plus what a
 * publish needs on top: trigger params without templates).
 */
export function findGraphProblems(deps: Pick<WorkflowsModuleDeps, 'registry' | 'validateOptions'>, graph: unknown): GraphProblem[] {
  const problems = validateGraph(graph, deps.registry, deps.validateOptions);
  if (problems.length > 0) return problems;
  const parsed = WorkflowGraph.parse(graph);
  parsed.nodes.forEach((node, index) => {
    if (node.type !== webhookTriggerNode.type) return;
    // A template is resolved per run, but an address must be known when publishing.
    const params = WebhookTriggerParams.safeParse(node.params);
    if (!params.success) {
      for (const issue of params.error.issues) {
        problems.push({ code: 'invalid_param', message: issue.message, nodeId: node.id, path: `nodes[${index}].params.${issue.path.join('.')}` });
      }
    }
  });
  return problems;
}

/**
 * Credentials are checked where they live (the credentials module) and in
 * the publishing workspace: a node naming another workspace's credential,
 * a deleted one or one of the wrong type cannot be published.
 */
async function throwIfCredentialsUnusable(deps: WorkflowsModuleDeps, tx: Tx, workspaceId: string, graph: WorkflowGraph): Promise<void> {
  if (deps.checkCredentials === undefined) return;
  const references: CredentialReference[] = [];
  graph.nodes.forEach((node) => {
    const definition = deps.registry.get(node.type, node.version);
    const type = definition === undefined ? undefined : findCredentialType(definition, node.params);
    if (node.credentialId !== undefined && type !== undefined && !node.disabled) references.push({ nodeId: node.id, credentialId: node.credentialId, type });
  });
  if (references.length === 0) return;
  const found = await deps.checkCredentials(tx, workspaceId, references);
  throwIfInvalid(
    [...found].map(([nodeId, message]) => ({
      code: 'invalid_credential' as const,
      message,
      nodeId,
      path: `nodes[${graph.nodes.findIndex((node) => node.id === nodeId)}].credentialId`,
    })),
  );
}

export function throwIfInvalid(problems: GraphProblem[]): void {
  if (problems.length > 0) {
    throw new AppError(WorkflowErrors.WORKFLOW_INVALID, `The workflow has ${problems.length} problem(s)`, problems);
  }
}

/**
 * Inserts version n+1, points the workflow and its webhooks at it, and writes
 * the event, the cache invalidation and the audit entry — all in `tx`, so a
 * refused publish (invalid graph, taken path) leaves nothing behind.
 * The caller must hold the workflow's row lock (`lockWorkflow`).
 */
export async function publishGraph(deps: WorkflowsModuleDeps, tx: Tx, input: PublishGraphInput): Promise<PublishedVersion> {
  const { workflow, workspace, actor } = input;
  if (workflow.archivedAt) throw new AppError(WorkflowErrors.WORKFLOW_ARCHIVED, 'An archived workflow cannot be published');
  throwIfInvalid(findGraphProblems(deps, input.graph));
  const graph = WorkflowGraph.parse(input.graph);
  await throwIfCredentialsUnusable(deps, tx, workspace.id, graph);

  const triggers = graph.nodes
    .filter((node) => node.type === webhookTriggerNode.type && !node.disabled)
    .map((node): WebhookTriggerSpec => {
      const params = WebhookTriggerParams.parse(node.params);
      return { nodeId: node.id, path: params.path, method: params.method, mode: params.mode, auth: params.auth };
    });
  const taken = await findTakenWebhookPaths(
    tx,
    workspace.id,
    workflow.id,
    triggers.map((trigger) => trigger.path),
  );
  if (taken.length > 0) {
    throw new AppError(WorkflowErrors.WORKFLOW_WEBHOOK_PATH_TAKEN, `Another workflow of this workspace already listens on ${taken.join(', ')}`, {
      paths: taken,
    });
  }

  const version = (await findLatestVersionNumber(tx, workflow.id)) + 1;
  const versionId = newId();
  const publishedAt = deps.clock.now();
  await insertVersionRow(tx, {
    id: versionId,
    workflowId: workflow.id,
    workspaceId: workspace.id,
    version,
    graph,
    message: input.message,
    publishedBy: actor.id ?? SYSTEM_AUTHOR,
    publishedAt,
  });
  await updateWorkflowRow(tx, workflow.id, { publishedVersionId: versionId, updatedAt: publishedAt });
  try {
    await replaceWebhookTriggers(tx, { workspaceId: workspace.id, workspaceSlug: workspace.slug, workflowId: workflow.id, versionId }, triggers);
  } catch (error) {
    if (!(error instanceof WebhookPathTakenError)) throw error;
    throw new AppError(WorkflowErrors.WORKFLOW_WEBHOOK_PATH_TAKEN, `Another workflow of this workspace already listens on ${error.path}`, {
      paths: [error.path],
    });
  }

  const event: WorkflowVersionPublished = { workflowId: workflow.id, workspaceId: workspace.id, versionId, version };
  if (input.rolledBackFrom !== undefined) event.rolledBackFrom = input.rolledBackFrom;
  await writeOutboxEvent(tx, WorkflowEvents.versionPublished, event);
  await notifyWorkflowChanged(tx, workflow.id);
  await deps.audit.recordAudit(
    {
      actor: { type: actor.type, id: actor.id },
      action: input.rolledBackFrom === undefined ? 'workflow.published' : 'workflow.rolled-back',
      target: { type: 'workflow', id: workflow.id },
      workspaceId: workspace.id,
      ip: actor.ip ?? null,
      details: { version, ...(input.rolledBackFrom === undefined ? {} : { rolledBackFrom: input.rolledBackFrom }) },
    },
    tx,
  );
  return { versionId, version, publishedAt };
}

/** Delivered on commit to every process, which then drops its cached triggers and settings of the workflow. */
export async function notifyWorkflowChanged(tx: Tx, workflowId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${WORKFLOW_CHANGES_CHANNEL}, ${workflowId})`);
}
