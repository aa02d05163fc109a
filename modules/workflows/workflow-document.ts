import { z } from 'zod';

export const SavingPolicy = z.enum(['all', 'failed', 'none']);
export type SavingPolicy = z.infer<typeof SavingPolicy>;

/** Run settings of a workflow; what an export carries besides the graph. */
export const WorkflowSettings = z.object({
  /** Which runs are kept: every run, failed ones only, or none (the fastest webhooks). */
  savingPolicy: SavingPolicy.default('all'),
  /** Most runs of this workflow at once across every worker; null for no limit. */
  concurrencyLimit: z.number().int().min(1).max(10_000).nullable().default(null),
  timeoutMs: z.number().int().min(100).max(86_400_000).default(300_000),
});
export type WorkflowSettings = z.infer<typeof WorkflowSettings>;

/**
 * A draft graph as the editor saves it: the outer shape only. Everything
 * inside is checked by the engine's validator, whose problems the editor
 * shows; an unfinished draft is still worth saving.
 */
export const DraftGraph = z.object({
  nodes: z.array(z.unknown()).max(2000),
  edges: z.array(z.unknown()).max(10_000),
});
export type DraftGraph = z.infer<typeof DraftGraph>;

export const WorkflowName = z.string().trim().min(1).max(200);
export const WorkflowDescription = z.string().max(5000);

/** The export format: stable, pretty JSON that diffs well in git. */
export const WorkflowDocument = z.object({
  weft: z.literal('workflow'),
  version: z.literal(1),
  name: WorkflowName,
  description: WorkflowDescription.default(''),
  settings: WorkflowSettings.default({ savingPolicy: 'all', concurrencyLimit: null, timeoutMs: 300_000 }),
  graph: DraftGraph,
});
export type WorkflowDocument = z.infer<typeof WorkflowDocument>;

/**
 * JSON with object keys sorted at every depth, two-space indentation and a
 * trailing newline, so the same workflow always gives the same bytes and a
 * change shows as a small diff. Array order is kept: edge order is meaningful.
 */
export function stringifyStable(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value), null, 2) + '\n';
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeysDeep(child);
  }
  return sorted;
}

export function buildWorkflowDocument(workflow: {
  name: string;
  description: string;
  settings: WorkflowSettings;
  graph: unknown;
}): WorkflowDocument {
  return {
    weft: 'workflow',
    version: 1,
    name: workflow.name,
    description: workflow.description,
    settings: workflow.settings,
    graph: workflow.graph as DraftGraph,
  };
}
