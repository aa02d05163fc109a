import type { DraftGraph, WorkflowDocument, WorkflowSettings } from '@weft/contracts';

// The export format and the settings are part of the API: their schemas live in packages/contracts.
export { DraftGraph, SavingPolicy, WorkflowDocument, WorkflowSettings } from '@weft/contracts';

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
