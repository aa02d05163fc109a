import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, describeError } from '../api/api-client';
import { queryKeys } from '../api/query-keys';
import { workflowsApi, type GraphProblem, type WorkflowGraph, type WorkflowView } from '../api/workflows.api';
import { useToast } from '../components/toast';
import { removeEditorDraft, writeEditorDraft } from './editor-draft';
import { stringifyStable } from './graph-conversion';
import type { EditorState } from './use-editor-state';

const LOCAL_DRAFT_DELAY_MS = 400;

function readProblems(error: unknown): GraphProblem[] | null {
  if (!(error instanceof ApiError) || error.code !== 'WORKFLOW_INVALID') return null;
  const details = error.details as { problems?: GraphProblem[] } | GraphProblem[] | undefined;
  if (Array.isArray(details)) return details;
  return Array.isArray(details?.problems) ? details.problems : null;
}

/**
 * Saving and publishing the draft. "Dirty" compares the canvas with the last
 * graph the server accepted; unsaved changes are also written to localStorage
 * so a reload or a crash does not lose them.
 */
export function useWorkflowPersistence(workspaceSlug: string, workflow: WorkflowView, serverGraph: WorkflowGraph, editor: EditorState) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [savedJson, setSavedJson] = useState(() => stringifyStable(serverGraph));
  const [problems, setProblems] = useState<GraphProblem[]>(workflow.problems);
  const [basedOn, setBasedOn] = useState(workflow.draftUpdatedAt);
  const [publishedVersion, setPublishedVersion] = useState(workflow.publishedVersion);
  const graphJson = useMemo(() => stringifyStable(editor.graph), [editor.graph]);
  const isDirty = graphJson !== savedJson;

  useEffect(() => {
    if (!isDirty) return;
    const timer = window.setTimeout(() => writeEditorDraft(workflow.id, editor.graph, basedOn), LOCAL_DRAFT_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [isDirty, editor.graph, workflow.id, basedOn]);

  useEffect(() => {
    if (!isDirty) return;
    // The browser's own "leave site?" prompt; in-app navigation is asked by the editor.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);

  const saveDraft = useMutation({
    mutationFn: (graph: WorkflowGraph) => workflowsApi.updateWorkflow(workspaceSlug, workflow.id, { graph }),
    onSuccess: (view, graph) => {
      setSavedJson(stringifyStable(graph));
      setProblems(view.problems);
      setBasedOn(view.draftUpdatedAt);
      removeEditorDraft(workflow.id);
      queryClient.setQueryData(queryKeys.workflow(workspaceSlug, workflow.id), view);
    },
    onError: (error) => toast.showError(`The draft was not saved: ${describeError(error)}`),
  });

  const publish = useMutation({
    mutationFn: async (message: string) => {
      if (isDirty) await saveDraft.mutateAsync(editor.readGraph());
      return workflowsApi.publishWorkflow(workspaceSlug, workflow.id, message);
    },
    onSuccess: (published) => {
      setPublishedVersion(published.version);
      setProblems([]);
      toast.showSuccess(`Version ${published.version} is live.`);
      void queryClient.invalidateQueries({ queryKey: queryKeys.versions(workspaceSlug, workflow.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.workflows(workspaceSlug) });
    },
    onError: (error) => {
      const found = readProblems(error);
      if (found) {
        setProblems(found);
        toast.showError(`Not published: ${found.length === 1 ? 'one problem needs' : `${found.length} problems need`} fixing. They are marked on the nodes.`);
      } else if (!(saveDraft.isError && error === saveDraft.error)) {
        toast.showError(`Not published: ${describeError(error)}`);
      }
    },
  });

  return {
    isDirty,
    /** When the server's draft last changed: what was saved, not what is on the canvas. */
    draftRevision: basedOn,
    problems,
    publishedVersion,
    setPublishedVersion,
    saveState: saveDraft.isPending ? ('saving' as const) : isDirty ? (saveDraft.isError ? ('error' as const) : ('unsaved' as const)) : ('saved' as const),
    save: () => {
      if (isDirty && !saveDraft.isPending) saveDraft.mutate(editor.readGraph());
    },
    /** Resolves once the server has the canvas as it is now (saving it if needed); rejects when the save fails. */
    ensureSaved: async () => {
      if (isDirty) await saveDraft.mutateAsync(editor.readGraph());
    },
    publish,
    discardLocalDraft: () => removeEditorDraft(workflow.id),
  };
}
