import type { WorkflowDocument } from '../../api/workflows.api';

/** Reads a `.workflow.json` export; throws a sentence a person can act on when it is not one. */
export async function readWorkflowFile(file: File): Promise<WorkflowDocument> {
  if (file.size > 5_000_000) throw new Error('This file is larger than 5 MB; a workflow export is much smaller.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    throw new Error(`${file.name} is not valid JSON.`);
  }
  const document = parsed as Partial<WorkflowDocument>;
  if (document?.weft !== 'workflow' || !document.graph || !Array.isArray(document.graph.nodes) || !Array.isArray(document.graph.edges)) {
    throw new Error(`${file.name} is not a Weft workflow export (it needs "weft": "workflow" and a graph).`);
  }
  return document as WorkflowDocument;
}
