import type { WorkflowGraph } from '../api/workflows.api';
import { readDraft, removeDraft, writeDraft } from '../lib/form-draft';

/** Unsaved canvas changes, kept in localStorage until saved (or discarded) so a closed tab loses nothing. */
export interface EditorDraft {
  graph: WorkflowGraph;
  /** The server draft this one was edited from: a different value means someone saved since. */
  basedOn: string;
  savedAt: string;
}

const keyOf = (workflowId: string) => `editor:${workflowId}`;

export function readEditorDraft(workflowId: string): EditorDraft | null {
  const draft = readDraft<EditorDraft>(keyOf(workflowId));
  return draft && Array.isArray(draft.graph?.nodes) ? draft : null;
}

export function writeEditorDraft(workflowId: string, graph: WorkflowGraph, basedOn: string): void {
  writeDraft(keyOf(workflowId), { graph, basedOn, savedAt: new Date().toISOString() } satisfies EditorDraft);
}

export function removeEditorDraft(workflowId: string): void {
  removeDraft(keyOf(workflowId));
}
