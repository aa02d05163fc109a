import type { z } from 'zod';
import type { WorkflowSummary, WorkflowView } from '@weft/contracts';
import type { WorkflowWithProblems } from './workflows.service';
import type { WorkflowRow } from './workflows.repository';

/** The reply shapes themselves live in packages/contracts; these map the module's rows onto them. */
export function toWorkflowSummary(row: WorkflowRow): z.input<typeof WorkflowSummary> {
  return {
    ...row,
    settings: { savingPolicy: row.savingPolicy, concurrencyLimit: row.concurrencyLimit, timeoutMs: row.timeoutMs },
  };
}

export function toWorkflowView({ workflow, problems }: WorkflowWithProblems): z.input<typeof WorkflowView> {
  return { ...toWorkflowSummary(workflow), draftGraph: workflow.draftGraph, draftUpdatedAt: workflow.draftUpdatedAt, problems };
}
