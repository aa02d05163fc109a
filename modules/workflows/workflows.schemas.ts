import { z } from 'zod';
import { SavingPolicy, WorkflowSettings } from './workflow-document';
import type { WorkflowWithProblems } from './workflows.service';
import type { WorkflowRow } from './workflows.repository';

/** Request and reply shapes of the workflow routes. */
export const isoDate = z.date().transform((date) => date.toISOString());

export const WorkspaceParams = z.object({ workspace: z.string().min(1).max(100) });
export const WorkflowParams = WorkspaceParams.extend({ id: z.uuid() });

export const SettingsPatch = z.strictObject({
  savingPolicy: SavingPolicy.optional(),
  concurrencyLimit: z.number().int().min(1).max(10_000).nullable().optional(),
  timeoutMs: z.number().int().min(100).max(86_400_000).optional(),
});

export const GraphProblemView = z.object({
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  path: z.string(),
});

export const WorkflowSummary = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  description: z.string(),
  publishedVersionId: z.string().nullable(),
  publishedVersion: z.number().nullable(),
  settings: WorkflowSettings,
  createdBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  archivedAt: isoDate.nullable(),
});

export const WorkflowView = WorkflowSummary.extend({
  draftGraph: z.unknown(),
  draftUpdatedAt: isoDate,
  problems: z.array(GraphProblemView),
});

export const PublishedVersionView = z.object({ versionId: z.string(), version: z.number(), publishedAt: isoDate });

export function toWorkflowSummary(row: WorkflowRow): z.input<typeof WorkflowSummary> {
  return {
    ...row,
    settings: { savingPolicy: row.savingPolicy, concurrencyLimit: row.concurrencyLimit, timeoutMs: row.timeoutMs },
  };
}

export function toWorkflowView({ workflow, problems }: WorkflowWithProblems): z.input<typeof WorkflowView> {
  return { ...toWorkflowSummary(workflow), draftGraph: workflow.draftGraph, draftUpdatedAt: workflow.draftUpdatedAt, problems };
}
