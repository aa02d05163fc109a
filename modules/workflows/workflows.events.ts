/**
 * Domain events (outbox, delivered at least once to one worker) and the
 * NOTIFY channel that tells every process to drop its cached triggers and
 * settings of a workflow (broadcast, best effort, on commit).
 */
export const WorkflowEvents = {
  versionPublished: 'workflows.version.published',
  workflowArchived: 'workflows.workflow.archived',
} as const;

export interface WorkflowVersionPublished {
  workflowId: string;
  workspaceId: string;
  versionId: string;
  version: number;
  /** Set when the version is an older one published again. */
  rolledBackFrom?: number;
}

export interface WorkflowArchived {
  workflowId: string;
  workspaceId: string;
}

/** Payload: the workflow id whose published version, triggers or settings changed. */
export const WORKFLOW_CHANGES_CHANNEL = 'weft_workflows';
